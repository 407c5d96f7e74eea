// `bench-infer --model MODEL --method NAME [knobs] [--batch B]`: median forward latency of the classifier
// with the method against the same model with the method disabled (and, for LoRA, merged), at batch 1 and 32.
// Variants are interleaved round by round so that load from other processes hits them alike; the ratio to
// the base is the median of the per-round ratios.
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>

#include "command.h"
#include "method_args.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "util/error.h"

namespace pw::cli {
namespace {

double timeForward(TransformerModelImpl& model, const Method& method, const ModelInputs& in) {
  auto t0 = std::chrono::steady_clock::now();
  at::Tensor logits = classifyWith(model, method, in);
  (void)logits.sum().item<float>();  // make sure the work is done
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int runBenchInfer(const Args& a) {
  std::unique_ptr<Method> method = createMethod(a.require("method"), methodKnobsFromArgs(a));
  LoadOptions lo;
  lo.withTokenizer = method->name() == "prompt";  // label-word init needs it
  LoadedModel loaded = loadModel(a.require("model"), lo);
  TransformerModelImpl& model = *loaded.model;
  if (!model.hasClassifier()) model.setClassifier({"LABEL_0", "LABEL_1"});
  InitContext ctx;
  ctx.tokenizer = loaded.tokenizer.get();
  ctx.labels = model.config().labels;
  applyMethod(model, *method, ctx);
  model.eval();
  torch::NoGradGuard guard;

  const int64_t seq = a.getInt("seq", 128);
  if (seq < 1 || seq > model.config().maxPositions) throw Error("--seq must be between 1 and the model's positions");
  const int64_t repeats = a.getInt("repeats", 0);
  if (repeats < 0 || repeats > 10000) throw Error("--repeats must be between 1 and 10000 (0 = automatic)");
  std::vector<int64_t> batches = {1, 32};
  if (a.has("batch")) {
    const int64_t b = a.getInt("batch", 1);
    if (b < 1 || b > 4096) throw Error("--batch must be between 1 and 4096");
    batches = {b};
  }
  // Keep k virtual tokens + the input within the model's positions.
  int64_t virtualTokens = 0;
  if (method->knobs().contains("length")) virtualTokens = method->knobs()["length"].get<int64_t>();
  const int64_t T = std::max<int64_t>(1, std::min(seq, model.config().maxPositions - virtualTokens));

  std::vector<std::string> variants = {"base", "method"};
  if (method->canMerge()) variants.push_back("merged");
  auto select = [&](const std::string& v) {
    if (v == "merged") {
      method->setEnabled(model, true);
      method->merge(model);
      return;
    }
    method->unmerge(model);
    method->setEnabled(model, v == "method");
  };

  nlohmann::json results = nlohmann::json::array();
  auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
  for (int64_t B : batches) {
    ModelInputs in;
    in.ids = torch::randint(std::min<int64_t>(1000, model.config().vocabSize), {B, T}, gen, torch::kLong);
    in.mask = torch::ones({B, T}, torch::kLong);
    // Warm up every variant; the slowest warm-up sets the number of rounds (about 2 s per variant).
    double warm = 0;
    for (const auto& v : variants) {
      select(v);
      timeForward(model, *method, in);
      warm = std::max(warm, timeForward(model, *method, in));
    }
    const int64_t rounds = repeats > 0 ? repeats : std::clamp<int64_t>(int64_t(4000.0 / std::max(warm, 0.01)), 11, 101);
    std::map<std::string, std::vector<double>> times;
    for (int64_t r = 0; r < rounds; ++r)
      for (const auto& v : variants) {
        select(v);
        times[v].push_back(timeForward(model, *method, in));
      }
    select("method");
    nlohmann::json row = {{"batch", B}, {"seq", T}, {"rounds", rounds}};
    for (const auto& v : variants) {
      row[v + "_ms"] = median(times[v]);
      if (v == "base") continue;
      // The median of per-round ratios: each round runs the variants back to back, so a slow spell from
      // other processes cancels out.
      std::vector<double> ratios;
      for (int64_t r = 0; r < rounds; ++r) ratios.push_back(times[v][r] / times["base"][r]);
      row[v + "_vs_base"] = median(ratios);
    }
    results.push_back(row);
  }

  if (a.json()) {
    printJson({{"model", loaded.folder}, {"method", method->name()}, {"knobs", method->knobs()},
               {"threads", at::get_num_threads()}, {"results", results}});
    return 0;
  }
  std::cout << "model:   " << loaded.folder << " (" << model.config().familyName() << ", " << model.config().layers
            << " layers, d = " << model.config().hidden << "), " << at::get_num_threads() << " threads\n"
            << "method:  " << method->name() << " " << method->knobs().dump() << "\n";
  std::cout << std::fixed << std::setprecision(2);
  for (const auto& row : results) {
    std::cout << "batch " << row["batch"].get<int64_t>() << ", " << row["seq"].get<int64_t>() << " tokens ("
              << row["rounds"].get<int64_t>() << " rounds, median):";
    for (const auto& v : variants) {
      std::cout << "  " << v << " " << row[v + "_ms"].get<double>() << " ms";
      if (v != "base") std::cout << " (x" << std::setprecision(3) << row[v + "_vs_base"].get<double>() << ")"
                                 << std::setprecision(2);
    }
    std::cout << "\n";
  }
  return 0;
}

PW_COMMAND("bench-infer",
           "--model MODEL --method NAME [method knobs: bench-infer --help] [--batch B] [--seq T] [--repeats N] [--json]",
           "median forward latency with the method vs the base model (and merged LoRA), at batch 1 and 32",
           withKnobOptions({"model", "method", "batch", "seq", "repeats"}), {}, 0, 0, runBenchInfer,
           {{"batch", {"B", "batch size to time (default: 1 and 32)"}},
            {"seq", {"T", "tokens per example (default 128)"}},
            {"repeats", {"N", "timed forward passes (default: as many as fit in about a second)"}}});

}  // namespace
}  // namespace pw::cli
