// Adapter folders: a trained method saved alone (adapter_config.json + adapter_model.safetensors) and loaded
// back onto its base model. PEFT's layout for LoRA, IA3, prompt and prefix tuning; the same shape with our
// own peft_type for the rest (BOTTLENECK_ADAPTER, BITFIT, LINEAR_PROBE). Full fine-tuning ("FULL") saves a
// whole model folder instead (config.json + model.safetensors) with an adapter_config.json beside it.
// See core/methods/README.md for the names.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "methods/method.h"

namespace pw {

// Writes the method's tensors, the head and the base tensors the method trained (BitFit's biases,
// adapters' LayerNorms), never the frozen base weights. `baseModel` is recorded as base_model_name_or_path.
void saveAdapter(TransformerModelImpl& model, Method& method, const std::string& folder,
                 const std::string& baseModel = "");

// Reads a folder written by saveAdapter (or by PEFT for LoRA/IA3/prompt/prefix): sets the head, creates the
// method, attaches it to `model` (the base model), loads its tensors and applies trainability. A folder
// made for another base model (a shape or name with no place in this model) is a pw::Error naming the file.
std::unique_ptr<Method> loadAdapter(TransformerModelImpl& model, const std::string& folder,
                                    const InitContext& ctx = {});

// For methods' importTensors: removes `name` from `file` and returns it, checking its shape.
at::Tensor takeTensor(io::TensorMap& file, const std::string& name, const std::vector<int64_t>& shape,
                      const std::string& fileName);

}  // namespace pw
