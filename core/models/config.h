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
  int64_t typeVocabSize = 0; // T (BERT, RoBERTa; 0 for GPT-2 and DistilBERT, which have no token types)
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
  // DistilBERT is a BERT-family encoder with its own config keys (dim, n_layers, ...) and weight names
  // ("distilbert.transformer.layer.N.attention.q_lin"), no token types and no pooler: its classification
  // head is pre_classifier + ReLU on [CLS], which this engine holds as the pooler with a ReLU.
  bool distilbert = false;
  std::vector<std::string> labels;  // class names of the classification head (empty: none)
  nlohmann::json raw = nlohmann::json::object();  // the config.json as read, to keep unknown keys

  int64_t headDim() const { return hidden / heads; }
  std::string familyName() const { return family == Family::Bert ? "bert" : "gpt2"; }
  std::string modelType() const {  // config.json's model_type
    return roberta ? "roberta" : distilbert ? "distilbert" : familyName();
  }
  std::string weightPrefix() const {
    return roberta ? "roberta." : distilbert ? "distilbert." : family == Family::Bert ? "bert." : "transformer.";
  }
  // The layer between [CLS] and the head under "cls" pooling: BERT's pooler (tanh) or DistilBERT's
  // pre_classifier (ReLU); its Hugging Face name.
  const char* poolerActivation() const { return distilbert ? "relu" : "tanh"; }
  std::string poolerName() const { return distilbert ? "pre_classifier" : weightPrefix() + "pooler.dense"; }

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
