// Hugging Face model-folder weights: model.safetensors, or sharded model-0000K-of-0000N.safetensors
// with model.safetensors.index.json.
#pragma once
#include "io/safetensors.h"

#include <cstdint>
#include <string>

namespace pw::io {

// Loads a folder's weights: model.safetensors if present, else the shards listed by
// model.safetensors.index.json (exactly the tensors of its weight_map), else pytorch_model.bin or the shards of
// pytorch_model.bin.index.json (torch.save files, read without running pickle code: torch_pickle.h).
TensorMap loadFolderWeights(const std::string& folder);

// The file (or index) loadFolderWeights reads, for messages: "FOLDER/pytorch_model.bin".
std::string folderWeightsFile(const std::string& folder);

// Writes model.safetensors, or, when maxShardBytes > 0 and the data exceeds it, shards
// model-00001-of-0000N.safetensors plus model.safetensors.index.json. Creates the folder if needed
// and removes stale weight files of the other layout, so the folder always loads what was saved.
void saveFolderWeights(const std::string& folder, const TensorMap& tensors, StoreDtype dtype = StoreDtype::F32,
                       uint64_t maxShardBytes = 0);

}  // namespace pw::io
