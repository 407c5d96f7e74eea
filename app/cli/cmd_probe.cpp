// `probe`: linear-probe accuracy of a model's frozen features on a task (ID test and OOD test), the measure
// of what pretraining put into the features. `--random-init` gives the same architecture's random control.
#include <chrono>
#include <iomanip>
#include <iostream>

#include "command.h"
#include "data/task.h"
#include "models/model_folder.h"
#include "train/features.h"
#include "train/linear_probe.h"

namespace pw::cli {
namespace {

std::vector<std::string> texts(const std::vector<data::Example>& split) {
  std::vector<std::string> t;
  for (const auto& e : split) t.push_back(e.text);
  return t;
}

at::Tensor labels(const std::vector<data::Example>& split) {
  std::vector<int64_t> l;
  for (const auto& e : split) l.push_back(e.label);
  return torch::tensor(l, torch::kLong);
}

int runProbe(const Args& a) {
  auto start = std::chrono::steady_clock::now();
  data::Task task = data::loadTask(a.get("task", "dictionary-fields"));
  int perClass = int(a.getInt("per-class", 0));
  if (perClass < 0) throw Error("--per-class must be positive");
  if (perClass > 0) task = data::quickSubset(task, perClass);
  LoadOptions lo;
  lo.randomInit = a.flags.count("random-init") > 0;
  lo.seed = uint64_t(a.getInt("seed", 0));
  LoadedModel m = loadModel(a.require("model"), lo);
  if (!m.tokenizer) throw Error(m.folder + ": the model folder has no tokenizer files");
  if (a.has("pooling")) m.model->setPooling(a.get("pooling"));
  const int maxLength = int(a.getInt("max-length", 128));
  auto features = [&](const std::vector<data::Example>& split) {
    return computeFeatures(*m.model, *m.tokenizer, texts(split), maxLength);
  };
  at::Tensor trX = features(task.train), vaX = features(task.validation), teX = features(task.test);
  at::Tensor ooX = task.hasOod() ? features(task.ood) : at::Tensor();
  double featureSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int64_t C = task.numClasses();
  ProbeResult p = trainLinearProbe(trX, labels(task.train), vaX, labels(task.validation), C);
  torch::NoGradGuard guard;
  auto logits = [&](const at::Tensor& x) { return torch::addmm(p.bias, x, p.weight.t()); };
  double idAcc = accuracy(logits(teX), labels(task.test)), idF1 = macroF1(logits(teX), labels(task.test), C);
  double oodAcc = task.hasOod() ? accuracy(logits(ooX), labels(task.ood)) : -1;
  double oodF1 = task.hasOod() ? macroF1(logits(ooX), labels(task.ood), C) : -1;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json j = {{"model", m.folder}, {"random_init", lo.randomInit}, {"pooling", m.model->config().pooling},
                      {"task", task.name}, {"train_examples", task.train.size()}, {"l2", p.l2},
                      {"train_accuracy", p.trainAccuracy}, {"validation_accuracy", p.validationAccuracy},
                      {"id_accuracy", idAcc}, {"id_macro_f1", idF1}, {"feature_seconds", featureSeconds},
                      {"seconds", seconds}};
  if (task.hasOod()) {
    j["ood_accuracy"] = oodAcc;
    j["ood_macro_f1"] = oodF1;
  }
  if (a.json()) {
    printJson(j);
    return 0;
  }
  std::cout << std::fixed << std::setprecision(1) << "linear probe on " << task.name << " (" << task.train.size()
            << " training examples, " << m.model->config().pooling << " pooling"
            << (lo.randomInit ? ", RANDOM weights" : "") << ")\n"
            << "  ID test accuracy:   " << 100 * idAcc << " %  (macro-F1 " << 100 * idF1 << ")\n";
  if (task.hasOod()) std::cout << "  OOD test accuracy:  " << 100 * oodAcc << " %  (macro-F1 " << 100 * oodF1 << ")\n";
  std::cout << "  validation:         " << 100 * p.validationAccuracy << " %  (L2 " << std::defaultfloat << p.l2 << std::fixed << " chosen on it)\n"
            << "  time:               " << seconds << " s (" << featureSeconds << " s computing features)\n";
  return 0;
}

PW_COMMAND("probe", "--model MODEL [--task TASK] [--random-init] [--per-class N] [--pooling cls|last|mean] [--json]",
           "linear-probe accuracy (ID and OOD test) of the model's frozen features",
           {"model", "task", "per-class", "seed", "pooling", "max-length"}, {"random-init"}, 0, 0, runProbe);

}  // namespace
}  // namespace pw::cli
