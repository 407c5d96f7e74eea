// The training run (see trainer.h): load, attach the method, train (or probe), evaluate, report.
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "data/task.h"
#include "methods/adapter_folder.h"
#include "methods/catalog.h"
#include "methods/default_rates.h"
#include "train/adapter_card.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "train/batches.h"
#include "train/evaluate.h"
#include "train/feature_cache.h"
#include "train/linear_probe.h"
#include "train/optimiser.h"
#include "train/lr_schedule.h"
#include "util/error.h"
#include "util/precision_scope.h"

namespace pw {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A run stopped on purpose (cancel) rather than by a problem.
struct Cancelled {};

// Sends PhaseEvents: at a phase's start, then at most every quarter second as it advances, and at its end.
class PhaseReporter {
 public:
  explicit PhaseReporter(const std::function<void(const PhaseEvent&)>& sink) : sink_(sink) {}

  void begin(const std::string& phase, int64_t total = 0, const std::string& unit = "") {
    event_ = PhaseEvent{phase, 0, total, unit, 0.0, 0.0};
    start_ = Clock::now();
    send();
  }
  // Counted phases: `done` of the phase's total.
  void advance(int64_t done) { update(done, event_.total > 0 ? double(done) / double(event_.total) : 0.0); }
  // Phases whose share done is finer than their count (the probe's fits).
  void update(int64_t done, double fraction) {
    event_.done = done;
    event_.fraction = std::clamp(fraction, 0.0, 1.0);
    if (event_.fraction >= 1.0 || secondsSince(sent_) >= 0.25) send();
  }
  // A callback for row loops that adds `offset` rows done before this split (several splits, one phase).
  RowsDone rows(int64_t offset) {
    return [this, offset](size_t done) { advance(offset + int64_t(done)); };
  }

 private:
  void send() {
    sent_ = Clock::now();
    event_.seconds = secondsSince(start_);
    if (sink_) sink_(event_);
  }
  const std::function<void(const PhaseEvent&)>& sink_;
  PhaseEvent event_;
  Clock::time_point start_ = Clock::now(), sent_ = Clock::now();
};

// Real tokens per second over a window of about a second.
class Throughput {
 public:
  void add(int64_t tokens) {
    tokens_ += tokens;
    double s = secondsSince(start_);
    if (s >= 1.0 || rate_ == 0) {
      if (s > 0) rate_ = double(tokens_) / s;
      if (s >= 1.0) tokens_ = 0, start_ = Clock::now();
    }
  }
  double rate() const { return rate_; }

 private:
  Clock::time_point start_ = Clock::now();
  int64_t tokens_ = 0;
  double rate_ = 0;
};

// The quick preset's smaller splits: N training examples per class drawn with the run's seed (so seeds
// differ in their data as well as their initialisation), and the first N per class of validation (the same
// yardstick for every seed). The ID test and the OOD sets stay whole: evaluation is cheap next to training,
// and a 50-per-class test set would rank methods by chance.
data::Task subsetPerClass(data::Task task, int trainPerClass, int evalPerClass, uint64_t seed) {
  const int C = task.numClasses();
  task.train = data::samplePerClass(task.train, C, trainPerClass, seed);
  task.validation = data::firstPerClass(task.validation, C, evalPerClass);
  return task;
}

}  // namespace

// --- TrainConfig -----------------------------------------------------------------------------------------

double TrainConfig::effectiveLr() const { return lr > 0 ? lr : defaultRates(method, preset).lr; }
double TrainConfig::effectiveHeadLr() const { return headLr > 0 ? headLr : defaultRates(method, preset).headLr; }

nlohmann::json TrainConfig::toJson() const {
  return {{"model", model},         {"random_init", randomInit},   {"task", task},
          {"method", method},       {"knobs", knobs},              {"preset", preset},
          {"epochs", epochs},       {"lr", lr},                    {"head_lr", headLr},
          {"batch_size", batchSize}, {"weight_decay", weightDecay}, {"warmup_fraction", warmupFraction},
          {"cosine", cosine},       {"clip_norm", clipNorm},       {"seed", seed},
          {"max_length", maxLength}, {"evals_per_epoch", evalsPerEpoch}, {"train_per_class", trainPerClass},
          {"eval_per_class", evalPerClass}, {"adapter_dir", adapterDir}, {"precision", precision}};
}

