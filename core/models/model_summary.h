// A torch-free summary of a model folder, for the CLI's `info` and the GUI (whose headers avoid torch).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pw {

struct ModelSummary {
  std::string folder, family, pooling, tokenizer, activation;
  std::string modelType;    // config.json's model_type: bert, roberta, distilbert, gpt2
  std::string poolingText;  // what the pooling means for this model, e.g. "[CLS] through the pooler"
  int64_t layers = 0, hidden = 0, heads = 0, intermediate = 0, vocabSize = 0, maxPositions = 0;
  int64_t parameters = 0;  // base model, without heads
  int64_t classifierClasses = 0;
  std::vector<std::string> unusedTensors;

  nlohmann::json toJson() const;
  std::string toText() const;  // aligned "key: value" lines
};

// Loads the model (a folder or a shipped model's name) and summarises it. Throws pw::Error.
ModelSummary summarizeModel(const std::string& nameOrPath);

}  // namespace pw
