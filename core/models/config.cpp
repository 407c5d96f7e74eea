// config.json parsing and writing for both model families (see config.h).
#include "models/config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.h"
#include "util/strict_json.h"

namespace pw {
namespace {

int64_t requireInt(const nlohmann::json& j, const std::string& key, const std::string& file) {
  if (!j.contains(key)) throw fileError(file, "missing key \"" + key + "\"");
  const auto& v = j.at(key);
  if (!v.is_number_integer()) throw fileError(file, "key \"" + key + "\" must be an integer");
  int64_t x = v.get<int64_t>();
  if (x <= 0) throw fileError(file, "key \"" + key + "\" must be positive, got " + std::to_string(x));
  if (x > (int64_t(1) << 31)) throw fileError(file, "key \"" + key + "\" is implausibly large: " + std::to_string(x));
  return x;
}

double optDouble(const nlohmann::json& j, const std::string& key, double fallback, const std::string& file) {
  if (!j.contains(key) || j.at(key).is_null()) return fallback;
  if (!j.at(key).is_number()) throw fileError(file, "key \"" + key + "\" must be a number");
  double v = j.at(key).get<double>();
  if (!(v >= 0.0)) throw fileError(file, "key \"" + key + "\" must be >= 0");
  return v;
}

std::string optString(const nlohmann::json& j, const std::string& key, const std::string& fallback,
                      const std::string& file) {
  if (!j.contains(key) || j.at(key).is_null()) return fallback;
  if (!j.at(key).is_string()) throw fileError(file, "key \"" + key + "\" must be a string");
  return j.at(key).get<std::string>();
}

Family inferFamily(const nlohmann::json& j, const std::string& file) {
  std::string type = optString(j, "model_type", "", file);
  if (type == "bert" || type == "roberta" || type == "distilbert") return Family::Bert;
  if (type == "gpt2") return Family::Gpt2;
  if (!type.empty()) throw fileError(file, "unsupported model_type \"" + type + "\" (supported: bert, roberta, distilbert, gpt2)");
  // Some configs (bert-tiny) omit model_type: infer it from the keys.
  bool bertKeys = j.contains("hidden_size") && j.contains("num_hidden_layers");
  bool gptKeys = j.contains("n_embd") && j.contains("n_layer");
  if (bertKeys && gptKeys) throw fileError(file, "has both BERT (hidden_size) and GPT-2 (n_embd) keys and no model_type");
  if (bertKeys) return Family::Bert;
  if (gptKeys) return Family::Gpt2;
  throw fileError(file, "cannot tell the model family: no model_type and neither hidden_size nor n_embd");
}

void readLabels(const nlohmann::json& j, ModelConfig& c, const std::string& file) {
  if (!j.contains("id2label") || !j.at("id2label").is_object()) return;
  const auto& m = j.at("id2label");
  c.labels.assign(m.size(), "");
  for (auto it = m.begin(); it != m.end(); ++it) {
    size_t id = 0;
    try {
      id = std::stoul(it.key());
    } catch (const std::exception&) {
      throw fileError(file, "id2label key \"" + it.key() + "\" is not an integer");
    }
    if (id >= c.labels.size() || !it.value().is_string())
      throw fileError(file, "id2label must map 0..N-1 to strings");
    c.labels[id] = it.value().get<std::string>();
  }
}

}  // namespace

ModelConfig ModelConfig::fromJson(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw fileError(file, "must be a JSON object");
  ModelConfig c;
  c.raw = j;
  c.family = inferFamily(j, file);
  c.distilbert = optString(j, "model_type", "", file) == "distilbert";
  if (c.distilbert) {
    // DistilBertConfig's own keys; LayerNorm eps is fixed at 1e-12 in transformers' DistilBERT.
    c.vocabSize = requireInt(j, "vocab_size", file);
    c.hidden = requireInt(j, "dim", file);
    c.layers = requireInt(j, "n_layers", file);
    c.heads = requireInt(j, "n_heads", file);
    c.intermediate = requireInt(j, "hidden_dim", file);
    c.maxPositions = requireInt(j, "max_position_embeddings", file);
    c.typeVocabSize = 0;
    c.layerNormEps = 1e-12;
    c.dropout = optDouble(j, "dropout", 0.1, file);
    c.attentionDropout = optDouble(j, "attention_dropout", 0.1, file);
    c.activation = optString(j, "activation", "gelu", file);
    // Its pre_classifier is not in the pretrained checkpoints (DistilBertForMaskedLM): by default the mean of
    // the real tokens goes straight to the head, as for RoBERTa. "cls" is transformers' head exactly.
    c.pooling = optString(j, "classifier_pooling", "mean", file);
    if (c.pooling != "cls" && c.pooling != "mean")
      throw fileError(file, "classifier_pooling must be \"cls\" or \"mean\", got \"" + c.pooling + "\"");
    c.padTokenId = j.contains("pad_token_id") && j.at("pad_token_id").is_number_integer()
                       ? j.at("pad_token_id").get<int64_t>() : 0;
  } else if (c.family == Family::Bert) {
    c.vocabSize = requireInt(j, "vocab_size", file);
    c.hidden = requireInt(j, "hidden_size", file);
    c.layers = requireInt(j, "num_hidden_layers", file);
    c.heads = requireInt(j, "num_attention_heads", file);
    c.intermediate = requireInt(j, "intermediate_size", file);
    c.maxPositions = requireInt(j, "max_position_embeddings", file);
    c.typeVocabSize = j.contains("type_vocab_size") ? requireInt(j, "type_vocab_size", file) : 2;
    c.layerNormEps = optDouble(j, "layer_norm_eps", 1e-12, file);
    c.dropout = optDouble(j, "hidden_dropout_prob", 0.1, file);
    c.attentionDropout = optDouble(j, "attention_probs_dropout_prob", 0.1, file);
    c.activation = optString(j, "hidden_act", "gelu", file);
    c.roberta = optString(j, "model_type", "", file) == "roberta";
    // RoBERTa's pooler was not trained for classification (transformers' RobertaForSequenceClassification skips
    // it for a new head on <s>): by default its features are the mean of the real tokens, straight to the head.
    c.pooling = optString(j, "classifier_pooling", c.roberta ? "mean" : "cls", file);
    if (c.pooling != "cls" && c.pooling != "mean")
      throw fileError(file, "classifier_pooling must be \"cls\" or \"mean\", got \"" + c.pooling + "\"");
    c.padTokenId = j.contains("pad_token_id") && j.at("pad_token_id").is_number_integer()
                       ? j.at("pad_token_id").get<int64_t>() : (c.roberta ? 1 : 0);
    if (c.roberta) {
      if (c.padTokenId < 0) throw fileError(file, "a RoBERTa config needs pad_token_id (its positions start after it)");
      c.positionOffset = c.padTokenId + 1;
      if (c.positionOffset >= c.maxPositions)
        throw fileError(file, "max_position_embeddings " + std::to_string(c.maxPositions) +
                                  " leaves no position after the padding index " + std::to_string(c.padTokenId));
    }
  } else {
    c.vocabSize = requireInt(j, "vocab_size", file);
    c.hidden = requireInt(j, "n_embd", file);
    c.layers = requireInt(j, "n_layer", file);
    c.heads = requireInt(j, "n_head", file);
    c.maxPositions = requireInt(j, "n_positions", file);
    c.intermediate = (j.contains("n_inner") && !j.at("n_inner").is_null()) ? requireInt(j, "n_inner", file)
                                                                          : 4 * c.hidden;
    c.typeVocabSize = 0;
    c.layerNormEps = optDouble(j, "layer_norm_epsilon", 1e-5, file);
    c.dropout = optDouble(j, "resid_pdrop", 0.1, file);
    c.attentionDropout = optDouble(j, "attn_pdrop", 0.1, file);
    c.activation = optString(j, "activation_function", "gelu_new", file);
    c.pooling = optString(j, "classifier_pooling", "last", file);
    if (c.pooling != "last" && c.pooling != "mean")
      throw fileError(file, "classifier_pooling must be \"last\" or \"mean\", got \"" + c.pooling + "\"");
    c.padTokenId = j.contains("pad_token_id") && j.at("pad_token_id").is_number_integer()
                       ? j.at("pad_token_id").get<int64_t>() : -1;
  }
  // Sizes are checked before anything is allocated: a hostile "num_hidden_layers": 1000000000 would otherwise
  // allocate until the memory runs out and die with the allocator's words.
  struct Limit {
    const char* what;
    int64_t value, max;
  };
  const Limit limits[] = {{"vocabulary size", c.vocabSize, int64_t(1) << 22}, {"hidden size", c.hidden, 65536},
                          {"number of layers", c.layers, 1024},                {"number of heads", c.heads, 1024},
                          {"feed-forward size", c.intermediate, int64_t(1) << 20},
                          {"number of positions", c.maxPositions, int64_t(1) << 20}};
  for (const Limit& l : limits)
    if (l.value > l.max)
      throw fileError(file, std::string("the ") + l.what + " " + std::to_string(l.value) +
                                " is beyond what this workbench builds (at most " + std::to_string(l.max) + ")");
  const double h = double(c.hidden);
  const double params =
      double(c.vocabSize + c.maxPositions) * h + double(c.layers) * (4 * h * h + 2 * h * double(c.intermediate));
  if (params > 4e9)
    throw fileError(file, "describes a model of about " + std::to_string(int64_t(params / 1e9)) +
                              " billion parameters; this workbench builds models of at most 4 billion in memory");
  if (c.hidden % c.heads != 0)
    throw fileError(file, "hidden size " + std::to_string(c.hidden) + " is not divisible by the number of heads " +
                              std::to_string(c.heads));
  if (c.activation != "gelu" && c.activation != "gelu_new" && c.activation != "relu" &&
      c.activation != "gelu_pytorch_tanh")
    throw fileError(file, "unsupported activation \"" + c.activation + "\" (gelu, gelu_new, relu)");
  if (c.dropout >= 1.0 || c.attentionDropout >= 1.0) throw fileError(file, "dropout probabilities must be < 1");
  if (c.padTokenId >= c.vocabSize) throw fileError(file, "pad_token_id is outside the vocabulary");
  readLabels(j, c, file);
  return c;
}

nlohmann::json ModelConfig::toJson() const {
  nlohmann::json j = raw.is_object() ? raw : nlohmann::json::object();
  bool classifier = !labels.empty();
  if (distilbert) {
    j["model_type"] = "distilbert";
    j["architectures"] = {classifier ? "DistilBertForSequenceClassification" : "DistilBertForMaskedLM"};
    j["vocab_size"] = vocabSize;
    j["dim"] = hidden;
    j["n_layers"] = layers;
    j["n_heads"] = heads;
    j["hidden_dim"] = intermediate;
    j["max_position_embeddings"] = maxPositions;
    j["dropout"] = dropout;
    j["attention_dropout"] = attentionDropout;
    j["activation"] = activation;
    j["pad_token_id"] = padTokenId;
    j["classifier_pooling"] = pooling;
  } else if (family == Family::Bert) {
    j["architectures"] = {roberta ? (classifier ? "RobertaForSequenceClassification" : "RobertaForMaskedLM")
                                  : (classifier ? "BertForSequenceClassification" : "BertForMaskedLM")};
    j["vocab_size"] = vocabSize;
    j["hidden_size"] = hidden;
    j["num_hidden_layers"] = layers;
    j["num_attention_heads"] = heads;
    j["intermediate_size"] = intermediate;
    j["max_position_embeddings"] = maxPositions;
    j["type_vocab_size"] = typeVocabSize;
    j["layer_norm_eps"] = layerNormEps;
    j["hidden_dropout_prob"] = dropout;
    j["attention_probs_dropout_prob"] = attentionDropout;
    j["hidden_act"] = activation;
    j["pad_token_id"] = padTokenId;
    j["classifier_pooling"] = pooling;
  } else {
    j["model_type"] = "gpt2";
    j["architectures"] = {classifier ? "GPT2ForSequenceClassification" : "GPT2LMHeadModel"};
    j["vocab_size"] = vocabSize;
    j["n_embd"] = hidden;
    j["n_layer"] = layers;
    j["n_head"] = heads;
    j["n_positions"] = maxPositions;
    j["n_inner"] = intermediate;
    j["layer_norm_epsilon"] = layerNormEps;
    j["resid_pdrop"] = dropout;
    j["embd_pdrop"] = dropout;
    j["attn_pdrop"] = attentionDropout;
    j["activation_function"] = activation;
    j["classifier_pooling"] = pooling;
    if (padTokenId >= 0) j["pad_token_id"] = padTokenId;
  }
  j.erase("id2label");
  j.erase("label2id");
  if (classifier) {
    nlohmann::json id2label = nlohmann::json::object(), label2id = nlohmann::json::object();
    for (size_t i = 0; i < labels.size(); ++i) {
      id2label[std::to_string(i)] = labels[i];
      label2id[labels[i]] = i;
    }
    j["id2label"] = id2label;
    j["label2id"] = label2id;
  }
  return j;
}

ModelConfig readConfigFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw fileError(path, "cannot open (a model folder needs a config.json)");
  return ModelConfig::fromJson(readStrictJsonFile(path), path);
}

