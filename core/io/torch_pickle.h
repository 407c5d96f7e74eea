// A data-only reader of PyTorch state dicts saved by torch.save (pytorch_model.bin, adapter_model.bin).
//
// The file is a ZIP archive (data.pkl + one entry per storage). data.pkl is read by a small pickle machine
// that knows only what a state dict uses: dicts, lists, tuples, strings, numbers, and a whitelist of globals
// (collections.OrderedDict, torch._utils._rebuild_tensor_v2 / _rebuild_parameter, the typed storage classes).
// Any other global is refused by name; no pickle code is ever executed. The legacy (pre-1.6, non-ZIP) format
// is refused with a message. Floating-point tensors come back as float32 (as readSafetensors returns them),
// integer and bool tensors keep their type; every tensor is contiguous and owns its memory.
#pragma once
#include "io/safetensors.h"

#include <string>

namespace pw::io {

// Decodes a whole file image. `name` is used in every message. Throws pw::Error naming it and the problem.
TensorMap decodeTorchPickle(const std::string& bytes, const std::string& name);

// Reads a file (regular files only).
TensorMap readTorchPickle(const std::string& path);

}  // namespace pw::io
