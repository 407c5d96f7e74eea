// `train`: one run of one method on one task: progress while it trains, then ID / OOD accuracy and the
// parameter counts; recorded in the results database.
#include <iomanip>
#include <iostream>

#include "command.h"
#include "method_args.h"
#include "train_support.h"
#include "train/adapter_card.h"

namespace pw::cli {
namespace {

void printConfusion(const SplitMetrics& m, const std::vector<std::string>& classes) {
  if (m.confusion.empty()) return;
  std::cout << "    confusion (rows: true class, columns: predicted)\n";
  for (size_t i = 0; i < m.confusion.size(); ++i) {
    std::cout << "    " << std::setw(12) << std::left << (i < classes.size() ? classes[i].substr(0, 12) : "") << std::right;
    for (int64_t n : m.confusion[i]) std::cout << std::setw(5) << n;
    std::cout << "\n";
  }
}

int runTrain(const Args& a) {
  const std::string method = a.require("method");
  TrainConfig c = trainConfigFromArgs(a, method);
  auto db = openResultsDb(a);
  setTensorBoardRoot(a.get("tensorboard", ""));
  const std::string label = shortLabel(method, c.knobs);
  RunOutcome o = runWithProgress(c, db.get(), "", label, a.json());
  const RunResult& r = o.result;
  if (a.json()) {
    nlohmann::json j = r.toJson();
    j["config"] = c.toJson();
    j["run_id"] = o.runId;
    if (db) j["db"] = db->path();
    printJson(j);
    return r.status == RunStatus::Finished ? 0 : 1;
  }
  std::cout << label << " on " << c.model << (c.randomInit ? " (RANDOM weights)" : "") << ", task " << c.task
            << ", preset " << c.preset << ": " << statusName(r.status) << (r.error.empty() ? "" : " (" + r.error + ")") << "\n";
  std::cout << "  trainable parameters: " << groupDigits(r.params.trainable) << " of " << groupDigits(r.params.total)
            << " (" << std::setprecision(3) << r.params.percent << " %)\n";
  if (r.status == RunStatus::Finished) {
    std::cout << "  ID test accuracy:     " << percent(r.idTest.accuracy) << " %  (macro-F1 " << percent(r.idTest.macroF1)
              << ", " << r.idTest.examples << " examples)\n";
    for (const NamedMetrics& set : r.oodSets())
      std::cout << "  OOD test accuracy:    " << percent(set.metrics.accuracy) << " %  (macro-F1 "
                << percent(set.metrics.macroF1) << ", " << set.metrics.examples << " examples, " << set.name << ")\n";
    std::cout << "  validation accuracy:  " << percent(r.validation.accuracy) << " %\n";
    printConfusion(r.idTest, r.classes);
  }
  std::cout << std::fixed << std::setprecision(1) << "  time: " << r.wallSeconds << " s (training " << r.trainSeconds
            << " s, " << r.steps << " steps, " << groupDigits((long long)r.tokensPerSecond) << " tokens/s, "
            << r.precision << ")\n";
  if (!r.phaseSeconds.empty()) {
    std::cout << "  where the time went:";
    for (const auto& [phase, seconds] : r.phaseSeconds) std::cout << " " << phase << " " << seconds << " s";
    std::cout << "\n";
  }
  if (!r.adapterDir.empty()) {
    std::cout << "  method state saved to " << r.adapterDir << "\n";
    if (const std::string why = transformersWarning(r.adapterDir); !why.empty())
      std::cout << "  note: transformers computes other logits from this folder: " << why << " (its README.md says so)\n";
  }
  if (db) std::cout << "  recorded as run " << o.runId << " in " << db->path() << "\n";
  return r.status == RunStatus::Finished ? 0 : 1;
}

PW_COMMAND("train",
           "--model MODEL --task TASK --method NAME [method knobs: train --help] [--epochs E] [--lr X] [--batch B] [--seed S] "
           "[--preset quick|standard|thorough] [--random-init] [--save-adapter DIR] [--db FILE | --no-db] [--json]",
           "train one method on a task and report ID / OOD accuracy",
           [] {
             auto o = trainOptions();
             o.push_back("method");
             return o;
           }(),
           trainFlags(), 0, 0, runTrain);

}  // namespace
}  // namespace pw::cli
