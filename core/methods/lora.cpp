// LoRA (see lora.h). File layout as PEFT writes it: "base_model.model.<HF module>.lora_A.weight" (r, in) and
// ".lora_B.weight" (out, r). GPT-2's q, k, v live in one fused Conv1D c_attn (fan_in_fan_out = true): LoRA on
// some of its parts is written as one exactly equivalent c_attn LoRA of rank r * parts, A = [A_q; A_v] and B
// block-structured with zero rows for the untargeted parts (rank_pattern / alpha_pattern keep alpha / r).
#include "methods/lora.h"

#include <cmath>
#include <set>

#include "methods/adapter_folder.h"
#include "models/transformer.h"
#include "util/error.h"

namespace pw {
namespace {

AdaptableLinearImpl& siteLinear(TransformerModelImpl& model, const LinearSite& site) {
  auto& b = model.blocks.at(site.layer);
  const std::string leaf = site.name.substr(site.name.find('.', 7) + 1);
  if (leaf == "attention.query") return *b->attention->query;
  if (leaf == "attention.key") return *b->attention->key;
  if (leaf == "attention.value") return *b->attention->value;
  if (leaf == "attention.output") return *b->attention->output;
  if (leaf == "intermediate") return *b->intermediate;
  if (leaf == "output") return *b->output;
  throw Error("internal: no linear layer " + site.name);
}

// The part of a Hugging Face module name after the layer index: "attention.self.query", "attn.c_attn".
std::string moduleSuffix(const std::string& hfName) {
  size_t dot = hfName.find('.', hfName.find_first_of("0123456789"));
  return hfName.substr(dot + 1);
}

}  // namespace

LoraDelta::LoraDelta(int64_t in, int64_t out, int64_t rank, double s) : scale(s) {
  A = register_parameter("lora_A", torch::zeros({rank, in}));
  B = register_parameter("lora_B", torch::zeros({out, rank}));
}

at::Tensor LoraDelta::forward(const at::Tensor& x) {
  return torch::nn::functional::linear(torch::nn::functional::linear(x, A), B) * scale;
}

at::Tensor LoraDelta::denseWeight() const { return torch::matmul(B, A).detach() * scale; }

LoraMethod::LoraMethod(const nlohmann::json& knobs) {
  config_.rank = knobs.at("rank").get<int64_t>();
  config_.alpha = knobs.at("alpha").get<double>();
  config_.targets = knobs.at("targets").get<std::vector<std::string>>();
  checkTargetPatterns(config_.targets);
}

void LoraMethod::validate(const ModelConfig& config) const { selectTargets(config, config_.targets); }

std::string LoraMethod::groupOf(const std::string& n) const {
  return n.find(".delta.lora_") != std::string::npos ? "lora" : "";
}

std::map<std::string, int64_t> LoraMethod::addedParameters(const ModelConfig& config) const {
  int64_t n = 0;
  for (const auto& s : selectTargets(config, config_.targets)) n += config_.rank * (s.in + s.out);
  return {{"lora", n}};
}

void LoraMethod::create(TransformerModelImpl& model, const InitContext& ctx) {
  sites_ = selectTargets(model.config(), config_.targets);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(ctx.seed + 0x10a);
  torch::NoGradGuard guard;
  for (const auto& s : sites_) {
    auto d = std::make_shared<LoraDelta>(s.in, s.out, config_.rank, config_.alpha / double(config_.rank));
    // kaiming_uniform_(a = sqrt(5)) on (r, in): bound = 1 / sqrt(in), as loralib and PEFT.
    const double bound = 1.0 / std::sqrt(double(s.in));
    d->A.uniform_(-bound, bound, gen);
    deltas_.push_back(d);
  }
}

void LoraMethod::plug(TransformerModelImpl& model) {
  for (size_t i = 0; i < sites_.size(); ++i) siteLinear(model, sites_[i]).setDelta(deltas_[i]);
}

void LoraMethod::unplug(TransformerModelImpl& model) {
  for (const auto& s : sites_) siteLinear(model, s).clearDelta();
}

void LoraMethod::merge(TransformerModelImpl& model) {
  if (!enabled()) return;
  for (const auto& s : sites_) siteLinear(model, s).merge();
}

void LoraMethod::unmerge(TransformerModelImpl& model) {
  for (const auto& s : sites_) siteLinear(model, s).unmerge();
}

nlohmann::json LoraMethod::adapterConfig(TransformerModelImpl& model) const {
  // Target modules by suffix when every layer has the same set, otherwise by full name.
  std::map<int64_t, std::set<std::string>> perLayer;
  std::map<std::string, int> parts;  // HF module -> number of targeted parts (GPT-2 c_attn: up to 3)
  for (const auto& s : sites_) {
    perLayer[s.layer].insert(moduleSuffix(s.hfName));
    parts[s.hfName]++;
  }
  bool uniform = perLayer.size() == size_t(model.config().layers);
  for (const auto& [layer, set] : perLayer) uniform = uniform && set == perLayer.begin()->second;
  std::vector<std::string> targets;
  if (uniform) targets.assign(perLayer.begin()->second.begin(), perLayer.begin()->second.end());
  else for (const auto& [name, n] : parts) targets.push_back(name);
  nlohmann::json rankPattern = nlohmann::json::object(), alphaPattern = nlohmann::json::object();
  for (const auto& [name, n] : parts) {
    if (n == 1) continue;
    const std::string key = uniform ? moduleSuffix(name) : name;
    rankPattern[key] = config_.rank * n;
    alphaPattern[key] = config_.alpha * n;
  }
  return {{"r", config_.rank}, {"lora_alpha", config_.alpha}, {"lora_dropout", 0.0}, {"target_modules", targets},
          {"bias", "none"}, {"fan_in_fan_out", !model.isBert()}, {"rank_pattern", rankPattern},
          {"alpha_pattern", alphaPattern}, {"init_lora_weights", true}, {"use_rslora", false}};
}

io::TensorMap LoraMethod::exportTensors(TransformerModelImpl& model) const {
  torch::NoGradGuard guard;
  const int64_t r = config_.rank;
  std::map<std::string, std::vector<size_t>> byModule;  // HF module -> indices into sites_, in part order
  for (size_t i = 0; i < sites_.size(); ++i) byModule[sites_[i].hfName].push_back(i);
  io::TensorMap out;
  for (const auto& [module, idx] : byModule) {
    const std::string p = "base_model.model." + module;
    const LinearSite& first = sites_[idx[0]];
    if (first.part < 0) {
      out[p + ".lora_A.weight"] = deltas_[idx[0]]->A.detach().clone();
      out[p + ".lora_B.weight"] = deltas_[idx[0]]->B.detach().clone();
      continue;
    }
    const int64_t d = first.out, R = r * int64_t(idx.size());
    at::Tensor A = torch::zeros({R, first.in}), B = torch::zeros({3 * d, R});
    for (size_t j = 0; j < idx.size(); ++j) {
      const LinearSite& s = sites_[idx[j]];
      A.narrow(0, j * r, r).copy_(deltas_[idx[j]]->A);
      B.narrow(0, s.part * d, d).narrow(1, j * r, r).copy_(deltas_[idx[j]]->B);
    }
    out[p + ".lora_A.weight"] = A;
    out[p + ".lora_B.weight"] = B;
  }
  return out;
}

void LoraMethod::importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) {
  torch::NoGradGuard guard;
  const int64_t r = config_.rank;
  std::map<std::string, std::vector<size_t>> byModule;
  for (size_t i = 0; i < sites_.size(); ++i) byModule[sites_[i].hfName].push_back(i);
  for (const auto& [module, idx] : byModule) {
    const std::string p = "base_model.model." + module;
    const LinearSite& first = sites_[idx[0]];
    if (first.part < 0) {
      deltas_[idx[0]]->A.copy_(takeTensor(file, p + ".lora_A.weight", {r, first.in}, fileName));
      deltas_[idx[0]]->B.copy_(takeTensor(file, p + ".lora_B.weight", {first.out, r}, fileName));
      continue;
    }
    // Fused c_attn: our own layout (rank r * parts, block-structured B) or a dense rank-r one from PEFT,
    // whose every part shares A.
    const int64_t d = first.out;
    auto itA = file.find(p + ".lora_A.weight");
    const int64_t R = itA != file.end() && itA->second.dim() == 2 ? itA->second.size(0) : r;
    if (R != r && R != r * int64_t(idx.size()))
      throw fileError(fileName, p + ".lora_A.weight has rank " + std::to_string(R) + "; expected " +
                                    std::to_string(r) + " or " + std::to_string(r * idx.size()));
    at::Tensor A = takeTensor(file, p + ".lora_A.weight", {R, first.in}, fileName);
    at::Tensor B = takeTensor(file, p + ".lora_B.weight", {3 * d, R}, fileName);
    const bool blocks = R != r || idx.size() == 1;
    for (size_t j = 0; j < idx.size(); ++j) {
      const int64_t col = blocks ? int64_t(j) * r : 0;
      deltas_[idx[j]]->A.copy_(A.narrow(0, col, r));
      deltas_[idx[j]]->B.copy_(B.narrow(0, sites_[idx[j]].part * d, d).narrow(1, col, r));
    }
  }
}

