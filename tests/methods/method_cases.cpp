// Shared fixtures of the method tests (see method_cases.h).
#include "method_cases.h"

#include <torch/torch.h>

namespace pwtest {

using namespace pw;

std::string MethodCase::label() const {
  return std::string(distilbert ? "distilbert " : family == Family::Bert ? "bert " : "gpt2 ") + method + " " +
         knobs.dump();
}

std::vector<MethodCase> methodCases() {
  std::vector<MethodCase> cases;
  for (Family f : {Family::Bert, Family::Gpt2}) {
    auto add = [&](const std::string& m, nlohmann::json k) { cases.push_back({f, m, std::move(k)}); };
    add("lp", nlohmann::json::object());
    add("ft", nlohmann::json::object());
    add("lp-ft", {{"lr_factor", 0.1}});
    add("prompt", {{"length", 4}});
    add("prompt", {{"length", 3}, {"init", "random"}});
    add("prefix", {{"length", 3}});
    add("prefix", {{"length", 3}, {"reparam", 8}});
    add("adapter", {{"adapter_size", 4}});
    add("adapter", {{"adapter_size", 4}, {"adapter_kind", "pfeiffer"}, {"train_layernorm", true}});
    add("lora", {{"rank", 2}});
    add("lora", {{"rank", 2}, {"alpha", 4}, {"targets", "query,key,value,attention.output,intermediate,ffn_output"}});
    add("lora", {{"rank", 3}, {"targets", "value"}});
    add("bitfit", nlohmann::json::object());
    add("ia3", nlohmann::json::object());
  }
  auto distil = [&](const std::string& m, nlohmann::json k) { cases.push_back({Family::Bert, m, std::move(k), true}); };
  distil("lp", nlohmann::json::object());
  distil("ft", nlohmann::json::object());
  distil("prompt", {{"length", 4}});
  distil("prefix", {{"length", 3}});
  distil("adapter", {{"adapter_size", 4}, {"adapter_kind", "pfeiffer"}, {"train_layernorm", true}});
  distil("lora", {{"rank", 2}, {"alpha", 4}, {"targets", "query,key,value,attention.output,intermediate,ffn_output"}});
  distil("bitfit", nlohmann::json::object());
  distil("ia3", nlohmann::json::object());
  return cases;
}

ModelConfig tinyConfig(Family family, int64_t hidden) {
  ModelConfig c = makeConfig(family, 50, 2, hidden, 4, 32);
  c.dropout = 0.0;
  c.attentionDropout = 0.0;
  return c;
}

ModelConfig tinyConfig(const MethodCase& c) {
  if (!c.distilbert) return tinyConfig(c.family);
  return ModelConfig::fromJson({{"model_type", "distilbert"}, {"vocab_size", 50}, {"dim", 16}, {"n_layers", 2},
                                {"n_heads", 4}, {"hidden_dim", 64}, {"max_position_embeddings", 32},
                                {"dropout", 0.0}, {"attention_dropout", 0.0}, {"classifier_pooling", "cls"}});
}

namespace {

TransformerModel tinyModelOf(const ModelConfig& config, uint64_t seed) {
  TransformerModel m(config);
  initialiseWeights(*m, seed);
  m->setClassifier({"neg", "pos"});
  torch::NoGradGuard guard;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed + 1);
  m->classifier->weight.normal_(0.0, 0.5, gen);  // a head that actually separates the classes
  // Non-trivial LayerNorms and biases, so no tensor sits at a special value that hides a bug.
  for (auto& p : m->named_parameters()) {
    if (p.key().rfind("classifier", 0) == 0) continue;
    if (p.value().dim() == 1) p.value().add_(torch::randn(p.value().sizes(), gen) * 0.05);
  }
  return m;
}

}  // namespace

TransformerModel tinyModel(Family family, int64_t hidden, uint64_t seed) {
  return tinyModelOf(tinyConfig(family, hidden), seed);
}

TransformerModel tinyModel(const MethodCase& c) { return tinyModelOf(tinyConfig(c), 7); }

ModelInputs makeInputs(const std::vector<std::vector<int64_t>>& rows, int64_t pad) {
  size_t T = 0;
  for (auto& r : rows) T = std::max(T, r.size());
  at::Tensor ids = torch::full({int64_t(rows.size()), int64_t(T)}, pad, torch::kLong);
  at::Tensor mask = torch::zeros({int64_t(rows.size()), int64_t(T)}, torch::kLong);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t t = 0; t < rows[i].size(); ++t) {
      ids[i][t] = rows[i][t];
      mask[i][t] = 1;
    }
  ModelInputs in;
  in.ids = ids;
  in.mask = mask;
  return in;
}

