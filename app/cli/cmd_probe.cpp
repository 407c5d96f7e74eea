// `probe`: linear-probe accuracy of a model's frozen features on a task (ID test and OOD test), the measure
// of what pretraining put into the features. `--random-init` gives the same architecture's random control.
#include <chrono>
#include <iomanip>
#include <iostream>

#include "command.h"
#include "data/task.h"
#include "models/model_folder.h"
#include "train/batches.h"
#include "train/evaluate.h"
#include "train/linear_probe.h"

namespace pw::cli {
namespace {

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
  // The same encoding and length-bucketed feature pass the trainer's linear probe uses.
  const EncodedSplit tr = encodeSplit(*m.tokenizer, task.train, maxLength),
                     va = encodeSplit(*m.tokenizer, task.validation, maxLength),
                     te = encodeSplit(*m.tokenizer, task.test, maxLength),
                     oo = encodeSplit(*m.tokenizer, task.ood, maxLength);
  auto features = [&](const EncodedSplit& split) { return pooledFeatures(*m.model, split, 64); };
  at::Tensor trX = features(tr), vaX = features(va), teX = features(te);
  at::Tensor ooX = task.hasOod() ? features(oo) : at::Tensor();
  double featureSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int64_t C = task.numClasses();
  ProbeResult p = trainLinearProbe(trX, tr.labelTensor(), vaX, va.labelTensor(), C);
  torch::NoGradGuard guard;
  auto logits = [&](const at::Tensor& x) { return torch::addmm(p.bias, x, p.weight.t()); };
  double idAcc = accuracy(logits(teX), te.labelTensor()), idF1 = macroF1(logits(teX), te.labelTensor(), C);
  double oodAcc = task.hasOod() ? accuracy(logits(ooX), oo.labelTensor()) : -1;
  double oodF1 = task.hasOod() ? macroF1(logits(ooX), oo.labelTensor(), C) : -1;
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
           {"model", "task", "per-class", "seed", "pooling", "max-length"}, {"random-init"}, 0, 0, runProbe,
           {{"per-class", {"N", "training examples per class for the probe (0: all)"}},
            {"pooling", {"P", "how a text becomes one vector: cls, last or mean (default: the model's)"}}});

}  // namespace
}  // namespace pw::cli