namespace {

bool isSet(const nlohmann::json& peft, const char* key) {
  if (!peft.contains(key)) return false;
  const nlohmann::json& v = peft.at(key);
  return !(v.is_null() || (v.is_boolean() && !v.get<bool>()) || ((v.is_object() || v.is_array()) && v.empty()));
}

// A PEFT pattern ({"module": value}) is fine only when it changes nothing: every value equal to the global one.
void requireUniform(const nlohmann::json& peft, const char* key, const nlohmann::json& global) {
  if (!isSet(peft, key)) return;
  if (!peft.at(key).is_object()) throw Error(std::string(key) + " must be an object of module: value");
  for (const auto& [module, value] : peft.at(key).items())
    if (!value.is_number() || !global.is_number() || value.get<double>() != global.get<double>())
      throw Error(std::string(key) + " gives \"" + module + "\" its own value (" + value.dump() +
                  "); LoRA with a different rank or alpha per module is not supported");
}

}  // namespace

// PEFT's adapter_config.json for LoRA -> our knobs: r, lora_alpha (use_rslora's alpha / sqrt(r) as the equivalent
// alpha), target_modules; what would change the forward and has no knob here is refused by its field name.
nlohmann::json loraKnobsFromPeft(const nlohmann::json& peft) {
  nlohmann::json k = nlohmann::json::object();
  if (peft.contains("r")) k["rank"] = peft["r"];
  if (peft.contains("lora_alpha")) k["alpha"] = peft["lora_alpha"];
  if (peft.contains("target_modules") && !peft["target_modules"].is_null()) k["targets"] = peft["target_modules"];
  if (isSet(peft, "use_dora"))
    throw Error("use_dora: DoRA adapters (a learned magnitude per output beside B A) are not supported");
  if (isSet(peft, "layers_to_transform") || isSet(peft, "layers_pattern"))
    throw Error(std::string(isSet(peft, "layers_to_transform") ? "layers_to_transform" : "layers_pattern") +
                ": LoRA on only some layers is not supported (every layer's targets get one)");
  if (isSet(peft, "target_parameters")) throw Error("target_parameters: LoRA on raw parameters is not supported");
  requireUniform(peft, "rank_pattern", peft.value("r", nlohmann::json(8)));
  requireUniform(peft, "alpha_pattern", peft.value("lora_alpha", nlohmann::json(8)));
  if (isSet(peft, "use_rslora")) {
    // rsLoRA scales B A by alpha / sqrt(r); ours is alpha / r, so alpha * sqrt(r) gives the same update.
    const nlohmann::json rj = k.value("rank", nlohmann::json(8)), aj = k.value("alpha", nlohmann::json(8));
    if (!rj.is_number() || !aj.is_number()) throw Error("use_rslora needs numbers for r and lora_alpha");
    const double r = rj.get<double>(), alpha = aj.get<double>();
    if (!(r > 0)) throw Error("use_rslora with r = " + std::to_string(r));
    k["alpha"] = alpha * std::sqrt(r);
  }
  return k;
}