ModelInputs sampleBatch() { return makeInputs({{2, 11, 12, 13, 14, 3}, {2, 21, 22, 3}, {2, 31, 32, 33, 3}}); }

bool trainSteps(TransformerModelImpl& model, const Method& method, int steps, std::string* problem) {
  NamedTensors trainable = trainableParameters(model, method);
  std::vector<at::Tensor> params;
  for (auto& [n, t] : trainable) params.push_back(t);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-2));
  ModelInputs in = sampleBatch();
  at::Tensor labels = torch::tensor({0, 1, 0}, torch::kLong);
  model.train();
  for (int s = 0; s < steps; ++s) {
    opt.zero_grad();
    at::Tensor loss = torch::nn::functional::cross_entropy(classifyWith(model, method, in), labels);
    loss.backward();
    for (const auto& item : model.named_parameters()) {
      const bool hasGrad = item.value().grad().defined();
      if (hasGrad != item.value().requires_grad()) {
        if (problem) *problem = item.key() + (hasGrad ? " is frozen but got a gradient" : " trains but got no gradient");
        return false;
      }
    }
    opt.step();
  }
  model.eval();
  return true;
}

std::map<std::string, at::Tensor> snapshot(TransformerModelImpl& model, const Method& method) {
  std::map<std::string, at::Tensor> out;
  for (const auto& item : model.named_parameters()) out[item.key()] = item.value().detach().clone();
  for (const auto& [n, t] : method.ownParameters()) out["own." + n] = t.detach().clone();
  return out;
}

int64_t closedFormBaseTotal(const ModelConfig& c) {
  const int64_t V = c.vocabSize, P = c.maxPositions, T = c.typeVocabSize, d = c.hidden, f = c.intermediate,
                L = c.layers;
  const int64_t layer = 4 * d * d + 2 * d * f + f + 9 * d;
  if (c.family == Family::Bert) return (V + P + T) * d + 2 * d + L * layer + (d * d + d);
  return (V + P) * d + L * layer + 2 * d;
}

int64_t closedFormTrainable(const ModelConfig& c, const std::string& method, const nlohmann::json& k) {
  const int64_t d = c.hidden, f = c.intermediate, L = c.layers;
  const bool bert = c.family == Family::Bert;
  auto knob = [&](const char* key, int64_t fallback) -> int64_t {
    if (!k.contains(key)) return fallback;
    return k[key].is_string() ? std::stoll(k[key].get<std::string>()) : k[key].get<int64_t>();
  };
  if (method == "lp") return 0;
  // BERT's pooler trains only where [CLS] pooling puts it on the path (mean pooling: RoBERTa, the shipped models).
  const int64_t unusedPooler = bert && c.pooling != "cls" ? d * d + d : 0;
  if (method == "ft" || method == "lp-ft") return closedFormBaseTotal(c) - unusedPooler;  // stage 2
  if (method == "prompt") return knob("length", 20) * d;
  if (method == "prefix") {
    const int64_t kk = knob("length", 10), h = knob("reparam", 0);
    return h == 0 ? 2 * kk * L * d : kk * d + (d * h + h) + (h * 2 * L * d + 2 * L * d);
  }
  if (method == "adapter") {
    const int64_t m = knob("adapter_size", 64);
    const bool houlsby = k.value("adapter_kind", std::string("houlsby")) == "houlsby";
    int64_t n = (houlsby ? 2 : 1) * L * (2 * d * m + m + d);
    if (k.value("train_layernorm", false)) n += (2 * L + 1) * 2 * d;
    return n;
  }
  if (method == "lora") {
    const int64_t r = knob("rank", 8);
    const std::string targets = k.value("targets", std::string("query,value"));
    if (targets == "query,value") return 4 * L * r * d;
    if (targets == "value") return 2 * L * r * d;
    if (targets == "query,key,value,attention.output,intermediate,ffn_output") return L * r * (10 * d + 2 * f);
    return -1;
  }
  if (method == "bitfit") return bert ? L * (7 * d + f) + 2 * d - (unusedPooler ? d : 0) : L * (7 * d + f) + d;
  if (method == "ia3") return L * (2 * d + f);
  return -1;
}

}  // namespace pwtest
