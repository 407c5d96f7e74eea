// `probe-curve`: the linear probe of every model `pretrain --keep-every` kept along the way (OUT.steps/step-N),
// against the pretraining tokens each had seen: does more pretraining buy better features? A table, JSON, and
// with --out the workbench's accuracy chart as a PNG.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "command.h"
#include "data/task.h"
#include "models/model_folder.h"
#include "train/frozen_probe.h"
#include "util/strict_json.h"
#ifdef PW_HAVE_PLOTS
#include "cli_plots.h"
#endif

namespace fs = std::filesystem;

namespace pw::cli {
namespace {

// Tokens per step from the checkpoint beside the steps folder (OUT.steps -> OUT/trainer_state.json); 0 if none.
int64_t tokensPerStep(const fs::path& stepsDir) {
  std::string out = stepsDir.string();
  while (!out.empty() && out.back() == '/') out.pop_back();
  const std::string suffix = ".steps";
  if (out.size() <= suffix.size() || out.compare(out.size() - suffix.size(), suffix.size(), suffix) != 0) return 0;
  const fs::path state = fs::path(out.substr(0, out.size() - suffix.size())) / "trainer_state.json";
  std::error_code ec;
  if (!fs::is_regular_file(state, ec)) return 0;
  const nlohmann::json st = readStrictJsonFile(state.string());
  if (!st.contains("batch") || !st.contains("seq") || !st["batch"].is_number_integer() ||
      !st["seq"].is_number_integer())
    throw Error(state.string() + ": \"batch\" and \"seq\" must be integers");
  return st["batch"].get<int64_t>() * st["seq"].get<int64_t>();
}

int runProbeCurve(const Args& a) {
  const fs::path dir = a.positional.at(0);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir.string() + ": not a folder (give OUT.steps of `pretrain --keep-every`)");
  std::vector<std::pair<int64_t, fs::path>> steps;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("step-", 0) != 0 || name.size() == 5 || name.find_first_not_of("0123456789", 5) != std::string::npos ||
        name.size() > 5 + 12)
      continue;
    steps.push_back({std::stoll(name.substr(5)), entry.path()});
  }
  if (steps.empty()) throw Error(dir.string() + ": no step-N model folders (written by `pretrain --keep-every N`)");
  std::sort(steps.begin(), steps.end());
  const int64_t perStep = tokensPerStep(dir);
  const data::Task task = data::loadTask(a.get("task", "dictionary-fields"));

  nlohmann::json rows = nlohmann::json::array();
#ifdef PW_HAVE_PLOTS
  std::vector<ProbeCurvePoint> points;
#endif
  if (!a.json())
    std::cout << "linear probe on " << task.name << " (" << task.train.size() << " training examples) along "
              << dir.string() << "\n"
              << std::setw(8) << "step" << std::setw(14) << "tokens" << std::setw(12) << "validation" << std::setw(10)
              << "ID test";
  if (!a.json()) {
    for (const data::OodSet& s : task.oodSets()) std::cout << "  " << s.name;
    std::cout << "\n";
  }
  for (const auto& [step, folder] : steps) {
    LoadedModel m = loadModel(folder.string());
    if (!m.tokenizer) throw Error(folder.string() + ": the model folder has no tokenizer files");
    const FrozenProbeScores p = probeFrozenFeatures(*m.model, *m.tokenizer, task);
    nlohmann::json row = {{"step", step}, {"folder", folder.string()}, {"validation_accuracy", p.validationAccuracy},
                          {"id_accuracy", p.id.accuracy}, {"id_examples", p.id.examples}, {"l2", p.l2}};
    if (perStep > 0) row["tokens"] = step * perStep;
    row["ood_sets"] = nlohmann::json::array();
    for (const ProbeSplitScore& s : p.ood)
      row["ood_sets"].push_back({{"name", s.name}, {"accuracy", s.accuracy}, {"examples", s.examples}});
    rows.push_back(row);
    if (!a.json()) {
      std::cout << std::fixed << std::setprecision(1) << std::setw(8) << step << std::setw(14)
                << (perStep > 0 ? std::to_string(step * perStep) : std::string("?")) << std::setw(11)
                << 100 * p.validationAccuracy << "%" << std::setw(9) << 100 * p.id.accuracy << "%";
      for (const ProbeSplitScore& s : p.ood) std::cout << std::setw(int(s.name.size()) + 1) << 100 * s.accuracy << "%";
      std::cout << std::endl;
    }
#ifdef PW_HAVE_PLOTS
    points.push_back({perStep > 0 ? double(step * perStep) : double(step), p.id.accuracy, p.id.examples,
                      p.ood.empty() ? -1.0 : p.ood.front().accuracy, p.ood.empty() ? 0 : p.ood.front().examples});
#endif
  }
  if (a.has("out")) {
#ifdef PW_HAVE_PLOTS
    writeProbeCurve(a.get("out"), task.name, perStep > 0, points);
    if (!a.json()) std::cout << "chart written to " << a.get("out") << "\n";
#else
    throw Error("--out: this build has no charts (built without the GUI libraries)");
#endif
  }
  if (a.json()) printJson({{"task", task.name}, {"steps", rows}});
  return 0;
}

PW_COMMAND("probe-curve", "STEPS_DIR [--task TASK] [--out FILE.png] [--json]",
           "linear probe of each model `pretrain --keep-every` kept, against the pretraining tokens it had seen",
           {"task", "out"}, {}, 1, 1, runProbeCurve,
           {{"task", {"TASK", "the task to probe on (default dictionary-fields)"}},
            {"out", {"FILE", "also draw the chart (ID and OOD test accuracy against tokens) as a PNG"}}});

}  // namespace
}  // namespace pw::cli
