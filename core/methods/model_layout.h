// The base model's tensors and adaptable linears derived from a ModelConfig alone (no weights), their
// Hugging Face names, and target matching by qualified name (exact, suffix or regex, like PEFT).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/config.h"

namespace pw {

// One base-model parameter as TransformerModel names it, e.g. "layers.3.attention.query.bias".
struct BaseTensor {
  std::string name;
  std::vector<int64_t> shape;
  int64_t numel() const;
};
// Every base parameter (embeddings, layers, final norm, pooler); no head. Same names and shapes as the
// live model's named_parameters().
std::vector<BaseTensor> baseTensors(const ModelConfig& config);
int64_t baseParameterTotal(const ModelConfig& config);
bool isBaseTensorName(const ModelConfig& config, const std::string& name);
// A base tensor the classifier's forward never reaches under this config: BERT's pooler when the features
// are the mean of the token outputs. Such tensors are never trainable (and counted in no method's budget).
bool isUnusedForClassification(const ModelConfig& config, const std::string& name);

// One AdaptableLinear a method can target.
struct LinearSite {
  std::string name;    // internal: "layers.3.attention.query"
  std::string hfName;  // Hugging Face module: "bert.encoder.layer.3.attention.self.query",
                       // GPT-2 "transformer.h.3.attn.c_attn" (q, k and v share the fused c_attn)
  int part = -1;       // GPT-2 c_attn: 0 query, 1 key, 2 value; -1 otherwise
  int64_t layer = 0, in = 0, out = 0;
};
std::vector<LinearSite> linearSites(const ModelConfig& config);
// A layer's Hugging Face module prefix: "bert.encoder.layer.3.", "roberta.encoder.layer.3.",
// "distilbert.transformer.layer.3.", "transformer.h.3.".
std::string hfLayerPrefix(const ModelConfig& config, int64_t layer);
// The Hugging Face module of one of a layer's linears ("attention.key", "output", ...: the internal name
// after "layers.N."): "bert.encoder.layer.3.attention.self.key", "distilbert.transformer.layer.3.ffn.lin2".
std::string hfLinearName(const ModelConfig& config, int64_t layer, const std::string& module);

// Does a target pattern select this site? A pattern matches the internal or the Hugging Face name exactly
// or as a dotted suffix ("query", "attention.output", "c_attn"); a pattern with regex characters
// (*?[]()|^$+{}\) must match a whole name.
bool targetMatches(const std::string& pattern, const LinearSite& site);
// Throws pw::Error naming the first pattern that is not a valid regular expression. Called where the knobs are
// read, so a bad pattern is refused before anything is attached (and an adapter folder's error names its file).
void checkTargetPatterns(const std::vector<std::string>& patterns);
// The sites any pattern selects, in model order. Throws pw::Error naming the patterns when none matches,
// or naming a pattern that selects nothing.
std::vector<LinearSite> selectTargets(const ModelConfig& config, const std::vector<std::string>& patterns);

// The Hugging Face tensor holding a base parameter: "bert.encoder.layer.3.attention.self.query.bias",
// GPT-2 "transformer.h.3.attn.c_attn.bias" (fused: the whole tensor holds q, k and v).
std::string hfTensorName(const ModelConfig& config, const std::string& baseName);

// Head tensors' Hugging Face names: BERT classifier.weight/bias, GPT-2 score.weight.
std::vector<std::string> hfHeadNames(const ModelConfig& config);

// "[2, 768]"
std::string shapeText(const std::vector<int64_t>& shape);

}  // namespace pw
