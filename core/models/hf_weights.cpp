// Hugging Face weight-name mapping (see hf_weights.h).
#include "models/hf_weights.h"

#include <functional>
#include <set>
#include <sstream>

#include "util/error.h"

namespace pw {
namespace {

// One tensor in Hugging Face's naming: its expected shape, how to read it into the model and write it out.
struct Entry {
  std::string name;
  std::vector<int64_t> shape;
  std::function<void(const at::Tensor&)> load;
  std::function<at::Tensor()> save;
  int group = 0;  // 0 required, 1 optional base (pooler), 2 classifier, 3 MLM head
};

std::function<void(const at::Tensor&)> copyInto(at::Tensor target) {
  return [target](const at::Tensor& src) mutable {
    torch::NoGradGuard guard;
    target.copy_(src);
  };
}

void addDirect(std::vector<Entry>& out, const std::string& name, const at::Tensor& t, int group = 0) {
  out.push_back({name, t.sizes().vec(), copyInto(t), [t] { return t.detach().clone(); }, group});
}

// GPT-2's Conv1D stores [in, out]; our linear stores [out, in].
void addTransposed(std::vector<Entry>& out, const std::string& name, const at::Tensor& t) {
  out.push_back({name, {t.size(1), t.size(0)}, [t](const at::Tensor& src) mutable {
                   torch::NoGradGuard guard;
                   t.copy_(src.t());
                 },
                 [t] { return t.detach().t().contiguous(); }, 0});
}

std::vector<Entry> bertEntries(TransformerModelImpl& m) {
  std::vector<Entry> e;
  const std::string p = m.config().weightPrefix();
  addDirect(e, p + "embeddings.word_embeddings.weight", m.word_embeddings->weight);
  addDirect(e, p + "embeddings.position_embeddings.weight", m.position_embeddings->weight);
  addDirect(e, p + "embeddings.token_type_embeddings.weight", m.token_type_embeddings->weight);
  addDirect(e, p + "embeddings.LayerNorm.weight", m.embeddings_norm->weight);
  addDirect(e, p + "embeddings.LayerNorm.bias", m.embeddings_norm->bias);
  for (size_t i = 0; i < m.blocks.size(); ++i) {
    auto& b = m.blocks[i];
    const std::string l = p + "encoder.layer." + std::to_string(i) + ".";
    auto linear = [&](const std::string& n, AdaptableLinear& lin) {
      addDirect(e, l + n + ".weight", lin->weight);
      addDirect(e, l + n + ".bias", lin->bias);
    };
    linear("attention.self.query", b->attention->query);
    linear("attention.self.key", b->attention->key);
    linear("attention.self.value", b->attention->value);
    linear("attention.output.dense", b->attention->output);
    addDirect(e, l + "attention.output.LayerNorm.weight", b->attn_norm->weight);
    addDirect(e, l + "attention.output.LayerNorm.bias", b->attn_norm->bias);
    linear("intermediate.dense", b->intermediate);
    linear("output.dense", b->output);
    addDirect(e, l + "output.LayerNorm.weight", b->ffn_norm->weight);
    addDirect(e, l + "output.LayerNorm.bias", b->ffn_norm->bias);
  }
  // BertForMaskedLM checkpoints have no pooler: optional.
  addDirect(e, p + "pooler.dense.weight", m.pooler->weight, 1);
  addDirect(e, p + "pooler.dense.bias", m.pooler->bias, 1);
  if (m.hasClassifier()) {
    addDirect(e, "classifier.weight", m.classifier->weight, 2);
    addDirect(e, "classifier.bias", m.classifier->bias, 2);
  }
  if (m.hasMlmHead()) {
    addDirect(e, "cls.predictions.transform.dense.weight", m.mlm_transform->weight, 3);
    addDirect(e, "cls.predictions.transform.dense.bias", m.mlm_transform->bias, 3);
    addDirect(e, "cls.predictions.transform.LayerNorm.weight", m.mlm_norm->weight, 3);
    addDirect(e, "cls.predictions.transform.LayerNorm.bias", m.mlm_norm->bias, 3);
    addDirect(e, "cls.predictions.bias", m.mlm_bias, 3);
  }
  return e;
}

std::vector<Entry> gpt2Entries(TransformerModelImpl& m);

// DistilBERT: the same post-LayerNorm encoder as BERT under its own names, no token types, no pooler; its
// pre_classifier (optional: pretrained checkpoints lack it) is held as the pooler (ReLU under "cls" pooling).
std::vector<Entry> distilbertEntries(TransformerModelImpl& m) {
  std::vector<Entry> e;
  const std::string p = "distilbert.";
  addDirect(e, p + "embeddings.word_embeddings.weight", m.word_embeddings->weight);
  addDirect(e, p + "embeddings.position_embeddings.weight", m.position_embeddings->weight);
  addDirect(e, p + "embeddings.LayerNorm.weight", m.embeddings_norm->weight);
  addDirect(e, p + "embeddings.LayerNorm.bias", m.embeddings_norm->bias);
  for (size_t i = 0; i < m.blocks.size(); ++i) {
    auto& b = m.blocks[i];
    const std::string l = p + "transformer.layer." + std::to_string(i) + ".";
    auto linear = [&](const std::string& n, AdaptableLinear& lin) {
      addDirect(e, l + n + ".weight", lin->weight);
      addDirect(e, l + n + ".bias", lin->bias);
    };
    linear("attention.q_lin", b->attention->query);
    linear("attention.k_lin", b->attention->key);
    linear("attention.v_lin", b->attention->value);
    linear("attention.out_lin", b->attention->output);
    addDirect(e, l + "sa_layer_norm.weight", b->attn_norm->weight);
    addDirect(e, l + "sa_layer_norm.bias", b->attn_norm->bias);
    linear("ffn.lin1", b->intermediate);
    linear("ffn.lin2", b->output);
    addDirect(e, l + "output_layer_norm.weight", b->ffn_norm->weight);
    addDirect(e, l + "output_layer_norm.bias", b->ffn_norm->bias);
  }
  addDirect(e, "pre_classifier.weight", m.pooler->weight, 1);
  addDirect(e, "pre_classifier.bias", m.pooler->bias, 1);
  if (m.hasClassifier()) {
    addDirect(e, "classifier.weight", m.classifier->weight, 2);
    addDirect(e, "classifier.bias", m.classifier->bias, 2);
  }
  if (m.hasMlmHead()) {  // DistilBertForMaskedLM: vocab_projector's weight is tied to the word embeddings
    addDirect(e, "vocab_transform.weight", m.mlm_transform->weight, 3);
    addDirect(e, "vocab_transform.bias", m.mlm_transform->bias, 3);
    addDirect(e, "vocab_layer_norm.weight", m.mlm_norm->weight, 3);
    addDirect(e, "vocab_layer_norm.bias", m.mlm_norm->bias, 3);
    addDirect(e, "vocab_projector.bias", m.mlm_bias, 3);
  }
  return e;
}

std::vector<Entry> entriesOf(TransformerModelImpl& m) {
  if (m.config().distilbert) return distilbertEntries(m);
  return m.isBert() ? bertEntries(m) : gpt2Entries(m);
}

std::vector<Entry> gpt2Entries(TransformerModelImpl& m) {
  std::vector<Entry> e;
  const std::string p = "transformer.";
  const int64_t d = m.config().hidden;
  addDirect(e, p + "wte.weight", m.word_embeddings->weight);
  addDirect(e, p + "wpe.weight", m.position_embeddings->weight);
  for (size_t i = 0; i < m.blocks.size(); ++i) {
    auto& b = m.blocks[i];
    auto& a = b->attention;
    const std::string l = p + "h." + std::to_string(i) + ".";
    addDirect(e, l + "ln_1.weight", b->attn_norm->weight);
    addDirect(e, l + "ln_1.bias", b->attn_norm->bias);
    // c_attn fuses q|k|v along the output dimension.
    std::vector<at::Tensor> qkvW = {a->query->weight, a->key->weight, a->value->weight};
    std::vector<at::Tensor> qkvB = {a->query->bias, a->key->bias, a->value->bias};
    e.push_back({l + "attn.c_attn.weight", {d, 3 * d}, [qkvW](const at::Tensor& src) mutable {
                   torch::NoGradGuard guard;
                   auto parts = src.t().chunk(3, 0);
                   for (int j = 0; j < 3; ++j) qkvW[j].copy_(parts[j]);
                 },
                 [qkvW] { return torch::cat(qkvW, 0).detach().t().contiguous(); }, 0});
    e.push_back({l + "attn.c_attn.bias", {3 * d}, [qkvB](const at::Tensor& src) mutable {
                   torch::NoGradGuard guard;
                   auto parts = src.chunk(3, 0);
                   for (int j = 0; j < 3; ++j) qkvB[j].copy_(parts[j]);
                 },
                 [qkvB] { return torch::cat(qkvB, 0).detach().clone(); }, 0});
    addTransposed(e, l + "attn.c_proj.weight", a->output->weight);
    addDirect(e, l + "attn.c_proj.bias", a->output->bias);
    addDirect(e, l + "ln_2.weight", b->ffn_norm->weight);
    addDirect(e, l + "ln_2.bias", b->ffn_norm->bias);
    addTransposed(e, l + "mlp.c_fc.weight", b->intermediate->weight);
    addDirect(e, l + "mlp.c_fc.bias", b->intermediate->bias);
    addTransposed(e, l + "mlp.c_proj.weight", b->output->weight);
    addDirect(e, l + "mlp.c_proj.bias", b->output->bias);
  }
  addDirect(e, p + "ln_f.weight", m.final_norm->weight);
  addDirect(e, p + "ln_f.bias", m.final_norm->bias);
  if (m.hasClassifier()) addDirect(e, "score.weight", m.classifier->weight, 2);
  return e;
}

// Brings a file's name to the canonical form used by the entries.
std::string canonical(std::string name, const ModelConfig& config) {
  const bool bert = config.family == Family::Bert;
  auto replaceSuffix = [&](const std::string& from, const std::string& to) {
    if (name.size() >= from.size() && name.compare(name.size() - from.size(), from.size(), from) == 0)
      name = name.substr(0, name.size() - from.size()) + to;
  };
  replaceSuffix("LayerNorm.gamma", "LayerNorm.weight");
  replaceSuffix("LayerNorm.beta", "LayerNorm.bias");
  const std::string prefix = config.weightPrefix();
  bool head = config.distilbert
                  ? (name.rfind("classifier.", 0) == 0 || name.rfind("pre_classifier.", 0) == 0 ||
                     name.rfind("vocab_", 0) == 0)
             : bert ? (name.rfind("classifier.", 0) == 0 || name.rfind("cls.", 0) == 0 ||
                      (config.roberta && name.rfind("lm_head.", 0) == 0))
                   : (name.rfind("score.", 0) == 0 || name.rfind("lm_head.", 0) == 0);
  if (!head && name.rfind(prefix, 0) != 0) name = prefix + name;
  return name;
}

bool isIgnorable(const std::string& name, const ModelConfig& config) {
  auto ends = [&](const std::string& s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  // BERT's pretraining heads (MLM, next-sentence) are not used when classifying; nor is RoBERTa's MLM head.
  if (name.rfind("cls.", 0) == 0) return true;
  if (config.roberta && name.rfind("lm_head.", 0) == 0) return true;
  // DistilBertForMaskedLM's head (vocab_transform, vocab_layer_norm, vocab_projector) when not used.
  if (config.distilbert && name.rfind("vocab_", 0) == 0) return true;
  return ends("position_ids") || ends("attn.bias") || ends("attn.masked_bias") || ends("lm_head.weight") ||
         ends("cls.predictions.decoder.weight") || ends("cls.predictions.decoder.bias");
}

std::string shapeString(const std::vector<int64_t>& s) {
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  o << "]";
  return o.str();
}

}  // namespace

LoadReport loadHuggingFaceWeights(TransformerModelImpl& model, const io::TensorMap& weights,
                                  const std::string& file) {
  std::vector<Entry> entries = entriesOf(model);
  std::map<std::string, const at::Tensor*> byName;
  LoadReport report;
  for (const auto& [name, t] : weights) {
    std::string c = canonical(name, model.config());
    if (byName.count(c)) throw fileError(file, "tensor \"" + name + "\" appears twice (with and without prefix)");
    byName[c] = &t;
  }
  std::set<std::string> used;
  std::vector<std::string> missing;
  for (auto& e : entries) {
    auto it = byName.find(e.name);
    if (it == byName.end()) {
      if (e.group == 0) missing.push_back(e.name);
      else report.missingOptional.push_back(e.name);
      continue;
    }
    const at::Tensor& src = *it->second;
    if (src.sizes().vec() != e.shape)
      throw fileError(file, "tensor \"" + e.name + "\" has shape " + shapeString(src.sizes().vec()) +
                                " but the config implies " + shapeString(e.shape));
    if (!src.is_floating_point()) throw fileError(file, "tensor \"" + e.name + "\" is not floating point");
    e.load(src.to(torch::kFloat));
    used.insert(e.name);
    if (e.group == 2) report.classifierLoaded = true;
    if (e.group == 3) report.mlmHeadLoaded = true;
  }
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 3; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 3) list += ", ... (" + std::to_string(missing.size()) + " in all)";
    throw fileError(file, "missing weight " + list);
  }
  for (const auto& [name, t] : byName)
    if (!used.count(name) && !isIgnorable(name, model.config())) report.unused.push_back(name);
  return report;
}

io::TensorMap toHuggingFaceWeights(TransformerModelImpl& model) {
  io::TensorMap out;
  for (auto& e : entriesOf(model)) out[e.name] = e.save();
  return out;
}

}  // namespace pw