TrainConfig TrainConfig::fromJson(const nlohmann::json& j) {
  TrainConfig c;
  c.model = j.value("model", c.model);
  c.randomInit = j.value("random_init", c.randomInit);
  c.task = j.value("task", c.task);
  c.method = j.value("method", c.method);
  c.knobs = j.value("knobs", c.knobs);
  c.preset = j.value("preset", c.preset);
  c.epochs = j.value("epochs", c.epochs);
  c.lr = j.value("lr", c.lr);
  c.headLr = j.value("head_lr", c.headLr);
  c.batchSize = j.value("batch_size", c.batchSize);
  c.weightDecay = j.value("weight_decay", c.weightDecay);
  c.warmupFraction = j.value("warmup_fraction", c.warmupFraction);
  c.cosine = j.value("cosine", c.cosine);
  c.clipNorm = j.value("clip_norm", c.clipNorm);
  c.seed = j.value("seed", c.seed);
  c.maxLength = j.value("max_length", c.maxLength);
  c.evalsPerEpoch = j.value("evals_per_epoch", c.evalsPerEpoch);
  c.trainPerClass = j.value("train_per_class", c.trainPerClass);
  c.evalPerClass = j.value("eval_per_class", c.evalPerClass);
  c.adapterDir = j.value("adapter_dir", c.adapterDir);
  c.precision = j.value("precision", c.precision);
  return c;
}

std::vector<std::string> presetNames() { return {"quick", "standard", "thorough"}; }

TrainConfig applyPreset(TrainConfig c, const std::string& preset) {
  if (preset == "quick") {
    // A classroom demo: all eight methods in a few minutes on two cores.
    c.epochs = 3, c.trainPerClass = 80, c.evalPerClass = 50, c.evalsPerEpoch = 1, c.batchSize = 16;
  } else if (preset == "standard") {
    c.epochs = 3, c.trainPerClass = 0, c.evalPerClass = 0, c.evalsPerEpoch = 2, c.batchSize = 16;
  } else if (preset == "thorough") {
    c.epochs = 8, c.trainPerClass = 0, c.evalPerClass = 0, c.evalsPerEpoch = 4, c.batchSize = 16;
  } else {
    throw Error("unknown preset '" + preset + "' (presets: quick, standard, thorough)");
  }
  c.preset = preset;
  return c;
}

// --- results as JSON --------------------------------------------------------------------------------------

int64_t SplitMetrics::correctCount() const {
  int64_t n = 0;
  for (uint8_t c : correct) n += c ? 1 : 0;
  return n;
}

nlohmann::json SplitMetrics::toJson() const {
  std::string bits(correct.size(), '0');
  for (size_t i = 0; i < correct.size(); ++i)
    if (correct[i]) bits[i] = '1';
  return {{"accuracy", accuracy}, {"macro_f1", macroF1}, {"loss", loss}, {"confusion", confusion},
          {"examples", examples}, {"correct", bits}};
}

SplitMetrics SplitMetrics::fromJson(const nlohmann::json& j) {
  SplitMetrics m;
  m.accuracy = j.value("accuracy", -1.0);
  m.macroF1 = j.value("macro_f1", -1.0);
  m.loss = j.value("loss", -1.0);
  m.confusion = j.value("confusion", m.confusion);
  m.examples = j.value("examples", int64_t(0));
  for (char c : j.value("correct", std::string())) m.correct.push_back(c == '1' ? 1 : 0);
  return m;
}

nlohmann::json RunResult::toJson() const {
  return {{"status", statusName(status)},
          {"error", error},
          {"params", params.toJson()},
          {"validation", validation.toJson()},
          {"id_test", idTest.toJson()},
          {"ood_test", oodTest.toJson()},
          {"ood_name", oodName},
          {"more_ood", [this] {
             nlohmann::json a = nlohmann::json::array();
             for (const NamedMetrics& m : moreOod) a.push_back({{"name", m.name}, {"metrics", m.metrics.toJson()}});
             return a;
           }()},
          {"precision", precision},
          {"classes", classes},
          {"steps", steps},
          {"train_tokens", trainTokens},
          {"train_seconds", trainSeconds},
          {"wall_seconds", wallSeconds},
          {"phase_seconds", phaseSeconds},
          {"tokens_per_second", tokensPerSecond},
          {"adapter_dir", adapterDir}};
}

