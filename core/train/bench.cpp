// The training benchmark (see bench.h).
#include "train/bench.h"

#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cmath>
#include <limits>
#include <sstream>
#include <iomanip>
#include <random>

#include "methods/method.h"
#include "models/model_folder.h"
#include "train/batches.h"
#include "train/evaluate.h"
#include "train/linear_probe.h"
#include "train/optimiser.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/precision_scope.h"

namespace pw {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// CPU time of the whole process (every thread) in milliseconds.
double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// n examples of exactly `seq` random token ids (ids 5.. avoid the usual special tokens) and random labels.
EncodedSplit randomSplit(const ModelConfig& config, int64_t n, int64_t seq, int64_t classes, std::mt19937_64& rng) {
  EncodedSplit s;
  s.padId = std::max<int64_t>(0, config.padTokenId);
  const int64_t low = std::min<int64_t>(5, config.vocabSize - 1);
  std::uniform_int_distribution<int64_t> token(low, config.vocabSize - 1), label(0, classes - 1);
  for (int64_t i = 0; i < n; ++i) {
    std::vector<int64_t> ids(static_cast<size_t>(seq));
    for (auto& id : ids) id = token(rng);
    s.ids.push_back(std::move(ids));
    s.labels.push_back(label(rng));
  }
  return s;
}

// What the trainer does for LP: pooled features of the training and validation splits (no gradients, eval
// mode, batches of 64), then the L-BFGS probe with its L2 grid on them.
void timeLinearProbe(TransformerModelImpl& model, const BenchSettings& s, std::mt19937_64& rng, MethodTiming& t) {
  const int64_t n = s.probeExamples;
  EncodedSplit train = randomSplit(model.config(), n, s.seq, s.classes, rng);
  EncodedSplit validation = randomSplit(model.config(), std::max(s.classes, n / 4), s.seq, s.classes, rng);
  pooledFeatures(model, randomSplit(model.config(), 64, s.seq, s.classes, rng), 64);  // warm-up
  Clock::time_point t0 = Clock::now();
  double c0 = cpuMs();
  at::Tensor trX = pooledFeatures(model, train, 64);
  at::Tensor vaX = pooledFeatures(model, validation, 64);
  t.featureSeconds = msSince(t0) / 1000.0;
  t.featureCpuSeconds = (cpuMs() - c0) / 1000.0;
  ProbeOptions po;
  po.fitBias = model.classifier->bias.defined();
  t0 = Clock::now();
  c0 = cpuMs();
  PrecisionScope fp32(Precision::Fp32);  // as the trainer: the L-BFGS fit in full precision
  trainLinearProbe(trX, train.labelTensor(), vaX, validation.labelTensor(), s.classes, po);
  t.probeSeconds = msSince(t0) / 1000.0;
  t.probeCpuSeconds = (cpuMs() - c0) / 1000.0;
  t.probeExamples = n;
}

// The trainer's gradient step (optimiser.h, trainingStep), timed by phase, at the trainer's default rates.
void timeGradientSteps(TransformerModelImpl& model, Method& method, const BenchSettings& s, std::mt19937_64& rng,
                       MethodTiming& t) {
  TrainConfig defaults;
  defaults.method = method.name();
  const double factor = method.learningRateFactor();  // as the trainer: LP-FT's stage 2 scales both rates
  const double bodyLr = defaults.effectiveLr() * factor;
  const double headLr = defaults.effectiveHeadLr() * factor;
  TrainingOptimiser opt =
      makeTrainingOptimiser(trainableParameters(model, method), bodyLr, headLr, defaults.weightDecay);
  EncodedSplit split = randomSplit(model.config(), s.batch * (s.warmup + s.steps), s.seq, s.classes, rng);
  std::vector<std::vector<size_t>> batches = trainingBatches(split, int(s.batch), rng);
  std::vector<double> step, forward, backward, optimiser, cpu;
  for (size_t b = 0; b < batches.size(); ++b) {
    const Clock::time_point t0 = Clock::now();
    const double c0 = cpuMs();
    opt.setLrFactor(1.0);
    const StepResult st = trainingStep(model, method, opt, split, batches[b], defaults.clipNorm);
    if (!st.finite) throw Error("the benchmark's training loss became " + std::to_string(st.loss));
    if (int64_t(b) < s.warmup) continue;
    step.push_back(msSince(t0)), forward.push_back(st.forwardMs), backward.push_back(st.backwardMs);
    optimiser.push_back(st.optimiserMs);
    cpu.push_back(cpuMs() - c0);
    t.tokensPerStep = st.tokens;
  }
  t.steps = int64_t(step.size());
  t.stepMs = median(step), t.forwardMs = median(forward), t.backwardMs = median(backward);
  t.optimiserMs = median(optimiser), t.stepCpuMs = median(cpu);
  t.tokensPerSecond = t.stepMs > 0 ? double(t.tokensPerStep) / (t.stepMs / 1000.0) : 0.0;
}

}  // namespace

