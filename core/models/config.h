// ModelConfig: the architecture of a BERT-style encoder or GPT-2-style decoder, read from and written to a
// Hugging Face config.json (keys of both families; unknown keys are kept and written back).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pw {

enum class Family { Bert, Gpt2 };

struct ModelConfig {
  Family family = Family::Bert;
  int64_t vocabSize = 0;
  int64_t hidden = 0;        // d
  int64_t layers = 0;        // L
  int64_t heads = 0;
  int64_t intermediate = 0;  // f
  int64_t maxPositions = 0;  // P
  int64_t typeVocabSize = 0; // T (BERT only; 0 for GPT-2)
  double layerNormEps = 1e-12;
  double dropout = 0.1;           // hidden / residual dropout
  double attentionDropout = 0.1;  // dropout on attention probabilities
  int64_t padTokenId = 0;         // -1 when the model has none (GPT-2)
  std::string activation = "gelu";  // "gelu" (exact erf), "gelu_new" (tanh), "relu"
  std::string pooling;              // "cls" | "mean" (BERT), "last" | "mean" (GPT-2)
  // RoBERTa is a BERT-family encoder with its own names ("roberta." weights, <s> A </s>) and positions that
  // start after the padding index (transformers' create_position_ids_from_input_ids): offset pad_token_id + 1.
  bool roberta = false;
  int64_t positionOffset = 0;
  std::vector<std::string> labels;  // class names of the classification head (empty: none)
  nlohmann::json raw = nlohmann::json::object();  // the config.json as read, to keep unknown keys

  int64_t headDim() const { return hidden / heads; }
  std::string familyName() const { return family == Family::Bert ? "bert" : "gpt2"; }
  std::string modelType() const { return roberta ? "roberta" : familyName(); }  // config.json's model_type
  std::string weightPrefix() const { return roberta ? "roberta." : family == Family::Bert ? "bert." : "transformer."; }

  // Parses and validates; `file` names the source in error messages. Throws pw::Error.
  static ModelConfig fromJson(const nlohmann::json& j, const std::string& file = "config.json");
  // The Hugging Face form (model_type, architectures, sizes, id2label/label2id when labels are set).
  nlohmann::json toJson() const;
};

ModelConfig readConfigFile(const std::string& path);
void writeConfigFile(const ModelConfig& config, const std::string& path);

// A small default architecture for the family (used by pretraining and tests).
ModelConfig makeConfig(Family family, int64_t vocabSize, int64_t layers, int64_t hidden, int64_t heads,
                       int64_t maxPositions);

}  // namespace pw