std::vector<NamedMetrics> RunResult::oodSets() const {
  std::vector<NamedMetrics> sets;
  if (oodTest.accuracy >= 0) sets.push_back({oodName, oodTest});
  for (const NamedMetrics& m : moreOod) sets.push_back(m);
  return sets;
}

RunResult RunResult::fromJson(const nlohmann::json& j) {
  RunResult r;
  r.status = statusFromName(j.value("status", std::string(statusName(r.status))));
  r.error = j.value("error", r.error);
  if (j.contains("params")) r.params = ParamBreakdown::fromJson(j.at("params"));
  if (j.contains("validation")) r.validation = SplitMetrics::fromJson(j.at("validation"));
  if (j.contains("id_test")) r.idTest = SplitMetrics::fromJson(j.at("id_test"));
  if (j.contains("ood_test")) r.oodTest = SplitMetrics::fromJson(j.at("ood_test"));
  r.oodName = j.value("ood_name", r.oodName);
  if (j.contains("more_ood") && j.at("more_ood").is_array())
    for (const auto& m : j.at("more_ood"))
      r.moreOod.push_back({m.value("name", std::string("OOD")), SplitMetrics::fromJson(m.value("metrics", nlohmann::json::object()))});
  r.precision = j.value("precision", r.precision);
  r.classes = j.value("classes", r.classes);
  r.steps = j.value("steps", r.steps);
  r.trainTokens = j.value("train_tokens", r.trainTokens);
  r.trainSeconds = j.value("train_seconds", r.trainSeconds);
  r.wallSeconds = j.value("wall_seconds", r.wallSeconds);
  if (j.contains("phase_seconds") && j.at("phase_seconds").is_object())
    for (const auto& [k, v] : j.at("phase_seconds").items())
      if (v.is_number()) r.phaseSeconds[k] = v.get<double>();
  r.tokensPerSecond = j.value("tokens_per_second", r.tokensPerSecond);
  r.adapterDir = j.value("adapter_dir", r.adapterDir);
  return r;
}

// --- Trainer ----------------------------------------------------------------------------------------------

struct Trainer::State {
  Precision precision = Precision::Fp32;
  LoadedModel loaded;
  std::unique_ptr<Method> method;
  std::vector<std::string> classes;
  bool trained = false;
};

Trainer::Trainer(TrainConfig config) : config_(std::move(config)) {}
Trainer::~Trainer() = default;

void Trainer::cancel() { cancel_ = true; }
bool Trainer::cancelRequested() const { return cancel_; }

namespace {

// Everything one run needs while it trains; kept out of the header.
struct Run {
  const TrainConfig& config;
  const TrainCallbacks& cb;
  PhaseReporter& progress;
  const std::atomic<bool>& cancel;
  TransformerModelImpl& model;
  Method& method;
  EncodedSplit train, validation;
  RunResult& result;
  std::string modelKey;  // which weights the frozen features come from (the feature cache's key)
  Clock::time_point start = Clock::now();
  int64_t step = 0, totalSteps = 0;

  void checkCancel() const {
    if (cancel) throw Cancelled{};
  }

  // Evaluates the validation split and reports it as a point of the validation curves. `rows`: progress of
  // the pass (a validation pass during training is a phase of its own; the final one is part of "evaluating").
  SplitMetrics evaluateValidation(double epoch, int stage, RowsDone rows = {}) {
    Clock::time_point t0 = Clock::now();
    if (!rows) {
      progress.begin("validating", int64_t(validation.size()), "texts");
      rows = progress.rows(0);
    }
    SplitMetrics m = evaluateSplit(model, method, validation, int64_t(config.batchSize) * 4, &cancel, rows);
    checkCancel();
    result.phaseSeconds["validate"] += secondsSince(t0);
    if (cb.onEval) cb.onEval({step, epoch, stage, m.loss, m.accuracy});
    lastStage = stage, lastEpoch = epoch;
    return m;
  }
  int lastStage = 1;
  double lastEpoch = 0;

