// Where a method acts in one transformer block: for each drawn part (embeddings, Q/K/V/O, the feed-forward,
// LayerNorms, adapters, prompt, prefix, head) the base parameters it holds and how many of them, or of the
// method's added tensors there, train. Computed from a live model of the config with the method really
// attached (so it cannot drift from the methods), summed over layers. Torch-free header: the GUI's
// Architecture tab draws from it.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "models/config.h"

namespace pw {

struct ArchPart {
  std::string key;        // "q", "adapter_ffn", ...
  std::string label;      // "W_q", "Adapter (FFN)", ...
  int64_t baseTotal = 0;  // base-model parameters in this part (all layers)
  int64_t trainable = 0;  // trainable under the method: unfrozen base tensors + added tensors
  bool added = false;     // the method adds tensors here (LoRA, adapter, prompt, prefix, IA3 scales)
  bool unfrozen = false;  // base tensors here train (FT, BitFit's biases, the head)
  bool active() const { return trainable > 0; }
};

struct ArchitectureView {
  std::string method, title, formula;
  int64_t layers = 0;
  std::string pooling;  // the config's classifier pooling: "mean" (BERT: no pooler on the path), "cls", "last"
  std::vector<ArchPart> parts;  // in drawing order, bottom (input) to top (head)
  int64_t trainable = 0, total = 0;
  const ArchPart* part(const std::string& key) const;
};

// The parts of a model of `config` under `method` with `knobs` and `classes` classes. LP-FT: its stage 2.
// Throws pw::Error for bad knobs. Cost: building the model (about 0.1 s for the shipped 6M-parameter models).
ArchitectureView architectureView(const ModelConfig& config, const std::string& method, const nlohmann::json& knobs,
                                  int64_t classes);

}  // namespace pw