nlohmann::json MethodTiming::toJson() const {
  nlohmann::json j = {{"method", method},       {"trainable", trainable},     {"total", total},
                      {"peak_rss_mb", peakRssMb}, {"precision", precision}};
  if (probe) {
    j["probe_examples"] = probeExamples;
    j["feature_seconds"] = featureSeconds;
    j["probe_seconds"] = probeSeconds;
    j["feature_cpu_seconds"] = featureCpuSeconds;
    j["probe_cpu_seconds"] = probeCpuSeconds;
  } else {
    j["steps"] = steps;
    j["tokens_per_step"] = tokensPerStep;
    j["step_ms"] = stepMs;
    j["forward_ms"] = forwardMs;
    j["backward_ms"] = backwardMs;
    j["optimiser_ms"] = optimiserMs;
    j["step_cpu_ms"] = stepCpuMs;
    j["tokens_per_second"] = tokensPerSecond;
  }
  return j;
}

MethodTiming MethodTiming::fromJson(const nlohmann::json& j) {
  MethodTiming t;
  t.method = j.value("method", t.method);
  t.probe = j.contains("probe_seconds");
  t.trainable = j.value("trainable", t.trainable);
  t.total = j.value("total", t.total);
  t.peakRssMb = j.value("peak_rss_mb", t.peakRssMb);
  t.precision = j.value("precision", t.precision);
  t.probeExamples = j.value("probe_examples", t.probeExamples);
  t.featureSeconds = j.value("feature_seconds", t.featureSeconds);
  t.probeSeconds = j.value("probe_seconds", t.probeSeconds);
  t.featureCpuSeconds = j.value("feature_cpu_seconds", t.featureCpuSeconds);
  t.probeCpuSeconds = j.value("probe_cpu_seconds", t.probeCpuSeconds);
  t.steps = j.value("steps", t.steps);
  t.tokensPerStep = j.value("tokens_per_step", t.tokensPerStep);
  t.stepMs = j.value("step_ms", t.stepMs);
  t.forwardMs = j.value("forward_ms", t.forwardMs);
  t.backwardMs = j.value("backward_ms", t.backwardMs);
  t.optimiserMs = j.value("optimiser_ms", t.optimiserMs);
  t.stepCpuMs = j.value("step_cpu_ms", t.stepCpuMs);
  t.tokensPerSecond = j.value("tokens_per_second", t.tokensPerSecond);
  return t;
}

MethodTiming benchMethod(const BenchSettings& s, const std::string& methodName) {
  if (s.batch < 1 || s.batch > 4096) throw Error("the batch size must be between 1 and 4096");
  if (s.seq < 1) throw Error("the sequence length must be at least 1 token");
  if (s.steps < 1 || s.steps > 100000) throw Error("the number of steps must be between 1 and 100000");
  if (s.warmup < 0) throw Error("the number of warm-up steps cannot be negative");
  if (s.classes < 2) throw Error("the benchmark needs at least 2 classes");
  if (s.probeExamples < s.classes) throw Error("the probe needs at least one example per class");
  torch::manual_seed(s.seed);
  std::mt19937_64 rng(s.seed);
  LoadedModel loaded = loadModel(s.model);
  TransformerModelImpl& model = *loaded.model;
  model.seedDropout(s.seed);
  if (s.seq > model.config().maxPositions)
    throw Error("--seq " + std::to_string(s.seq) + " exceeds the model's " +
                std::to_string(model.config().maxPositions) + " positions");
  std::vector<std::string> labels;
  for (int64_t c = 0; c < s.classes; ++c) labels.push_back("class" + std::to_string(c));
  model.setClassifier(labels, s.seed);
  std::unique_ptr<Method> method = createMethod(methodName);
  applyMethod(model, *method, InitContext{loaded.tokenizer.get(), labels, s.seed});
  if (method->stageCount() > 1) method->setStage(model, method->stageCount());  // LP-FT: time its fine-tuning

  MethodTiming t;
  t.method = method->name();
  const Precision precision = resolvePrecision(s.precision);
  t.precision = precisionName(precision);
  PrecisionScope scope(precision);
  const ParamBreakdown params = countParameters(model, *method);
  t.trainable = params.trainable, t.total = params.total;
  t.probe = method->currentStage().kind == TrainingStage::Kind::FeatureProbe;
  if (t.probe) timeLinearProbe(model, s, rng, t);
  else timeGradientSteps(model, *method, s, rng, t);
  t.peakRssMb = peakRssMb();
  return t;
}

