// The experiment engine: every method trains and evaluates, runs repeat exactly, cancel and NaN end a run
// cleanly, LP-FT shows both stages, results reach the database, saved method state reloads to the same
// predictions.
#include <torch/torch.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <set>
#include <thread>

#include "methods/adapter_folder.h"
#include "methods/architecture_map.h"
#include "methods/catalog.h"
#include "methods/default_rates.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "results/results_db.h"
#include "train/batches.h"
#include "train/evaluate.h"
#include "train/feature_cache.h"
#include "train/run_record.h"
#include "train/saved_run.h"
#include "train/experiment.h"
#include "train/adapter_card.h"
#include "train/trainer.h"
#include "../common/tiny_fixtures.h"

using namespace pw;

namespace {

void writeTask(const std::string& dir) { pwtest::writeTinyTask(dir, true); }
void writeModel(const std::string& dir, Family family) { pwtest::writeTinyModel(dir, family); }

}  // namespace

class TestTrain : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string bert_, gpt2_, task_;

  TrainConfig config(const std::string& method, const std::string& model) const {
    TrainConfig c;
    c.model = model;
    c.task = task_;
    c.method = method;
    c.epochs = 2;
    c.batchSize = 8;
    c.seed = 5;
    return c;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    const std::string root = tmp_.path().toStdString();
    bert_ = root + "/bert", gpt2_ = root + "/gpt2", task_ = root + "/task";
    std::filesystem::create_directories(task_);
    writeTask(task_);
    writeModel(bert_, Family::Bert);
    writeModel(gpt2_, Family::Gpt2);
  }

  void everyMethodRunsOnBothFamilies() {
    for (const std::string& model : {bert_, gpt2_})
      for (const auto& info : methodCatalog()) {
        TrainConfig c = config(info.name, model);
        c.epochs = 1;
        int steps = 0, evals = 0;
        TrainCallbacks cb;
        cb.onStep = [&](const StepEvent& e) {
          ++steps;
          QVERIFY(e.step == steps);
          QVERIFY(e.step <= e.totalSteps);
          QVERIFY(std::isfinite(e.loss));
        };
        cb.onEval = [&](const EvalEvent&) { ++evals; };
        RunResult r = Trainer(c).run(cb);
        const std::string what = info.name + " on " + model + ": " + r.error;
        QVERIFY2(r.status == RunStatus::Finished, what.c_str());
        QVERIFY2(steps > 0 && evals > 0, what.c_str());
        QVERIFY(r.idTest.accuracy >= 0 && r.idTest.accuracy <= 1);
        QVERIFY(r.oodTest.accuracy >= 0);
        QCOMPARE(r.idTest.examples, int64_t(12));
        QCOMPARE(int(r.idTest.confusion.size()), 2);
        int64_t sum = 0;
        for (const auto& row : r.idTest.confusion)
          for (int64_t n : row) sum += n;
        QCOMPARE(sum, int64_t(12));
        QVERIFY2(r.params == plannedParameters(c, 2), what.c_str());
        QVERIFY(r.params.trainable > 0 && r.params.trainable <= r.params.total);
      }
  }

  void fineTuningLearnsAnEasyTask() {
    // A random 2-layer toy with 48 examples, 6 epochs. Measured over seeds 1-6: at 3e-3 (body and head) every
    // seed reaches 100 %; at 1e-3 only two of six leave chance, so that rate tested luck, not learning.
    for (uint64_t seed : {1, 2, 3}) {
      TrainConfig c = config("ft", bert_);
      c.epochs = 6;
      c.seed = seed;
      c.lr = c.headLr = 3e-3;
      RunResult r = Trainer(c).run();
      QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
      QVERIFY2(r.idTest.accuracy >= 0.9, (std::to_string(seed) + ": " + std::to_string(r.idTest.accuracy)).c_str());
      QVERIFY(r.trainTokens > 0 && r.tokensPerSecond > 0);
    }
  }

  void sameSeedSameNumbers() {
    for (const std::string m : {"lora", "prompt", "lp-ft"}) {
      std::vector<double> a, b;
      RunResult ra = Trainer(config(m, bert_)).run({nullptr, [&](const StepEvent& e) { a.push_back(e.loss); }});
      RunResult rb = Trainer(config(m, bert_)).run({nullptr, [&](const StepEvent& e) { b.push_back(e.loss); }});
      QVERIFY(!a.empty());
      QVERIFY2(a == b, m.c_str());
      QCOMPARE(ra.idTest.accuracy, rb.idTest.accuracy);
      QCOMPARE(ra.validation.loss, rb.validation.loss);
      TrainConfig other = config(m, bert_);
      other.seed = 6;
      std::vector<double> c;
      Trainer(other).run({nullptr, [&](const StepEvent& e) { c.push_back(e.loss); }});
      QVERIFY2(a != c, m.c_str());
    }
  }

  // A saved folder carries a model card: Hub front matter, the base model named relative to the folder (never
  // this machine's absolute path), and the accuracies with their intervals.
  void savedFolderHasAModelCard() {
    TrainConfig c = config("lora", bert_);
    c.adapterDir = tmp_.path().toStdString() + "/card-lora";
    RunResult r = Trainer(c).run();
    QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
    std::ifstream in(c.adapterDir + "/README.md");
    const std::string card((std::istreambuf_iterator<char>(in)), {});
    QVERIFY2(card.rfind("---\nlibrary_name: peft\npipeline_tag: text-classification\n", 0) == 0, card.c_str());
    const std::string relative = std::filesystem::path(bert_).lexically_relative(tmp_.path().toStdString() + "/card-lora").generic_string();
    QVERIFY2(card.find("base_model: \"" + relative + "\"") != std::string::npos, card.c_str());
    QVERIFY(card.find(tmp_.path().toStdString()) == std::string::npos);
    QVERIFY2(card.find("| ID test accuracy | ") != std::string::npos && card.find("95 % Wilson interval") != std::string::npos,
             card.c_str());
    std::ifstream cfg(c.adapterDir + "/adapter_config.json");
    const nlohmann::json adapter = nlohmann::json::parse(cfg);
    QCOMPARE(adapter["base_model_name_or_path"].get<std::string>(), relative);
    QCOMPARE(baseModelReference("tiny-bert", "/somewhere/tiny-bert", "/elsewhere/out"), std::string("tiny-bert"));
    // Whether transformers would give the same logits is said either way.
    ModelConfig mean = loadModel(bert_).model->config();
    mean.pooling = "mean";
    QVERIFY(transformersCompatibility(mean, "lora").find("Not the same logits") != std::string::npos);
    ModelConfig cls = mean;
    cls.pooling = "cls";
    QVERIFY(transformersCompatibility(cls, "lora").find("same features") != std::string::npos);
    QVERIFY(transformersCompatibility(cls, "prompt").find("PEFT pools position 0") != std::string::npos);
    const bool meanPooled = loadModel(bert_).model->config().pooling == "mean";
    QVERIFY(card.find(meanPooled ? "Not the same logits" : "same features") != std::string::npos);
    // The CLI and the window repeat the card's warning when they save or export the folder.
    const std::string why = transformersWarning(c.adapterDir);
    QCOMPARE(why.empty(), !meanPooled);
    if (meanPooled) QVERIFY2(why.rfind("this run classified the mean", 0) == 0 && why.find("pooler") != std::string::npos, why.c_str());
    QCOMPARE(transformersWarning(tmp_.path().toStdString() + "/no-such-folder"), std::string());
  }

  void lpFtShowsBothStages() {
    std::vector<int> stages;
    std::vector<double> lrs;
    RunResult r = Trainer(config("lp-ft", bert_)).run({nullptr, [&](const StepEvent& e) {
      stages.push_back(e.stage);
      lrs.push_back(e.lr);
    }});
    QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
    QVERIFY(!stages.empty() && stages.front() == 1 && stages.back() == 2);
    QVERIFY(std::is_sorted(stages.begin(), stages.end()));
    // Stage 2 runs at the method's learning rate times the preset's tuned lr_factor, after warmup up to it.
    const TrainConfig c = config("lp-ft", bert_);
    const double factor = defaultRates("lp-ft", c.preset).factor;
    QVERIFY(factor > 0 && factor <= 1);
    const double peak = c.effectiveLr() * factor;
    double highest = 0;
    for (size_t i = 0; i < stages.size(); ++i)
      if (stages[i] == 2) {
        QVERIFY(lrs[i] > 0 && lrs[i] <= peak * (1 + 1e-9));
        highest = std::max(highest, lrs[i]);
      }
    QVERIFY2(highest >= 0.8 * peak, std::to_string(highest).c_str());
    // An explicit factor wins over the preset's.
    TrainConfig gentle = c;
    gentle.knobs["lr_factor"] = 0.05;
    std::vector<double> gentleLrs;
    RunResult g = Trainer(gentle).run({nullptr, [&](const StepEvent& e) {
      if (e.stage == 2) gentleLrs.push_back(e.lr);
    }});
    QVERIFY2(g.status == RunStatus::Finished, g.error.c_str());
    QVERIFY(!gentleLrs.empty() && *std::max_element(gentleLrs.begin(), gentleLrs.end()) <= c.effectiveLr() * 0.05 * (1 + 1e-9));
    // Everything trains in stage 2: the reported breakdown is the full model's.
    QCOMPARE(r.params.trainable, r.params.total);
  }

  // Every phase reports: in order, counted where it can be, each counted phase ending at its total, and no
  // silence of a second or more between two reports (the window's bar and the CLI's line move at least that often).
  void everyPhaseReportsItsProgress() {
    clearFeatureCache();  // LP-FT's probe must compute its features here, not find them cached
    for (const std::string method : {"lp-ft", "lora"}) {
      std::vector<PhaseEvent> events;
      std::vector<double> times;  // of every phase report and step, in seconds since the start
      QElapsedTimer clock;
      clock.start();
      TrainConfig c = config(method, bert_);
      c.adapterDir = tmp_.path().toStdString() + "/phases-" + method;
      TrainCallbacks cb;
      cb.onPhase = [&](const PhaseEvent& e) {
        events.push_back(e);
        times.push_back(clock.nsecsElapsed() / 1e9);
      };
      std::vector<StepEvent> steps;
      cb.onStep = [&](const StepEvent& e) {
        times.push_back(clock.nsecsElapsed() / 1e9);
        steps.push_back(e);
      };
      RunResult r = Trainer(c).run(cb);
      QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
      std::vector<std::string> order;  // each phase once, in the order phases started
      for (const PhaseEvent& e : events)
        if (order.empty() || order.back() != e.phase) order.push_back(e.phase);
      std::string seen;
      for (const auto& p : order) seen += p + " ";
      QVERIFY2(order.size() >= 4 && order[0] == "loading" && order[1] == "tokenizing", seen.c_str());
      QVERIFY2(order[order.size() - 2] == "evaluating" && order.back() == "saving", seen.c_str());
      for (const std::string& p : {"tokenizing", "evaluating"})
        QVERIFY2(std::count(order.begin(), order.end(), p) == 1, seen.c_str());
      if (method == "lp-ft") QVERIFY2(seen.find("features fitting ") != std::string::npos, seen.c_str());
      else QVERIFY2(seen.find("features") == std::string::npos, seen.c_str());
      // Counted phases end at their total; their counts never go back.
      for (size_t i = 0; i < events.size(); ++i) {
        const PhaseEvent& e = events[i];
        QVERIFY(e.fraction >= 0 && e.fraction <= 1);
        QVERIFY(e.done <= e.total || e.total == 0);
        const bool last = i + 1 == events.size() || events[i + 1].phase != e.phase;
        if (i > 0 && events[i - 1].phase == e.phase) QVERIFY(e.done >= events[i - 1].done);
        if (last && e.total > 0 && e.phase != "fitting") {
          QVERIFY2(e.done == e.total, (e.phase + " ended at " + std::to_string(e.done)).c_str());
          QCOMPARE(e.fraction, 1.0);
        }
        if (e.phase == "tokenizing") QCOMPARE(e.unit, std::string("texts"));
        if (e.phase == "fitting") QVERIFY(e.done >= 0 && e.done <= e.total && e.total == 6);
      }
      const auto evaluating = std::find_if(events.rbegin(), events.rend(),
                                           [](const PhaseEvent& e) { return e.phase == "evaluating"; });
      QVERIFY(evaluating != events.rend());
      QVERIFY(evaluating->total > 0 && evaluating->done == evaluating->total);  // validation + test + OOD
      // The ETA: from the pace of a gradient stage's steps, known from its second step on, 0 at the end.
      QVERIFY(!steps.empty() && steps.back().etaSeconds == 0.0);
      if (method == "lora") {
        QCOMPARE(steps.front().etaSeconds, -1.0);
        for (size_t i = 1; i < steps.size(); ++i) QVERIFY(steps[i].etaSeconds >= 0);
      }
      double longestGap = 0;
      for (size_t i = 1; i < times.size(); ++i) longestGap = std::max(longestGap, times[i] - times[i - 1]);
      qInfo("%s: %zu phase reports, longest silence %.3f s", method.c_str(), events.size(), longestGap);
      QVERIFY2(longestGap < 1.0, std::to_string(longestGap).c_str());
    }
  }

  void linearProbeMatchesItsValidation() {
    RunResult r = Trainer(config("lp", gpt2_)).run();
    QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
    QVERIFY(r.validation.accuracy >= 0.5);
    QCOMPARE(r.params.trainable, r.params.head());
  }

  void probesReuseCachedFeatures() {
    clearFeatureCache();
    const int before = featureCacheHits();
    RunResult first = Trainer(config("lp", bert_)).run();
    QCOMPARE(featureCacheHits(), before);  // computed
    TrainConfig other = config("lp-ft", bert_);
    other.seed = 9;  // a pretrained model's features do not depend on the seed
    std::vector<double> stage1;
    Trainer(other).run({nullptr, [&](const StepEvent& e) {
      if (e.stage == 1) stage1.push_back(e.loss);
    }});
    QCOMPARE(featureCacheHits(), before + 2);  // train and validation features reused
    RunResult again = Trainer(config("lp", bert_)).run();
    QCOMPARE(again.idTest.accuracy, first.idTest.accuracy);
    QCOMPARE(again.validation.loss, first.validation.loss);
    // Random weights with another seed are other features: no reuse.
    TrainConfig random = config("lp", bert_);
    random.randomInit = true;
    Trainer(random).run();
    random.seed = 6;
    const int hits = featureCacheHits();
    Trainer(random).run();
    QCOMPARE(featureCacheHits(), hits);
  }

  void cancelStopsWithinASecond() {
    TrainConfig c = config("ft", bert_);
    c.epochs = 50;
    Trainer t(c);
    QElapsedTimer timer;
    RunResult r = t.run({nullptr, [&](const StepEvent& e) {
      if (e.step == 3) {
        t.cancel();
        timer.start();
      }
    }});
    QCOMPARE(QString(pw::statusName(r.status)), QString("cancelled"));
    QVERIFY(r.steps == 3);
    QVERIFY(timer.elapsed() < 1000);
  }

  void nonFiniteLossFailsWithTheReason() {
    TrainConfig c = config("ft", bert_);
    c.lr = 1e30;
    c.headLr = 1e30;
    c.clipNorm = 0;
    c.warmupFraction = 0;
    RunResult r = Trainer(c).run();
    QCOMPARE(QString(pw::statusName(r.status)), QString("failed"));
    QVERIFY2(r.error.find("loss became") != std::string::npos, r.error.c_str());
  }

  void badInputFailsInsteadOfThrowing() {
    TrainConfig c = config("lora", bert_);
    c.knobs = {{"rank", 0}};
    RunResult r = Trainer(c).run();
    QCOMPARE(QString(pw::statusName(r.status)), QString("failed"));
    QVERIFY(!r.error.empty());
    c = config("lora", tmp_.path().toStdString() + "/no-such-model");
    QCOMPARE(QString(statusName(Trainer(c).run().status)), QString("failed"));
  }

  void recorderWritesTheRunAndItsCurves() {
    results::ResultsDb db(tmp_.path().toStdString() + "/results.sqlite");
    TrainConfig c = config("bitfit", bert_);
    RunRecorder rec(db, c, "batch-1");
    int steps = 0, evals = 0;
    TrainCallbacks cb = rec.wrap({nullptr, [&](const StepEvent&) { ++steps; }, [&](const EvalEvent&) { ++evals; }});
    RunResult r = Trainer(c).run(cb);
    QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
    auto row = db.getRun(rec.runId());
    QVERIFY(row.has_value());
    QCOMPARE(QString(pw::statusName(row->status)), QString("finished"));
    QCOMPARE(row->idAccuracy, r.idTest.accuracy);
    QCOMPARE(row->trainable, r.params.trainable);
    QCOMPARE(QString::fromStdString(row->batch), QString("batch-1"));
    QCOMPARE(int(db.curve(rec.runId(), "train_loss").size()), steps);
    QCOMPARE(int(db.curve(rec.runId(), "val_acc").size()), evals);
    QCOMPARE(row->knobs, createMethod("bitfit")->knobs());
  }

  // A run's numbers depend on its seed, not on what trains beside it: run alone, and side by side with another
  // run in a second thread (compare --parallel), the same seed gives the same losses bit for bit. Dropout draws
  // from the model's own generator (models/seeded_dropout.h); from LibTorch's global one, which both runs
  // reseeded and shared, they differed run to run (seen at the standard preset: 85.6 % vs 85.3 % ID).
  void sideBySideRunsKeepTheirSeedsNumbers() {
    TrainConfig c = config("lora", bert_);
    c.epochs = 3;
    c.precision = "fp32";
    QVERIFY(pw::loadModel(bert_).model->config().dropout > 0);
    auto losses = [](const TrainConfig& cfg) {
      std::vector<double> out;
      TrainCallbacks cb;
      cb.onStep = [&](const StepEvent& e) { out.push_back(e.loss); };
      const RunResult r = Trainer(cfg).run(cb);
      out.push_back(r.validation.accuracy);
      return out;
    };
    const std::vector<double> alone = losses(c);
    TrainConfig other = c;
    other.seed = c.seed + 1;
    std::vector<double> a, b;
    std::thread ta([&] { a = losses(c); }), tb([&] { b = losses(other); });
    ta.join();
    tb.join();
    QVERIFY(alone.size() > 3);
    QCOMPARE(a, alone);
    QVERIFY(b != alone);  // and the seed does change them
    QCOMPARE(losses(c), alone);
  }

  // Every OOD set of a task is evaluated and named; the whole ID test and OOD sets even with a subset preset.
  void everyOodSetIsEvaluated() {
    const std::string dir = twoOodTask();
    TrainConfig c = config("lp", bert_);
    c.task = dir;
    c.evalPerClass = 2;  // validation only: the test sets stay whole
    RunResult r = Trainer(c).run();
    QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
    QCOMPARE(r.oodName, std::string("OOD"));
    QCOMPARE(r.oodTest.examples, int64_t(8));
    QCOMPARE(r.idTest.examples, int64_t(12));
    QCOMPARE(r.validation.examples, int64_t(4));
    QCOMPARE(int(r.moreOod.size()), 1);
    QCOMPARE(r.moreOod[0].name, std::string("other words"));
    QCOMPARE(r.moreOod[0].metrics.examples, int64_t(3));
    QCOMPARE(r.moreOod[0].metrics.correct.size(), size_t(3));
    RunResult back = RunResult::fromJson(r.toJson());
    QCOMPARE(int(back.oodSets().size()), 2);
    QCOMPARE(back.oodSets()[1].metrics.correct, r.moreOod[0].metrics.correct);
    QVERIFY(r.phaseSeconds.count("load") && r.phaseSeconds.count("test"));
  }

  void predictionsAndSavedStateAgree() {
    const std::string dir = tmp_.path().toStdString() + "/lora-adapter";
    TrainConfig c = config("lora", gpt2_);
    c.adapterDir = dir;
    c.precision = "fp32";  // compared below with a plain fp32 forward
    Trainer t(c);
    RunResult r = t.run();
    QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
    const std::vector<std::string> texts = {"the dog sat in the barn", "the bank sold gold"};
    auto probs = t.predict(texts);
    QCOMPARE(int(probs.size()), 2);
    for (const auto& row : probs) {
      QCOMPARE(int(row.size()), 2);
      QVERIFY(std::abs(row[0] + row[1] - 1.0) < 1e-6);
    }
    // The saved method state on a fresh copy of the base model gives the same probabilities.
    LoadedModel base = loadModel(gpt2_);
    auto method = loadAdapter(*base.model, dir);
    EncodedSplit split = encodeSplit(*base.tokenizer, {{texts[0], 0}, {texts[1], 0}}, c.maxLength);
    auto again = classProbabilities(*base.model, *method, split);
    for (size_t i = 0; i < 2; ++i)
      for (size_t k = 0; k < 2; ++k) QVERIFY(std::abs(again[i][k] - probs[i][k]) < 1e-5);
  }

  void savedRunsPredictLikeTheLiveRun() {
    // LoRA on a pretrained-style folder, full fine-tuning (a whole model folder), and a random-init control.
    struct Case {
      std::string method, model;
      bool randomInit;
    };
    for (const Case& k : {Case{"prefix", bert_, false}, Case{"ft", gpt2_, false}, Case{"bitfit", bert_, true}}) {
      const std::string dir = tmp_.path().toStdString() + "/saved-" + k.method;
      TrainConfig c = config(k.method, k.model);
      c.randomInit = k.randomInit;
      c.epochs = 1;
      c.adapterDir = dir;
      Trainer t(c);
      RunResult r = t.run();
      QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
      const std::vector<std::string> texts = {"a cat in the barn", "the price of gold"};
      auto live = t.predict(texts);
      SavedRun saved(c, r.adapterDir);
      QCOMPARE(int(saved.classes().size()), 2);
      auto again = saved.probabilities(texts);
      for (size_t i = 0; i < texts.size(); ++i)
        for (size_t j = 0; j < 2; ++j)
          QVERIFY2(std::abs(again[i][j] - live[i][j]) < 1e-5, (k.method + ": saved run differs").c_str());
    }
  }

  void architectureViewHighlightsWhereMethodsAct() {
    ModelConfig mc = readConfigFile(bert_ + "/config.json");
    auto active = [&](const std::string& method, const nlohmann::json& knobs) {
      ArchitectureView v = architectureView(mc, method, knobs, 2);
      std::set<std::string> on;
      for (const auto& p : v.parts)
        if (p.active()) on.insert(p.key);
      // The parts add up to the accounting.
      ParamBreakdown b = parameterBudget(mc, method, knobs, 2);
      if (v.trainable != b.trainable || v.total != b.total) on.insert("MISMATCH");
      return on;
    };
    using S = std::set<std::string>;
    QCOMPARE(active("lora", nlohmann::json::object()), (S{"q", "v", "head"}));
    QCOMPARE(active("lora", {{"targets", "query,key,intermediate"}}), (S{"q", "k", "ffn_up", "head"}));
    QCOMPARE(active("lp", nlohmann::json::object()), (S{"head"}));
    QCOMPARE(active("prompt", nlohmann::json::object()), (S{"prompt", "head"}));
    QCOMPARE(active("prefix", nlohmann::json::object()), (S{"prefix", "head"}));
    QCOMPARE(active("adapter", nlohmann::json::object()), (S{"adapter_attn", "adapter_ffn", "head"}));
    QCOMPARE(active("adapter", {{"adapter_kind", "pfeiffer"}}), (S{"adapter_ffn", "head"}));
    QCOMPARE(active("ia3", nlohmann::json::object()), (S{"k", "v", "ffn_act", "head"}));
    // BitFit: biases everywhere they exist (LayerNorm biases included), nothing added.
    ArchitectureView bitfit = architectureView(mc, "bitfit", nlohmann::json::object(), 2);
    QVERIFY(bitfit.part("q")->unfrozen && !bitfit.part("q")->added);
    QVERIFY(bitfit.part("q")->trainable < bitfit.part("q")->baseTotal);
    QCOMPARE(active("ft", nlohmann::json::object()).count("MISMATCH"), size_t(0));
    ArchitectureView ft = architectureView(mc, "ft", nlohmann::json::object(), 2);
    for (const auto& p : ft.parts) QCOMPARE(p.trainable, p.baseTotal);
    QCOMPARE(QString::fromStdString(architectureView(mc, "lora", {}, 2).formula),
             QString::fromStdString(methodDescriptor("lora").formula));
  }

  // The CLI's progress on a pipe (a log, not a terminal): one line as each phase starts, with its count.
  void cliNamesEveryPhaseWithItsCount() {
    QProcess p;
    p.start(PW_CLI_PATH, {"train", "--method", "lp-ft", "--model", QString::fromStdString(bert_), "--task",
                          QString::fromStdString(task_), "--epochs", "1", "--batch", "8", "--no-db"});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    for (const QString& line : {"lp-ft: loading...", "lp-ft: tokenizing (", "lp-ft: features (", " texts)...",
                                "lp-ft: fitting (6 L-BFGS fits)...", "lp-ft: evaluating ("})
      QVERIFY2(err.contains(line), qPrintable(line + " missing from:\n" + err));
    QVERIFY2(!err.contains("validating"), qPrintable(err));  // mid-training passes do not pile up lines
  }

  // The CLI commands over the same engine: train, compare (with CSVs), sweep, and runs reading them back.
  void trainCompareSweepCommands() {
    const QString db = tmp_.path() + "/cli.sqlite", out = tmp_.path() + "/compare";
    auto cli = [&](QStringList args) {
      QProcess p;
      p.start(PW_CLI_PATH, args << "--db" << db << "--json");
      p.waitForFinished(120000);
      QByteArray text = p.readAllStandardOutput();
      QJsonObject j = QJsonDocument::fromJson(text).object();
      if (p.exitCode() != 0 || j.isEmpty()) qWarning() << args << p.readAllStandardError();
      return j;
    };
    const QStringList common = {"--model", QString::fromStdString(bert_), "--task", QString::fromStdString(task_),
                                "--epochs", "1", "--batch", "8"};
    QJsonObject train = cli(QStringList{"train", "--method", "lora", "--rank", "2"} + common);
    QCOMPARE(train["status"].toString(), QString("finished"));
    QVERIFY(train["id_test"].toObject()["accuracy"].toDouble() >= 0);
    QCOMPARE(train["config"].toObject()["knobs"].toObject()["rank"].toString(), QString("2"));
    QVERIFY(train["run_id"].toInt() > 0);

    QJsonObject compare = cli(QStringList{"compare", "--methods", "lp,bitfit", "--seeds", "2", "--out", out} + common);
    QJsonArray rows = compare["rows"].toArray();
    QCOMPARE(rows.size(), 2);
    for (const auto& r : rows) {
      QCOMPARE(r.toObject()["finished"].toInt(), 2);
      QCOMPARE(r.toObject()["runs"].toArray().size(), 2);
      QVERIFY(r.toObject()["id_std"].toDouble() >= 0);
      // Two seeds: the Student t interval on the mean, around the mean.
      QCOMPARE(r.toObject()["id_interval"].toString(), QString("t"));
      QVERIFY(r.toObject()["id_low"].toDouble() <= r.toObject()["id_mean"].toDouble());
      QVERIFY(r.toObject()["id_high"].toDouble() >= r.toObject()["id_mean"].toDouble());
    }
    // The worse of the two against the better on each split: a paired t over the two seeds.
    const QJsonArray diffs = compare["differences"].toArray();
    QVERIFY(diffs.size() >= 1);
    for (const auto& d : diffs) {
      QVERIFY(d.toObject()["difference"].toDouble() <= 0);
      QCOMPARE(d.toObject()["test"].toString(), QString("paired t over 2 seeds"));
      QVERIFY(d.toObject()["sentence"].toString().contains(" vs "));
    }
    QFile results(out + "/results.csv"), curves(out + "/curves.csv"), summary(out + "/summary.csv");
    QVERIFY(results.open(QIODevice::ReadOnly) && curves.open(QIODevice::ReadOnly) && summary.open(QIODevice::ReadOnly));
    const QStringList resultLines = QString(results.readAll()).trimmed().split('\n');
    QCOMPARE(resultLines.size(), 1 + 4);  // header + 2 methods x 2 seeds
    QVERIFY(resultLines[0].contains("id_accuracy,id_low,id_high,"));
    QCOMPARE(QString(summary.readAll()).trimmed().split('\n').size(), 1 + 2);
    QVERIFY(QString(curves.readAll()).count("train_loss") > 4);

    QJsonObject sweep = cli(QStringList{"sweep", "--method", "lora", "--values", "1,4"} + common);
    QJsonArray points = sweep["rows"].toArray();
    QCOMPARE(points.size(), 2);
    QCOMPARE(points[0].toObject()["knob_value"].toString(), QString("1"));
    QVERIFY(points[1].toObject()["trainable"].toInteger() > points[0].toObject()["trainable"].toInteger());

    results::ResultsDb store(db.toStdString());
    QCOMPARE(int(store.listRuns().size()), 1 + 4 + 2);

    // A task with a second OOD set: compare shows it as a column, tests against the best on it, and writes it
    // to the JSON rows and both CSVs.
    const QString two = QString::fromStdString(twoOodTask()), out2 = tmp_.path() + "/compare-two-ood";
    QStringList twoArgs = {"compare", "--methods", "lp,bitfit", "--seeds", "2", "--out", out2, "--model",
                           QString::fromStdString(bert_), "--task", two, "--epochs", "1", "--batch", "8"};
    QJsonObject c2 = cli(twoArgs);
    for (const auto& r : c2["rows"].toArray()) {
      const QJsonArray more = r.toObject()["more_ood"].toArray();
      QCOMPARE(more.size(), 1);
      QCOMPARE(more[0].toObject()["name"].toString(), QString("other words"));
      QCOMPARE(more[0].toObject()["n"].toInt(), 2);
    }
    bool testedOnIt = false;
    for (const auto& d : c2["differences"].toArray()) testedOnIt |= d.toObject()["split"].toString() == "other words";
    QVERIFY(testedOnIt);
    QFile r2(out2 + "/results.csv"), s2(out2 + "/summary.csv");
    QVERIFY(r2.open(QIODevice::ReadOnly) && s2.open(QIODevice::ReadOnly));
    const QStringList rows2 = QString(r2.readAll()).trimmed().split('\n');
    QVERIFY2(rows2[0].endsWith(",error,ood2_name,ood2_accuracy,ood2_low,ood2_high,ood2_macro_f1"), qPrintable(rows2[0]));
    QVERIFY(rows2[1].contains(",other words,"));
    QVERIFY(QString(s2.readAll()).section('\n', 0, 0).endsWith(",ood2_name,ood2_mean,ood2_std,ood2_low,ood2_high,ood2_interval"));
    QProcess text;
    text.start(PW_CLI_PATH, twoArgs.mid(0, 5) + twoArgs.mid(7) << "--no-db");
    text.waitForFinished(120000);
    const QString table = QString::fromUtf8(text.readAllStandardOutput());
    QVERIFY2(table.section('\n', 0, 0).contains("OOD 'other words' %"), qPrintable(table));
    QVERIFY(table.contains("on other words:"));
  }

  // The tiny task plus a second, named OOD set (ood_other_words.csv); made once, by whichever test asks first.
 private:
  std::string twoOodTask() {
    const std::string dir = tmp_.path().toStdString() + "/task-two-ood";
    if (std::filesystem::exists(dir + "/ood_other_words.csv")) return dir;
    std::filesystem::create_directories(dir);
    for (const char* f : {"train.csv", "validation.csv", "test.csv", "ood.csv"})
      std::filesystem::copy_file(task_ + "/" + f, dir + "/" + f, std::filesystem::copy_options::overwrite_existing);
    std::ofstream extra(dir + "/ood_other_words.csv");
    extra << "text,label\nthe goat chewed the rope,animal\nthe coins were counted,money\nan owl hooted,animal\n";
    return dir;
  }

 private Q_SLOTS:

  void presetsAndJsonRoundTrip() {
    TrainConfig c = applyPreset(config("prefix", bert_), "quick");
    QCOMPARE(QString::fromStdString(c.preset), QString("quick"));
    QVERIFY(c.trainPerClass > 0);
    c.knobs = {{"length", 4}};
    TrainConfig back = TrainConfig::fromJson(c.toJson());
    QCOMPARE(back.toJson(), c.toJson());
    bool threw = false;
    try {
      applyPreset(c, "fastest");
    } catch (const std::exception&) {
      threw = true;
    }
    QVERIFY(threw);
    RunResult r;
    r.idTest.accuracy = 0.5;
    r.idTest.confusion = {{1, 2}, {3, 4}};
    r.params.groups["head"] = 10;
    r.params.total = 100;
    r.params.finish();
    QCOMPARE(RunResult::fromJson(r.toJson()).toJson(), r.toJson());
  }

  // One expansion for compare, sweep, the window's queue and its sweep tab (train/experiment.h).
  void experimentsExpandOneWay() {
    TrainConfig base;
    base.seed = 5;
    base.knobs = {{"rank", 4}, {"length", 3}};
    auto arms = expandArms(methodConfigurations(base, {"lp", "lora", "prompt"}), 3);
    QCOMPARE(arms.size(), size_t(3));
    QCOMPARE(arms[0].label, std::string("lp"));
    QCOMPARE(arms[1].label, std::string("lora r=4"));  // each method keeps the knobs it has
    QCOMPARE(arms[1].runs[0].knobs, nlohmann::json({{"rank", 4}}));
    QCOMPARE(arms[2].label, std::string("prompt k=3"));
    const auto runs = allRuns(arms);
    QCOMPARE(runs.size(), size_t(9));
    QCOMPARE(runs[0].seed, uint64_t(5));
    QCOMPARE(runs[2].seed, uint64_t(7));
    QCOMPARE(runs[3].method, std::string("lora"));  // arm-major
    base.method = "adapter";
    base.knobs = nlohmann::json::object();
    arms = expandArms(sweepConfigurations(base, "adapter-size", {"8", "16"}), 1, "adapter-size");
    QCOMPARE(arms.size(), size_t(2));
    QCOMPARE(arms[1].knobValue, std::string("16"));
    QCOMPARE(arms[1].runs[0].knobs.at("adapter_size"), nlohmann::json(16));  // typed by its spec
    QCOMPARE(arms[1].label, std::string("adapter m=16"));
    bool refused = false;
    try {
      expandArms({base}, 21);
    } catch (const std::exception&) {
      refused = true;
    }
    QVERIFY(refused);
  }

  void catalogDefaultsAreTheMethodsOwn() {
    for (const auto& info : methodCatalog()) {
      nlohmann::json actual = createMethod(info.name)->knobs();
      for (const auto& k : info.knobs) {
        QVERIFY2(actual.contains(k.key), (info.name + "." + k.key).c_str());
        nlohmann::json expected = k.defaultValue;
        if (k.kind == KnobSpec::Kind::List) {  // "query,value" is the list ["query","value"]
          nlohmann::json list = nlohmann::json::array();
          std::stringstream in(k.defaultValue.get<std::string>());
          for (std::string item; std::getline(in, item, ',');) list.push_back(item);
          expected = list;
        }
        QVERIFY2(actual.at(k.key) == expected, (info.name + "." + k.key + ": " + actual.at(k.key).dump()).c_str());
      }
    }
  }

  // One table of default rates: every method with a rate has a tuned quick row; other presets fall back to it
  // and say so; LP-FT has FT's; lp has none; a config at 0 trains at the table's rates, and its record keeps them.
  void defaultRatesPerPreset() {
    for (const auto& info : methodCatalog()) {
      const DefaultRates q = defaultRates(info.name, "quick");
      if (info.name == "lp") {
        QCOMPARE(q.lr, 0.0);
        continue;
      }
      QVERIFY2(q.lr > 0 && q.headLr > 0, info.name.c_str());
      QVERIFY(q.fromAskedPreset("quick"));
      QVERIFY2(QString::fromStdString(q.source).contains("tune"), info.name.c_str());
      const DefaultRates s = defaultRates(info.name, "standard");
      QVERIFY(s.fromAskedPreset("standard") || (s.tunedAt == "quick" && s.lr == q.lr && s.headLr == q.headLr));
    }
    QCOMPARE(defaultRates("lp-ft", "quick").lr, defaultRates("ft", "quick").lr);
    QCOMPARE(defaultRates("lp-ft", "quick").headLr, defaultRates("ft", "quick").headLr);
    // LP-FT's stage-2 factor is tuned per preset (docs/TRAINING.md); thorough falls back to quick's, and a run
    // without the knob takes its preset's while a given one is kept.
    QCOMPARE(defaultRates("lp-ft", "quick").factor, 1.0);
    QCOMPARE(defaultRates("lp-ft", "standard").factor, 0.3);
    QCOMPARE(defaultRates("lp-ft", "standard").factorTunedAt, std::string("standard"));
    QCOMPARE(defaultRates("lp-ft", "thorough").factorTunedAt, std::string("quick"));
    QCOMPARE(defaultRates("ft", "standard").factor, 0.0);
    QCOMPARE(withPresetFactors("lp-ft", "standard", nlohmann::json::object()).value("lr_factor", 0.0), 0.3);
    QCOMPARE(withPresetFactors("lp-ft", "standard", {{"lr_factor", 0.05}}).value("lr_factor", 0.0), 0.05);
    QVERIFY(!withPresetFactors("lora", "standard", nlohmann::json::object()).contains("lr_factor"));
    bool threw = false;
    try {
      defaultRates("nope", "quick");
    } catch (const std::exception&) {
      threw = true;
    }
    QVERIFY(threw);

    TrainConfig c = applyPreset(config("bitfit", bert_), "quick");
    QCOMPARE(c.lr, 0.0);
    QCOMPARE(c.effectiveLr(), defaultRates("bitfit", "quick").lr);
    QCOMPARE(c.effectiveHeadLr(), defaultRates("bitfit", "quick").headLr);
    c.headLr = 0.5;
    QCOMPARE(c.effectiveHeadLr(), 0.5);
    const TrainConfig recorded = TrainConfig::fromJson(runRecordFor(applyPreset(config("lora", bert_), "quick"), "b").config);
    QCOMPARE(recorded.lr, defaultRates("lora", "quick").lr);
    QCOMPARE(recorded.headLr, defaultRates("lora", "quick").headLr);
  }
};

QTEST_MAIN(TestTrain)
#include "tst_train.moc"