  // Linear probe on frozen features (LP, and LP-FT's stage 1); the head ends up in the model.
  void probe(int stage, bool evaluateAfter) {
    progress.begin("features", int64_t(train.size() + validation.size()), "texts");
    Clock::time_point tf = Clock::now();
    // Cancelled feature passes are not cached (they return partial rows).
    auto features = [&](const EncodedSplit& split, int64_t offset) {
      return cachedFeatures(featureKey(modelKey, split), [&] {
        at::Tensor f = pooledFeatures(model, split, 64, &cancel, progress.rows(offset));
        return cancel ? at::Tensor() : f;
      });
    };
    at::Tensor trX = features(train, 0);
    checkCancel();
    at::Tensor vaX = features(validation, int64_t(train.size()));
    checkCancel();
    progress.advance(int64_t(train.size() + validation.size()));  // cached features: done at once
    result.phaseSeconds["features"] += secondsSince(tf);
    ProbeOptions po;
    progress.begin("fitting", int64_t(po.l2Grid.size()), "L-BFGS fits");
    po.onProgress = [this](double fraction, int fit, int) { progress.update(fit, fraction); };
    po.fitBias = model.classifier->bias.defined();
    Clock::time_point t0 = Clock::now();
    PrecisionScope fp32(Precision::Fp32);  // L-BFGS on cached features: full precision, it is cheap
    ProbeResult p = trainLinearProbe(trX, train.labelTensor(), vaX, validation.labelTensor(),
                                     int64_t(result.classes.size()), po);
    result.trainSeconds += secondsSince(t0);
    {
      torch::NoGradGuard guard;
      model.classifier->weight.copy_(p.weight);
      if (po.fitBias) model.classifier->bias.copy_(p.bias);
    }
    // Each L-BFGS evaluation is one full pass over the cached features: shown as the stage's steps.
    const int64_t n = int64_t(p.lossTrace.size());
    totalSteps += n;
    for (int64_t i = 0; i < n; ++i) {
      ++step;
      if (cb.onStep)
        cb.onStep({step, totalSteps, double(i + 1) / double(n), stage, p.lossTrace[i], 0.0, 0.0,
                   secondsSince(start), step == totalSteps ? 0.0 : -1.0});  // replayed at once: no pace
    }
    result.steps = step;
    lastStage = stage, lastEpoch = 1.0;
    if (evaluateAfter) evaluateValidation(1.0, stage);
  }

  // Gradient training of whatever the method leaves trainable, for config.epochs epochs.
  void gradientTraining(int stage, double bodyLr, double headLr, int64_t plannedSteps) {
    progress.begin("training");
    NamedTensors trainable = trainableParameters(model, method);
    TrainingOptimiser opt = makeTrainingOptimiser(trainable, bodyLr, headLr, config.weightDecay);
    const int64_t batchesPerEpoch = int64_t((train.size() + config.batchSize - 1) / config.batchSize);
    const int64_t stageSteps = batchesPerEpoch * config.epochs;
    if (plannedSteps == 0) totalSteps += stageSteps;
    LrSchedule schedule{1.0, int64_t(std::llround(config.warmupFraction * double(stageSteps))), stageSteps, 0.0,
                        config.cosine};
    const int64_t evalEvery = std::max<int64_t>(1, batchesPerEpoch / std::max(1, config.evalsPerEpoch));
    std::mt19937_64 rng(config.seed * 1000003ULL + uint64_t(stage));
    Throughput throughput;
    int64_t stageStep = 0;
    Clock::time_point firstStepDone;  // the pace of the ETA is measured from here
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
      auto batches = trainingBatches(train, config.batchSize, rng);
      for (size_t b = 0; b < batches.size(); ++b) {
        checkCancel();
        Clock::time_point t0 = Clock::now();
        const double factor = schedule.at(stageStep);
        opt.setLrFactor(factor);
        const StepResult st = trainingStep(model, method, opt, train, batches[b], config.clipNorm);
        const double lossValue = st.loss;
        const int64_t tokens = st.tokens;
        if (!st.finite)
          throw Error("the training loss became " + std::string(std::isnan(lossValue) ? "NaN" : "infinite") +
                      " at step " + std::to_string(step + 1) + " (learning rate " + std::to_string(bodyLr * factor) +
                      "): try a smaller learning rate");
        result.trainSeconds += secondsSince(t0);
        result.trainTokens += tokens;
        throughput.add(tokens);
        ++step, ++stageStep;
        result.steps = step;
        if (stageStep == 1) firstStepDone = Clock::now();
        const double eta = stageStep > 1 ? secondsSince(firstStepDone) / double(stageStep - 1) * double(totalSteps - step)
                                         : -1.0;
        const double epochPos = double(epoch) + double(b + 1) / double(batches.size());
        if (cb.onStep)
          cb.onStep({step, totalSteps, epochPos, stage, lossValue, bodyLr * factor, throughput.rate(),
                     secondsSince(start), eta});
        const bool lastOfEpoch = b + 1 == batches.size();
        lastStage = stage, lastEpoch = epochPos;
        if (lastOfEpoch && epoch + 1 == config.epochs) break;  // the final evaluation covers the last step
        if (lastOfEpoch || int64_t(b + 1) % evalEvery == 0) {
          if (!lastOfEpoch && int64_t(batches.size()) - int64_t(b + 1) < evalEvery / 2) continue;
          evaluateValidation(epochPos, stage);
          progress.begin("training");
        }
      }
    }
  }
};

}  // namespace