double matmulGflops(int64_t n, double seconds, bool bf16) {
  torch::NoGradGuard guard;
  PrecisionScope scope(bf16 ? Precision::Bf16 : Precision::Fp32);
  if (bf16) {  // mm_out takes no autocast; time the autocast matmul the training step runs
    at::Tensor a = torch::randn({n, n}), b = torch::randn({n, n});
    (void)torch::matmul(a, b);
    double best = std::numeric_limits<double>::infinity();
    const Clock::time_point start = Clock::now();
    for (int reps = 0; reps < 3 || msSince(start) < seconds * 1000.0; ++reps) {
      const Clock::time_point t0 = Clock::now();
      at::Tensor c = torch::matmul(a, b);
      best = std::min(best, msSince(t0) / 1000.0);
    }
    return 2.0 * double(n) * double(n) * double(n) / best / 1e9;
  }
  at::Tensor a = torch::randn({n, n}), b = torch::randn({n, n}), c = torch::empty({n, n});
  at::mm_out(c, a, b);  // warm-up
  double best = std::numeric_limits<double>::infinity();
  const Clock::time_point start = Clock::now();
  for (int reps = 0; reps < 3 || msSince(start) < seconds * 1000.0; ++reps) {
    const Clock::time_point t0 = Clock::now();
    at::mm_out(c, a, b);
    best = std::min(best, msSince(t0) / 1000.0);
  }
  return 2.0 * double(n) * double(n) * double(n) / best / 1e9;
}

// Every matrix multiply costs 2 FLOPs per multiply-add forward and twice that backward (the gradient of
// the input and of the weight), so a weight matrix of P entries applied to M rows costs 6 M P per step.
//   linear layers:  6 (B T) L (4 d^2 + 2 d f)      q, k, v, output and the two feed-forward matrices
//   attention:      12 B T^2 d L                    Q K^T and P V: 2 B T^2 d each forward, x3 with backward
//   pooler + head:  6 B (d^2 + d C)                 BERT's pooler on B pooled rows (GPT-2 has none), classifier
// Embedding lookups, LayerNorm, GELU, softmax and the optimiser are not matrix multiplies and are left out.
double fullFineTuneStepFlops(const ModelConfig& c, int64_t batch, int64_t seq, int64_t classes) {
  const double B = double(batch), T = double(seq), d = double(c.hidden), f = double(c.intermediate);
  const double L = double(c.layers), C = double(classes);
  const double linear = 6.0 * B * T * L * (4.0 * d * d + 2.0 * d * f);
  const double attention = 12.0 * B * T * T * d * L;
  const double pooler = c.family == Family::Bert ? d * d : 0.0;
  const double head = 6.0 * B * (pooler + d * C);
  return linear + attention + head;
}

double peakRssMb() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

std::string benchTargetReport(const std::map<std::string, MethodTiming>& timings, int64_t epochSteps) {
  auto ft = timings.find("ft");
  if (ft == timings.end()) return "";
  const double ftMs = ft->second.stepMs;
  auto verdict = [](bool met) { return met ? "  met" : "  MISSED"; };
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << "\ntargets:\n";
  for (const char* m : {"lora", "bitfit", "prompt"})
    if (auto t = timings.find(m); t != timings.end()) {
      const double r = t->second.stepMs / ftMs, cpu = t->second.stepCpuMs / ft->second.stepCpuMs;
      o << "  " << m << " step <= 0.8x ft step: " << std::setprecision(2) << r << " (CPU time " << cpu << ")"
        << verdict(r <= 0.8) << std::setprecision(1) << "\n";
    }
  if (auto lp = timings.find("lp"); lp != timings.end()) {
    const MethodTiming& t = lp->second;
    const double epoch = double(epochSteps) * ftMs / 1000.0;
    const double x = epoch / (t.featureSeconds + t.probeSeconds), cached = epoch / t.probeSeconds;
    o << "  lp >= 10x faster than one ft epoch: " << x << "x with its feature pass" << verdict(x >= 10) << ", "
      << cached << "x on cached features" << verdict(cached >= 10) << "\n";
  }
  const double mb = ft->second.peakRssMb;
  o << "  ft peak memory < 2048 MB: " << mb << " MB" << verdict(mb < 2048) << "\n";
  return o.str();
}

}  // namespace pw
