// Prompt tuning (see prompt.h). File layout as PEFT: one tensor "prompt_embeddings" (k, d).
#include "methods/prompt.h"

#include <algorithm>

#include "methods/adapter_folder.h"
#include "models/transformer.h"
#include "tokenizers/tokenizer.h"
#include "util/error.h"
#include "util/number_text.h"

namespace pw {
namespace {

// Lester et al. sample from the 5,000 most common tokens; vocabularies are roughly frequency-ordered.
std::vector<int64_t> sampleVocabulary(const TransformerModelImpl& model, const tok::Tokenizer* tokenizer,
                                      int64_t count, at::Generator& gen) {
  const int64_t V = model.config().vocabSize;
  std::vector<int64_t> pool;
  for (int64_t id = 0; id < V && pool.size() < 5000; ++id)
    if (!tokenizer || (!tokenizer->isSpecial(id) && id < tokenizer->vocabSize())) pool.push_back(id);
  if (pool.empty()) for (int64_t id = 0; id < V; ++id) pool.push_back(id);
  at::Tensor picks = torch::randint(int64_t(pool.size()), {count}, gen, torch::kLong);
  std::vector<int64_t> ids;
  for (int64_t i = 0; i < count; ++i) ids.push_back(pool[picks[i].item<int64_t>()]);
  return ids;
}

}  // namespace

void checkVirtualLength(const ModelConfig& config, int64_t k, const std::string& what) {
  // BERT inputs need at least [CLS] and [SEP]; GPT-2 at least one token.
  const int64_t room = config.maxPositions - config.positionOffset - (config.family == Family::Bert ? 2 : 1);
  if (k > room)
    throw Error(what + " of " + std::to_string(k) + " virtual tokens is longer than this model's " +
                std::to_string(config.maxPositions) + " positions allow (at most " + std::to_string(std::max<int64_t>(room, 0)) +
                ", leaving room for the input)");
}

PromptMethod::PromptMethod(const nlohmann::json& knobs) {
  config_.length = knobs.at("length").get<int64_t>();
  config_.init = knobs.at("init").get<std::string>();
}

void PromptMethod::validate(const ModelConfig& config) const { checkVirtualLength(config, config_.length, "a prompt"); }

std::map<std::string, int64_t> PromptMethod::addedParameters(const ModelConfig& config) const {
  return {{"prompt", config_.length * config.hidden}};
}

void PromptMethod::create(TransformerModelImpl& model, const InitContext& ctx) {
  const int64_t k = config_.length, d = model.config().hidden;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(ctx.seed + 0x9707);
  torch::NoGradGuard guard;
  const at::Tensor& E = model.word_embeddings->weight;  // (V, d)
  prompt_ = torch::empty({k, d});
  if (config_.init == "random" || ctx.shapesOnly) {
    prompt_.uniform_(-0.5, 0.5, gen);
  } else {
    int64_t filled = 0;
    if (config_.init == "labels") {
      const auto& labels = ctx.labels.empty() ? model.config().labels : ctx.labels;
      if (!ctx.tokenizer || labels.empty())
        throw Error("prompt init 'labels' needs the class names and the model's tokenizer");
      // One vector per class: the mean embedding of its label's tokens (multi-token labels averaged).
      for (const auto& label : labels) {
        if (filled == k) break;
        std::string text = ctx.tokenizer->kind() == "bpe" ? " " + label : label;
        std::vector<int64_t> ids = ctx.tokenizer->encode(text, false);
        ids.erase(std::remove_if(ids.begin(), ids.end(), [&](int64_t id) { return id < 0 || id >= E.size(0); }),
                  ids.end());
        if (ids.empty()) continue;
        prompt_[filled++].copy_(E.index_select(0, torch::tensor(ids, torch::kLong)).mean(0));
      }
    }
    // The rest (or all, for "vocab"): embeddings of sampled vocabulary tokens.
    if (filled < k) {
      auto ids = sampleVocabulary(model, ctx.tokenizer, k - filled, gen);
      prompt_.narrow(0, filled, k - filled).copy_(E.index_select(0, torch::tensor(ids, torch::kLong)));
    }
  }
  prompt_.set_requires_grad(true);
}

void PromptMethod::prepareInputs(ModelInputs& inputs) const {
  if (enabled()) inputs.virtualTokens = prompt_;
}

nlohmann::json PromptMethod::adapterConfig(TransformerModelImpl& model) const {
  const auto& c = model.config();
  // The init only matters before training; the file holds the trained vectors ("RANDOM" loads anywhere).
  return {{"num_virtual_tokens", config_.length}, {"token_dim", c.hidden}, {"num_transformer_submodules", 1},
          {"num_attention_heads", c.heads}, {"num_layers", c.layers}, {"prompt_tuning_init", "RANDOM"}};
}

io::TensorMap PromptMethod::exportTensors(TransformerModelImpl&) const {
  return {{"prompt_embeddings", prompt_.detach().clone()}};
}

void PromptMethod::importTensors(TransformerModelImpl& model, io::TensorMap& file, const std::string& fileName) {
  torch::NoGradGuard guard;
  prompt_.copy_(takeTensor(file, "prompt_embeddings", {config_.length, model.config().hidden}, fileName));
}

namespace {

std::string popularFigure(const ModelConfig& config, int64_t trainable) {
  if (config.hidden == 768) return "";
  return "A popular slide says 15K: that is k x d for d = 768 (15,360); at d = " + std::to_string(config.hidden) +
         " it is " + groupDigits(trainable) + ".";
}

}  // namespace

const MethodDescriptor& promptDescriptor() {
  static const MethodDescriptor d = [] {
    MethodDescriptor m;
    m.name = "prompt";
    m.title = "Prompt tuning";
    m.shortTitle = "Prompt";
    m.summary = "k trainable vectors before the input tokens";
    m.formula = "[P; x], P in R^{k x d}";
    m.colour = "#3f9c96";
    m.help = "Prompt tuning (Lester et al.): --length k vectors of size d before the input; k*d parameters "
             "(k = 20: 15,360 at d = 768, 20,480 at d = 1024: a popular slide's \"15K\" for a 1024-wide model is "
             "the d = 768 count). --init random|vocab|labels (class-label words work best).";
    m.papers = "Lester et al.: trained on SQuAD, prompt tuning beats model tuning out of distribution on TextbookQA "
               "(66.8 vs 54.3 F1) while matching it in distribution (94.8 vs 94.9). Lengths 1, 5, 20, 100 and 150 "
               "were tried: gains flatten beyond about 20 tokens. Initialising from the class-label words works best, "
               "random uniform worst.";
    m.sizeKnob = "length";
    m.knobs = {integerKnob("length", "Prompt length k", 20, 1, 4096, true,
                           "Number of soft tokens prepended to every input; k x d parameters."),
               choiceKnob("init", "Initialisation", "vocab", {"random", "vocab", "labels"},
                          "Start the soft tokens as random vectors, as embeddings of random vocabulary words, or as "
                          "the embeddings of the class-label words (Lester et al.: label words work best).")};
    m.knobs.front().symbol = "k";  // the size knob, as the papers write it
    m.groups = {{"prompt", "prompt vectors", "prompt"}};
    m.plan = {{TrainingStage::Kind::Gradient, "prompt vectors", "", ""}};
    // scripts/tune-defaults.sh quick (2026-12-01, bf16, two tunes side by side on 2 cores, 38 minutes)
    m.rates = {
        {"quick", 3e-3, 1e-2, "tune on tiny-bert + dictionary-fields, quick preset, 2 seeds (2026-12-01)"},
        // tune --preset standard --seeds 2 --parallel 2 (2026-12-01, bf16, 20 runs, 40 minutes): the same rates
        {"standard", 3e-3, 1e-2, "tune on tiny-bert + dictionary-fields, standard preset, 2 seeds (2026-12-01)"}};
    m.peftType = "PROMPT_TUNING";
    m.peftStandard = true;
    m.peftPromptLearning = true;
    m.knobsFromPeft = [](const nlohmann::json& c) {
      nlohmann::json k = nlohmann::json::object();
      if (c.contains("num_virtual_tokens")) k["length"] = c["num_virtual_tokens"];
      return k;
    };
    m.countNote = popularFigure;
    m.make = [](const nlohmann::json& k) -> std::unique_ptr<Method> { return std::make_unique<PromptMethod>(k); };
    return m;
  }();
  return d;
}

}  // namespace pw
