// `predict`: class probabilities of new texts under a recorded run, from its saved method state (the
// adapter folder of a GUI run, or of `train --save-adapter DIR`) on its base model. The same numbers the
// GUI's Try it tab shows.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "command.h"
#include "results/results_db.h"
#include "train/saved_run.h"
#include "train_support.h"

namespace pw::cli {
namespace {

int runPredict(const Args& a) {
  const long long id = a.getInt("run", 0);
  if (id <= 0) throw Error("--run expects a run id (a positive integer; `runs` lists them)");
  const std::string file = a.get("db", results::ResultsDb::defaultPath());
  if (a.has("db") && !std::filesystem::exists(file)) throw fileError(file, "no such results database");
  results::ResultsDb db(file);
  const std::optional<results::RunRecord> run = db.getRun(id);
  if (!run) throw fileError(db.path(), "no run with id " + std::to_string(id));
  if (run->adapterDir.empty())
    throw Error("run " + std::to_string(id) + " kept no method state (GUI runs keep it; with the CLI, train with "
                "--save-adapter DIR)");
  TrainConfig config = TrainConfig::fromJson(run->config);
  SavedRun saved(config, run->adapterDir);
  const std::vector<std::vector<double>> probs = saved.probabilities(a.positional);
  const std::vector<std::string>& classes = saved.classes();

  auto best = [](const std::vector<double>& row) {
    return size_t(std::max_element(row.begin(), row.end()) - row.begin());
  };
  if (a.json()) {
    nlohmann::json predictions = nlohmann::json::array();
    for (size_t i = 0; i < probs.size(); ++i)
      predictions.push_back({{"text", a.positional[i]}, {"probabilities", probs[i]},
                             {"predicted", classes.at(best(probs[i]))}, {"predicted_index", best(probs[i])}});
    printJson({{"run_id", id}, {"method", run->method}, {"knobs", run->knobs}, {"model", run->model},
               {"adapter_dir", run->adapterDir}, {"classes", classes}, {"predictions", predictions}});
    return 0;
  }
  size_t width = 0;
  for (const auto& c : classes) width = std::max(width, c.size());
  std::cout << "run " << id << ": " << shortLabel(run->method, run->knobs) << " on " << run->model
            << (run->randomInit ? " (random weights)" : "") << "\n";
  for (size_t i = 0; i < probs.size(); ++i) {
    std::cout << "\"" << a.positional[i] << "\"\n";
    const size_t top = best(probs[i]);
    for (size_t c = 0; c < classes.size(); ++c)
      std::cout << "  " << (c == top ? "> " : "  ") << std::left << std::setw(int(width)) << classes[c] << std::right
                << "  " << std::fixed << std::setprecision(4) << probs[i][c] << "  "
                << std::string(size_t(probs[i][c] * 40 + 0.5), '#') << "\n";
  }
  return 0;
}

PW_COMMAND("predict", "--run ID [--db FILE] TEXT... [--json]",
           "class probabilities of texts under a recorded run's saved method state",
           {"run", "db"}, {}, 1, 1000000, runPredict);

}  // namespace
}  // namespace pw::cli