void writeConfigFile(const ModelConfig& config, const std::string& path) {
  std::ofstream out(path);
  if (!out) throw fileError(path, "cannot write");
  out << config.toJson().dump(2) << "\n";
  if (!out) throw fileError(path, "write failed (disk full?)");
}

ModelConfig makeConfig(Family family, int64_t vocabSize, int64_t layers, int64_t hidden, int64_t heads,
                       int64_t maxPositions) {
  nlohmann::json j;
  if (family == Family::Bert) {
    j = {{"model_type", "bert"}, {"vocab_size", vocabSize}, {"hidden_size", hidden},
         {"num_hidden_layers", layers}, {"num_attention_heads", heads}, {"intermediate_size", 4 * hidden},
         {"max_position_embeddings", maxPositions}, {"type_vocab_size", 2}, {"layer_norm_eps", 1e-12},
         {"hidden_act", "gelu"}, {"pad_token_id", 0}};
  } else {
    j = {{"model_type", "gpt2"}, {"vocab_size", vocabSize}, {"n_embd", hidden}, {"n_layer", layers},
         {"n_head", heads}, {"n_inner", nullptr}, {"n_positions", maxPositions},
         {"layer_norm_epsilon", 1e-5}, {"activation_function", "gelu_new"}};
  }
  return ModelConfig::fromJson(j, "<generated config>");
}

}  // namespace pw
