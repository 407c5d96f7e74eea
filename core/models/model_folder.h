// Loading and saving whole Hugging Face model folders (config.json, weights, tokenizer files), and finding
// the shipped models by name (tiny-bert, tiny-gpt2; see model_paths.h).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "models/hf_weights.h"
#include "models/model_paths.h"  // resolveModelFolder and friends, for the callers that load
#include "models/transformer.h"
#include "tokenizers/tokenizer.h"

namespace pw {

struct LoadedModel {
  TransformerModel model{nullptr};
  std::unique_ptr<tok::Tokenizer> tokenizer;  // null if the folder has no tokenizer files
  std::string folder;
  LoadReport report;
};

struct LoadOptions {
  bool withTokenizer = true;
  bool withMlmHead = false;  // BERT: build (and load, if present) the MLM head for pretraining
  bool randomInit = false;   // the architecture with fresh random weights (the pretraining control)
  uint64_t seed = 0;
};

// `nameOrPath`: a folder, or the name of a shipped model. Throws pw::Error naming the file at fault.
LoadedModel loadModel(const std::string& nameOrPath, const LoadOptions& options = {});

// Writes config.json + model.safetensors (floats as `dtype`) and copies tokenizer files from `tokenizerFrom`.
void saveModel(TransformerModelImpl& model, const std::string& folder, io::StoreDtype dtype = io::StoreDtype::F32,
               const std::string& tokenizerFrom = "");

}  // namespace pw