RunResult Trainer::run(const TrainCallbacks& cb) {
  RunResult result;
  const Clock::time_point start = Clock::now();
  state_ = std::make_unique<State>();
  PhaseReporter progress(cb.onPhase);
  try {
    progress.begin("loading");
    const TrainConfig& c = config_;
    if (c.epochs < 1) throw Error("epochs must be at least 1");
    if (c.batchSize < 1) throw Error("the batch size must be at least 1");
    torch::manual_seed(c.seed);
    const Precision precision = resolvePrecision(c.precision);
    result.precision = precisionName(precision);
    state_->precision = precision;
    PrecisionScope precisionScope(precision);
    data::Task task = subsetPerClass(data::loadTask(c.task), c.trainPerClass, c.evalPerClass, c.seed);
    if (task.train.empty()) throw Error("task '" + task.name + "' has no training examples");
    if (task.validation.empty()) throw Error("task '" + task.name + "' has no validation examples");
    LoadOptions lo;
    lo.randomInit = c.randomInit;
    lo.seed = c.seed;
    state_->loaded = loadModel(c.model, lo);
    result.phaseSeconds["load"] = secondsSince(start);
    if (!state_->loaded.tokenizer) throw Error(state_->loaded.folder + ": the model folder has no tokenizer files");
    TransformerModelImpl& model = *state_->loaded.model;
    model.seedDropout(c.seed);  // the run's own masks, whatever runs beside it in this process
    const tok::Tokenizer& tokenizer = *state_->loaded.tokenizer;
    result.classes = state_->classes = task.classes;
    model.setClassifier(task.classes, c.seed);
    state_->method = createMethod(c.method, withPresetFactors(c.method, c.preset, c.knobs));
    Method& method = *state_->method;
    InitContext ctx{&tokenizer, task.classes, c.seed};
    applyMethod(model, method, ctx);
    result.params = parameterBudget(model.config(), c.method, method.knobs(), int64_t(task.classes.size()));
    if (c.maxLength < 1) throw Error("the maximum length must be at least 1 token");

    Clock::time_point tokenizeStart = Clock::now();
    progress.begin("tokenizing", int64_t(task.train.size() + task.validation.size()), "texts");
    EncodedSplit trainSplit = encodeSplit(tokenizer, task.train, c.maxLength, progress.rows(0));
    // Training on empty inputs "finishes" at chance: refuse when most texts encode to nothing.
    if (const size_t empty = textlessRows(tokenizer, trainSplit); empty * 2 > trainSplit.size())
      throw Error(std::to_string(empty) + " of the " + std::to_string(trainSplit.size()) +
                  " training texts encode to no tokens at all with this model's tokenizer (" +
                  state_->loaded.folder + "): its vocabulary cannot spell them; check the tokenizer files");
    EncodedSplit validationSplit =
        encodeSplit(tokenizer, task.validation, c.maxLength, progress.rows(int64_t(task.train.size())));
    result.phaseSeconds["tokenize"] = secondsSince(tokenizeStart);
    Run run{c, cb, progress, cancel_, model, method, std::move(trainSplit), std::move(validationSplit), result,
            modelFeatureKey(state_->loaded.folder, c.randomInit, c.seed, model.config().pooling, c.maxLength) +
                "|" + result.precision};
    run.start = start;
    const double lr = c.effectiveLr(), headLr = c.effectiveHeadLr();
    // The method's plan: a frozen-feature probe and/or gradient stages, each at the rates times its factor
    // (LP-FT: FT's rates x lr_factor in stage 2, so it differs from FT only in its head and that factor).
    const int stages = method.stageCount();
    for (int stage = 1; stage <= stages; ++stage) {
      if (stage > 1) method.setStage(model, stage);
      if (method.currentStage().kind == TrainingStage::Kind::FeatureProbe) {
        run.probe(stage, stage < stages);
        continue;
      }
      if (stage == 1) run.evaluateValidation(0.0, 1);  // where training starts from
      const double factor = method.learningRateFactor();
      run.gradientTraining(stage, lr * factor, headLr * factor, 0);
    }
    method.finishTraining();
    state_->trained = true;

    // The final evaluation: validation, the ID test and every OOD set, as one counted phase.
    const std::vector<data::OodSet> oodSets = task.oodSets();
    int64_t evaluationRows = int64_t(run.validation.size() + task.test.size());
    for (const data::OodSet& set : oodSets) evaluationRows += int64_t(set.examples.size());
    progress.begin("evaluating", evaluationRows, "texts");
    int64_t rowsBefore = 0;
    auto evaluate = [&](const std::vector<data::Example>& examples) {
      const int64_t evalBatch = int64_t(c.batchSize) * 4;
      SplitMetrics m = evaluateSplit(model, method, encodeSplit(tokenizer, examples, c.maxLength), evalBatch,
                                     &cancel_, progress.rows(rowsBefore));
      rowsBefore += int64_t(examples.size());
      return m;
    };
    result.validation = run.evaluateValidation(run.lastEpoch, run.lastStage, progress.rows(0));
    rowsBefore = int64_t(run.validation.size());
    Clock::time_point testStart = Clock::now();
    result.idTest = evaluate(task.test);
    for (size_t i = 0; i < oodSets.size(); ++i) {
      SplitMetrics m = evaluate(oodSets[i].examples);
      if (i == 0) result.oodName = oodSets[i].name, result.oodTest = m;
      else result.moreOod.push_back({oodSets[i].name, m});
    }
    if (cancel_) throw Cancelled{};
    result.phaseSeconds["test"] = secondsSince(testStart);
    Clock::time_point saveStart = Clock::now();
    if (!c.adapterDir.empty()) {
      progress.begin("saving");
      const std::string base = baseModelReference(c.model, state_->loaded.folder, c.adapterDir);
      saveAdapter(model, method, c.adapterDir, base);
      result.adapterDir = c.adapterDir;
      result.status = RunStatus::Finished;  // as the card reports it
      writeAdapterCard(c.adapterDir, adapterCard(c, result, base, method.peftType(),
                                                 methodDescriptor(c.method).peftStandard, model.config()));
      result.phaseSeconds["save"] = secondsSince(saveStart);
    }
    result.status = RunStatus::Finished;
  } catch (const Cancelled&) {
    result.status = RunStatus::Cancelled;
    result.error = "stopped by the user";
  } catch (const c10::Error& e) {
    result.status = RunStatus::Failed;
    result.error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    result.status = RunStatus::Failed;
    result.error = e.what();
  }
  result.tokensPerSecond = result.trainSeconds > 0 ? double(result.trainTokens) / result.trainSeconds : 0.0;
  result.wallSeconds = secondsSince(start);
  if (result.trainSeconds > 0) result.phaseSeconds["train"] = result.trainSeconds;
  if (cb.onEnd) cb.onEnd(result);
  return result;
}

std::vector<std::vector<double>> Trainer::predict(const std::vector<std::string>& texts) {
  if (!state_ || !state_->trained) throw Error("predict needs a finished run");
  TransformerModelImpl& model = *state_->loaded.model;
  std::vector<data::Example> examples;
  for (const auto& t : texts) examples.push_back({t, 0});
  EncodedSplit split = encodeSplit(*state_->loaded.tokenizer, examples, config_.maxLength);
  PrecisionScope scope(state_->precision);
  return classProbabilities(model, *state_->method, split);
}

ParamBreakdown plannedParameters(const TrainConfig& config, int64_t classes) {
  ModelConfig mc = readConfigFile(resolveModelFolder(config.model) + "/config.json");
  return parameterBudget(mc, config.method, config.knobs, classes);
}

}  // namespace pw
