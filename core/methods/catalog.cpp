// The method catalog (see catalog.h): titles, knob specs, sweep knobs, default learning rates, formulas.
#include "methods/catalog.h"

#include "methods/method.h"
#include "util/error.h"

namespace pw {
namespace {

using K = KnobSpec::Kind;

KnobSpec integer(std::string key, std::string label, int64_t def, double min, double max, bool logScale,
                 std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = K::Integer, k.defaultValue = def;
  k.min = min, k.max = max, k.logScale = logScale, k.help = std::move(help);
  return k;
}

KnobSpec number(std::string key, std::string label, double def, double min, double max, std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = K::Number, k.defaultValue = def;
  k.min = min, k.max = max, k.help = std::move(help);
  return k;
}

KnobSpec choice(std::string key, std::string label, std::string def, std::vector<std::string> choices,
                std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = K::Choice, k.defaultValue = def;
  k.choices = std::move(choices), k.help = std::move(help);
  return k;
}

KnobSpec flag(std::string key, std::string label, bool def, std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = K::Flag, k.defaultValue = def;
  k.help = std::move(help);
  return k;
}

KnobSpec list(std::string key, std::string label, std::string def, std::string help) {
  KnobSpec k;
  k.key = std::move(key), k.label = std::move(label), k.kind = K::List, k.defaultValue = def;
  k.help = std::move(help);
  return k;
}

std::vector<MethodInfo> build() {
  // Default learning rates live in methods/default_rates.cpp, per preset, from the tune procedure.
  return {
      {"lp", "Linear probing", "only the classification head trains; features computed once",
       "y = softmax(W h + b), h frozen", "", {}},
      {"ft", "Full fine-tuning", "every parameter trains", "all of W trains", "", {}},
      {"lp-ft", "LP-FT", "linear probe first, then full fine-tuning from that head",
       "stage 1: head only; stage 2: all of W at FT's rates x factor", "",
       {number("lr_factor", "Stage-2 LR factor", 0.1, 0.0, 1.0,
               "Stage 2 (full fine-tuning) uses FT's learning rates (body and head) times this factor, so the "
               "probed head and the pretrained features move gently (Kumar et al. 2022).")}},
      {"prompt", "Prompt tuning", "k trainable vectors before the input tokens", "[P; x], P in R^{k x d}",
       "length",
       {integer("length", "Prompt length k", 20, 1, 512, true,
                "Number of soft tokens prepended to every input; k x d parameters."),
        choice("init", "Initialisation", "vocab", {"random", "vocab", "labels"},
               "Start the soft tokens as random vectors, as embeddings of random vocabulary words, or as the "
               "embeddings of the class-label words (Lester et al.: label words work best).")}},
      {"prefix", "Prefix tuning", "k trainable keys and values in every layer's attention",
       "K' = [P_k; K], V' = [P_v; V]", "length",
       {integer("length", "Prefix length k", 10, 1, 512, true,
                "Keys and values prepended in every layer; 2 k L d parameters."),
        integer("reparam", "Reparameterisation MLP width", 0, 0, 4096, false,
                "0: train the prefix directly. H > 0: train it through an MLP of width H (Li & Liang), "
                "dropped after training.")}},
      {"adapter", "Bottleneck adapters", "small bottleneck MLPs after attention and after the feed-forward",
       "h + W_up f(W_down h)", "adapter_size",
       {integer("adapter_size", "Bottleneck size m", 64, 1, 4096, true,
                "Width of the bottleneck; each adapter has 2 d m + m + d parameters."),
        choice("adapter_kind", "Placement", "houlsby", {"houlsby", "pfeiffer"},
               "houlsby: after attention and after the feed-forward; pfeiffer: after the feed-forward only."),
        flag("train_layernorm", "Train LayerNorms", false, "Also train every LayerNorm's gain and bias.")}},
      {"lora", "LoRA", "low-rank update of chosen weight matrices", "W' = W + (alpha/r) B A", "rank",
       {integer("rank", "Rank r", 8, 1, 1024, true, "Rank of the update B A; r (d_in + d_out) per matrix."),
        number("alpha", "Alpha", 8.0, 0.0, 1e6, "The update is scaled by alpha / r."),
        list("targets", "Target matrices", "query,value",
             "Which projections get a LoRA update: query, key, value, output, intermediate, ffn_output "
             "(comma-separated).")}},
      {"bitfit", "BitFit", "only the bias terms train", "biases only", "", {}},
      {"ia3", "IA3", "learned scales on keys, values and the feed-forward activation",
       "k' = l_k * k, v' = l_v * v, f' = l_ff * f", "", {}},
  };
}

}  // namespace

const std::vector<MethodInfo>& methodCatalog() {
  static const std::vector<MethodInfo> catalog = build();
  return catalog;
}

const MethodInfo& methodInfo(const std::string& name) {
  for (const auto& m : methodCatalog())
    if (m.name == name) return m;
  createMethod(name);  // throws the registry's "unknown method" error with the list of names
  throw Error("method '" + name + "' is missing from the catalog");
}

ParamBreakdown parameterBudget(const ModelConfig& config, const std::string& method, const nlohmann::json& knobs,
                               int64_t classes) {
  auto m = createMethod(method, knobs);
  if (m->stageCount() > 1) m->selectStage(m->stageCount());
  m->validate(config);
  return countParameters(config, *m, classes);
}

}  // namespace pw
