// The method registry: every method by its CLI name, with a factory and a help paragraph. Listed here
// explicitly (static self-registration would be dropped by the linker from a static library).
#include <functional>

#include "methods/bitfit.h"
#include "methods/bottleneck.h"
#include "methods/full.h"
#include "methods/ia3.h"
#include "methods/lora.h"
#include "methods/method.h"
#include "methods/prefix.h"
#include "methods/prompt.h"
#include "util/error.h"

namespace pw {
namespace {

struct Entry {
  std::string name;
  std::function<std::unique_ptr<Method>(const nlohmann::json&)> make;
  std::string help;
};

const std::vector<Entry>& entries() {
  using J = const nlohmann::json&;
  static const std::vector<Entry> e = {
      {"lp", [](J k) { return std::make_unique<LinearProbeMethod>(k); },
       "Linear probing: only the classification head trains; the encoder is frozen, so its features can be "
       "computed once. Trainable: the head (dC + C for BERT, dC for GPT-2)."},
      {"ft", [](J k) { return std::make_unique<FullFineTuneMethod>(k, false); },
       "Full fine-tuning: every parameter trains. Saved as a whole model folder, not an adapter."},
      {"lp-ft", [](J k) { return std::make_unique<FullFineTuneMethod>(k, true); },
       "LP-FT (Kumar et al.): stage 1 trains the head alone, stage 2 fine-tunes everything from that head with "
       "the learning rate times --lr-factor (default 0.1), so the pretrained features are distorted less."},
      {"prompt", [](J k) { return std::make_unique<PromptMethod>(k); },
       "Prompt tuning (Lester et al.): --length k vectors of size d before the input; k*d parameters "
       "(k = 20: 15,360 at d = 768, 20,480 at d = 1024: a popular slide's \"15K\" for a 1024-wide model is the "
       "d = 768 count). --init random|vocab|labels (class-label words work best)."},
      {"prefix", [](J k) { return std::make_unique<PrefixMethod>(k); },
       "Prefix tuning (Li & Liang): --length k keys and values per layer before attention; 2kLd parameters. "
       "--reparam H trains them through an MLP P'(k x d) -> Linear(d, H) -> tanh -> Linear(H, 2Ld), dropped "
       "after training (only the produced prefix is kept)."},
      {"adapter", [](J k) { return std::make_unique<AdapterMethod>(k); },
       "Bottleneck adapters: x + W_up(GELU(W_down x + b_d)) + b_u with bottleneck --adapter-size m, "
       "--adapter-kind houlsby (after attention and FFN: 2L(2dm + m + d)) or pfeiffer (after the FFN: "
       "L(2dm + m + d)); --train-layernorm also trains every LayerNorm (2d each)."},
      {"lora", [](J k) { return std::make_unique<LoraMethod>(k); },
       "LoRA (Hu et al.): W0 x + (alpha/r) B(A x) on --targets (default query,value; names, dotted suffixes "
       "or regexes; GPT-2's fused c_attn is split into query/key/value), --rank r (8), --alpha (8). r(d_in + "
       "d_out) per matrix, 4Lrd on q,v. Merges into W0 for zero inference cost."},
      {"bitfit", [](J k) { return std::make_unique<BitFitMethod>(k); },
       "BitFit (Ben Zaken et al.): every bias trains (q, k, v, attention output, both FFN linears, LayerNorm "
       "biases, BERT's pooler); LayerNorm gains stay frozen. BERT: L(7d + f) + 2d (about 272K for 24 layers at "
       "d = 1024; the \"0.32M\" often quoted also counts the LayerNorm gains)."},
      {"ia3", [](J k) { return std::make_unique<Ia3Method>(k); },
       "IA3 (Liu et al.): learned vectors, initialised to ones, scaling keys, values and the FFN activation: "
       "L(2d + f) parameters."},
  };
  return e;
}

const Entry& find(const std::string& name) {
  for (const auto& e : entries())
    if (e.name == name) return e;
  std::string list;
  for (const auto& e : entries()) list += (list.empty() ? "" : ", ") + e.name;
  throw Error("unknown method '" + name + "' (methods: " + list + ")");
}

}  // namespace

std::vector<std::string> methodNames() {
  std::vector<std::string> names;
  for (const auto& e : entries()) names.push_back(e.name);
  return names;
}

std::unique_ptr<Method> createMethod(const std::string& name, const nlohmann::json& knobs) {
  return find(name).make(knobs);
}

std::string methodHelp(const std::string& name) { return find(name).help; }

}  // namespace pw