const MethodDescriptor& loraDescriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "lora";
    m.title = "LoRA";
    m.shortTitle = "LoRA";
    m.summary = "low-rank update of chosen weight matrices";
    m.formula = "W' = W + (alpha/r) B A";
    m.colour = "#d35f8d";
    m.help = "LoRA (Hu et al.): W0 x + (alpha/r) B(A x) on --targets (default query,value; names, dotted suffixes "
             "or regexes; GPT-2's fused c_attn is split into query/key/value), --rank r (8), --alpha (8). r(d_in + "
             "d_out) per matrix, 4Lrd on q,v. Merges into W0 for zero inference cost.";
    m.papers = "Hu et al.: GLUE average on RoBERTa-base FT (125M) 86.4, BitFit (0.1M) 85.2, LoRA (0.3M) 87.2; on "
               "RoBERTa-large FT 88.9, LoRA (0.8M) 89.0, Pfeiffer adapters (3.0M) 88.4, Houlsby adapters (6.0M) "
               "87.8. B A merges into W after training, so LoRA adds no inference latency.";
    m.sizeKnob = "rank";
    m.knobs = {integerKnob("rank", "Rank r", 8, 1, 4096, true, "Rank of the update B A; r (d_in + d_out) per matrix."),
               numberKnob("alpha", "Alpha", 8.0, 0.0, 1e6, "The update is scaled by alpha / r."),
               listKnob("targets", "Target matrices", "query,value",
                        "Which projections get a LoRA update (comma-separated): query, key, value, "
                        "attention.output, intermediate (the FFN's first linear), ffn_output (its second); or "
                        "Hugging Face module names, dotted suffixes or regular expressions.")};
    m.knobs.front().symbol = "r";  // the size knob, as the papers write it
    m.groups = {{"lora", "LoRA matrices", "LoRA"}};
    m.plan = {{TrainingStage::Kind::Gradient, "LoRA matrices", "", ""}};
    m.rates = {
        // scripts/tune-defaults.sh quick (2026-12-01, bf16, two tunes side by side on 2 cores, 38 minutes)
        {"quick", 1e-2, 1e-2, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
        // scripts/tune-defaults.sh standard OUT lora bitfit (2026-12-01, bf16, side by side on 2 cores, 58 minutes)
        {"standard", 3e-3, 1e-3, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"}};
    m.peftType = "LORA";
    m.peftStandard = true;
    m.knobsFromPeft = loraKnobsFromPeft;
    m.make = [](const nlohmann::json& k) -> std::unique_ptr<Method> { return std::make_unique<LoraMethod>(k); };
    return m;
  }();
  return d;
}

}  // namespace pw
