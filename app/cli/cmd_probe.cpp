// `probe`: linear-probe accuracy of a model's frozen features on a task (ID test and every OOD set), the measure
// of what pretraining put into the features. `--random-init` gives the same architecture's random control.
#include <iomanip>
#include <iostream>

#include "command.h"
#include "data/task.h"
#include "models/model_folder.h"
#include "train/frozen_probe.h"

namespace pw::cli {
namespace {

int runProbe(const Args& a) {
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
  const FrozenProbeScores p = probeFrozenFeatures(*m.model, *m.tokenizer, task, int(a.getInt("max-length", 128)));
  nlohmann::json j = {{"model", m.folder}, {"random_init", lo.randomInit}, {"pooling", m.model->config().pooling},
                      {"task", task.name}, {"train_examples", task.train.size()}, {"l2", p.l2},
                      {"train_accuracy", p.trainAccuracy}, {"validation_accuracy", p.validationAccuracy},
                      {"id_accuracy", p.id.accuracy}, {"id_macro_f1", p.id.macroF1}, {"seconds", p.seconds}};
  if (!p.ood.empty()) {
    j["ood_accuracy"] = p.ood.front().accuracy;
    j["ood_macro_f1"] = p.ood.front().macroF1;
    j["ood_sets"] = nlohmann::json::array();
    for (const ProbeSplitScore& s : p.ood)
      j["ood_sets"].push_back({{"name", s.name}, {"accuracy", s.accuracy}, {"macro_f1", s.macroF1},
                               {"examples", s.examples}});
  }
  if (a.json()) {
    printJson(j);
    return 0;
  }
  std::cout << std::fixed << std::setprecision(1) << "linear probe on " << task.name << " (" << task.train.size()
            << " training examples, " << m.model->config().pooling << " pooling"
            << (lo.randomInit ? ", RANDOM weights" : "") << ")\n"
            << "  ID test accuracy:   " << 100 * p.id.accuracy << " %  (macro-F1 " << 100 * p.id.macroF1 << ")\n";
  for (const ProbeSplitScore& s : p.ood)
    std::cout << "  " << s.name << " accuracy: " << 100 * s.accuracy << " %  (macro-F1 " << 100 * s.macroF1 << ")\n";
  std::cout << "  validation:         " << 100 * p.validationAccuracy << " %  (L2 " << std::defaultfloat << p.l2
            << std::fixed << " chosen on it)\n"
            << "  time:               " << p.seconds << " s\n";
  return 0;
}

PW_COMMAND("probe", "--model MODEL [--task TASK] [--random-init] [--per-class N] [--pooling cls|last|mean] [--json]",
           "linear-probe accuracy (ID and OOD test) of the model's frozen features",
           {"model", "task", "per-class", "seed", "pooling", "max-length"}, {"random-init"}, 0, 0, runProbe,
           {{"per-class", {"N", "training examples per class for the probe (0: all)"}},
            {"pooling", {"P", "how a text becomes one vector: cls, last or mean (default: the model's)"}}});

}  // namespace
}  // namespace pw::cli
