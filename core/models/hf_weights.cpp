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

// A post-LayerNorm encoder's Hugging Face names: BERT and RoBERTa, or DistilBERT (its own names, no token
// types; its pre_classifier, held as the pooler, is ReLU'd under "cls" pooling).
struct EncoderNames {
  std::string layers;                       // "bert.encoder.layer."
  const char *query, *key, *value, *output;  // the attention's linears
  const char *attnNorm, *ffnIn, *ffnOut, *ffnNorm;
  std::string pooler;                       // "bert.pooler.dense"
  const char *mlmTransform, *mlmNorm, *mlmBias;
};

EncoderNames encoderNames(const ModelConfig& c) {
  const std::string p = c.weightPrefix();
  if (c.distilbert)
    return {p + "transformer.layer.", "attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin",
            "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm", "pre_classifier",
            "vocab_transform", "vocab_layer_norm", "vocab_projector.bias"};
  return {p + "encoder.layer.", "attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
          "output.LayerNorm", p + "pooler.dense", "cls.predictions.transform.dense",
          "cls.predictions.transform.LayerNorm", "cls.predictions.bias"};
}

std::vector<Entry> encoderEntries(TransformerModelImpl& m) {
  std::vector<Entry> e;
  const EncoderNames n = encoderNames(m.config());
  const std::string p = m.config().weightPrefix();
  addDirect(e, p + "embeddings.word_embeddings.weight", m.word_embeddings->weight);
  addDirect(e, p + "embeddings.position_embeddings.weight", m.position_embeddings->weight);
  if (!m.token_type_embeddings.is_empty())
    addDirect(e, p + "embeddings.token_type_embeddings.weight", m.token_type_embeddings->weight);
  addDirect(e, p + "embeddings.LayerNorm.weight", m.embeddings_norm->weight);
  addDirect(e, p + "embeddings.LayerNorm.bias", m.embeddings_norm->bias);
  for (size_t i = 0; i < m.blocks.size(); ++i) {
    auto& b = m.blocks[i];
    const std::string l = n.layers + std::to_string(i) + ".";
    auto pair = [&](const std::string& name, const at::Tensor& weight, const at::Tensor& bias) {
      addDirect(e, l + name + ".weight", weight);
      addDirect(e, l + name + ".bias", bias);
    };
    pair(n.query, b->attention->query->weight, b->attention->query->bias);
    pair(n.key, b->attention->key->weight, b->attention->key->bias);
    pair(n.value, b->attention->value->weight, b->attention->value->bias);
    pair(n.output, b->attention->output->weight, b->attention->output->bias);
    pair(n.attnNorm, b->attn_norm->weight, b->attn_norm->bias);
    pair(n.ffnIn, b->intermediate->weight, b->intermediate->bias);
    pair(n.ffnOut, b->output->weight, b->output->bias);
    pair(n.ffnNorm, b->ffn_norm->weight, b->ffn_norm->bias);
  }
  // Optional: BertForMaskedLM checkpoints have no pooler, pretrained DistilBERTs no pre_classifier.
  addDirect(e, n.pooler + ".weight", m.pooler->weight, 1);
  addDirect(e, n.pooler + ".bias", m.pooler->bias, 1);
  if (m.hasClassifier()) {
    addDirect(e, "classifier.weight", m.classifier->weight, 2);
    addDirect(e, "classifier.bias", m.classifier->bias, 2);
  }
  if (m.hasMlmHead()) {  // the decoder's weight is tied to the word embeddings (not stored twice)
    addDirect(e, std::string(n.mlmTransform) + ".weight", m.mlm_transform->weight, 3);
    addDirect(e, std::string(n.mlmTransform) + ".bias", m.mlm_transform->bias, 3);
    addDirect(e, std::string(n.mlmNorm) + ".weight", m.mlm_norm->weight, 3);
    addDirect(e, std::string(n.mlmNorm) + ".bias", m.mlm_norm->bias, 3);
    addDirect(e, n.mlmBias, m.mlm_bias, 3);
  }
  return e;
}

std::vector<Entry> gpt2Entries(TransformerModelImpl& m);

std::vector<Entry> entriesOf(TransformerModelImpl& m) { return m.isBert() ? encoderEntries(m) : gpt2Entries(m); }

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
