// Hugging Face model-folder weights: model.safetensors, or sharded model-0000K-of-0000N.safetensors
// with model.safetensors.index.json.
#pragma once
#include "io/safetensors.h"

#include <cstdint>
#include <string>

namespace pw::io {

// Loads a folder's weights: model.safetensors if present, else the shards listed by
// model.safetensors.index.json (exactly the tensors of its weight_map). A folder holding only
// pytorch_model.bin (a Python pickle) gets an error saying to convert it to safetensors.
TensorMap loadFolderWeights(const std::string& folder);

// Writes model.safetensors, or, when maxShardBytes > 0 and the data exceeds it, shards
// model-00001-of-0000N.safetensors plus model.safetensors.index.json. Creates the folder if needed
// and removes stale weight files of the other layout, so the folder always loads what was saved.
void saveFolderWeights(const std::string& folder, const TensorMap& tensors, StoreDtype dtype = StoreDtype::F32,
                       uint64_t maxShardBytes = 0);

}  // namespace pw::io
