// `tune`: picks a method's learning rate on the validation split only (core/train/tune.h does the work):
// a half-decade grid x seeds of ordinary runs, all recorded as one batch; prints the table, the rule and the
// choice (--json: one object; --out DIR: tune.csv).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "command.h"
#include "methods/knobs.h"
#include "data/task.h"
#include "train/tune.h"
#include "train_support.h"

namespace pw::cli {
namespace {

std::vector<double> parseGrid(const std::string& s) {
  std::vector<double> g;
  for (const auto& item : splitList(s)) {
    try {
      size_t used = 0;
      g.push_back(std::stod(item, &used));
      if (used != item.size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      throw Error("--grid expects comma-separated rates such as 1e-4,3e-4,1e-3, got '" + item + "'");
    }
  }
  return g;
}

// lr -> lr, head_lr -> head-lr, lr_factor -> lr-factor: the training flag that sets it.
std::string flagName(std::string rateName) {
  for (char& c : rateName)
    if (c == '_') c = '-';
  return rateName;
}

std::string meanSeText(const PointScore& p) {
  if (p.validation.n == 0) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f +- %.2f", 100 * p.validation.mean, 100 * p.validation.se);
  return buf;
}

void printPass(const TunePass& p, const std::string& method, int seeds) {
  std::cout << p.rateName << " of " << method << ", " << seeds << " seeds per rate, validation split only:\n";
  std::printf("  %-2s %9s %20s %4s  %s\n", "", "rate", "validation % +- SE", "n", "");
  for (size_t i = 0; i < p.choice.points.size(); ++i) {
    const PointScore& s = p.choice.points[i];
    const bool chosen = int(i) == p.choice.chosen, best = int(i) == p.choice.best;
    std::string note = chosen && best ? "chosen (best)" : chosen ? "chosen" : best ? "best" : "";
    if (s.failed) note += std::string(note.empty() ? "" : ", ") + std::to_string(s.failed) + " run(s) failed";
    std::printf("  %-2s %9s %20s %4d  %s\n", chosen ? "*" : "", rateText(s.rate).c_str(), meanSeText(s).c_str(),
                s.validation.n, note.c_str());
  }
  if (p.widenings > 0)
    std::cout << "  widened " << p.widenings << " time" << (p.widenings == 1 ? "" : "s") << " beyond the initial grid "
              << rateText(p.initialGrid.front()) << " .. " << rateText(p.initialGrid.back()) << "\n";
  if (p.stoppedOnEdge) {
    const bool low = p.choice.bestOnLowEdge;
    std::cout << "  stopped on an edge: the best rate is still the grid's " << (low ? "smallest" : "largest")
              << " after " << p.widenings << " widening" << (p.widenings == 1 ? "" : "s")
              << "; the optimum may lie " << (low ? "below " : "above ")
              << rateText(p.choice.points[size_t(p.choice.best)].rate)
              << " (give a --grid around it or a larger --max-widen)\n";
  }
  if (p.stoppedAtLimit)
    std::cout << "  the best " << p.rateName << " is the end of its knob's range ("
              << rateText(p.choice.points[size_t(p.choice.best)].rate) << "): nothing beyond it to try\n";
  if (p.choice.chosen >= 0) {
    const PointScore& b = p.choice.points[size_t(p.choice.best)];
    char buf[160];
    std::snprintf(buf, sizeof buf, "  chosen %s: %s (best mean %.1f at %s; within one SE: mean >= %.1f)\n",
                  p.rateName.c_str(), rateText(p.chosenRate()).c_str(), 100 * b.validation.mean,
                  rateText(b.rate).c_str(), 100 * p.choice.threshold);
    std::cout << buf;
  }
}

int runTune(const Args& a) {
  const std::string method = a.require("method");
  TuneRequest q;
  q.base = trainConfigFromArgs(a, method);
  q.seeds = int(a.getInt("seeds", q.seeds));
  q.maxWidenings = int(a.getInt("max-widen", q.maxWidenings));
  q.rates.clear();
  for (const std::string& r : splitList(a.get("rate", "lr"))) q.rates.push_back(knobKey(r));
  q.parallel = parallelRuns(a, size_t(q.seeds) * kTuneGridPoints);  // a round: the grid x the seeds
  if (a.has("grid")) q.grid = parseGrid(a.get("grid"));
  if (a.has("grid") && q.grid.empty()) throw Error("--grid needs at least 2 rates");

  auto db = openResultsDb(a);
  setTensorBoardRoot(a.get("tensorboard", ""));
  const std::string batch = newBatchId("tune");
  const std::string prefix = shortLabel(method, q.base.knobs);
  TuneCallbacks cb;
  cb.cancelled = [] { return interrupted(); };
  cb.run = [&](const TrainConfig& c, const TuneRunInfo& info) {
    const std::string label = "[" + std::to_string(info.runIndex + 1) + "/" + std::to_string(info.plannedRuns) +
                              "] " + prefix + " " + info.rateName + "=" + rateText(info.rate) + ", seed " +
                              std::to_string(info.seed);
    RunOutcome o = runWithProgress(c, db.get(), batch, label, a.json(), /*showTest=*/false);
    return TuneRunOutcome{o.result, o.runId};
  };
  if (q.parallel > 1) data::loadTask(q.base.task);  // build / cache the task once, not racing
  setProgressLines(q.parallel > 1);
  const TuneResult t = tuneLearningRate(q, cb);  // throws pw::Error for a bad request, before anything runs
  setProgressLines(false);

  const std::string out = a.get("out", "");
  if (!out.empty()) {
    std::filesystem::create_directories(out);
    std::ofstream f(out + "/tune.csv");
    if (!f) throw Error(out + ": cannot write tune.csv there");
    f << t.csv();
  }
  if (a.json()) {
    nlohmann::json j = t.toJson();
    j["batch"] = batch;
    j["seeds"] = q.seeds;
    j["max_widenings"] = q.maxWidenings;
    j["interrupted"] = interrupted();
    if (db) j["db"] = db->path();
    if (!out.empty()) j["out"] = out + "/tune.csv";
    printJson(j);
  } else {
    std::cout << "tuning on " << q.base.model << " / " << q.base.task << ", preset " << q.base.preset
              << ", precision " << q.base.precision << ", seeds " << q.base.seed << ".."
              << q.base.seed + uint64_t(q.seeds) - 1 << "\n";
    for (const auto& p : t.passes) printPass(p, prefix, q.seeds);
    std::cout << "rule: " << t.rule << "\n";
    if (t.status != RunStatus::Finished) std::cout << "tuning " << statusName(t.status) << ": " << t.error << "\n";
    else {
      std::cout << "chosen:";
      for (const auto& p : t.passes)
        std::cout << " --" << flagName(p.rateName) << " " << rateText(p.chosenRate());
      std::cout << "\n";
    }
    if (!out.empty()) std::cout << "wrote " << out << "/tune.csv\n";
    if (db) std::cout << "recorded as batch " << batch << " in " << db->path() << "\n";
  }
  return interrupted() ? 130 : t.status == RunStatus::Finished ? 0 : 1;
}

std::vector<std::string> tuneOptions() {
  std::vector<std::string> o;
  for (const auto& name : trainOptions())
    if (name != "save-adapter") o.push_back(name);  // every run would overwrite the same folder
  for (const char* extra : {"method", "seeds", "grid", "rate", "max-widen", "out", "parallel"}) o.push_back(extra);
  return o;
}

PW_COMMAND("tune",
           "--method NAME [--model MODEL --task TASK --preset quick|standard|thorough] [--seeds N (2)] "
           "[--rate lr|head_lr|lr,head_lr|lr_factor] [--grid 1e-4,3e-4,...] [--max-widen K (2)] [--parallel N|auto] [--out DIR] "
           "[training options] [--json]",
           "pick a learning rate on the validation split: a half-decade grid x seeds, widened at an edge, the "
           "smallest rate within one SE of the best",
           tuneOptions(), trainFlags(), 0, 0, runTune,
           {{"seeds", {"N", "seeds per grid point (default 2; at least 2)"}},
            {"rate", {"R", "which rates to tune, in order: lr, head_lr or lr,head_lr (default lr); lp-ft also lr_factor "
                      "(its stage 2 at FT's rates times the factor)"}},
            {"grid", {"A,B,...", "the starting grid (default: 5 points half a decade apart around the current rate)"}},
            {"max-widen", {"K", "how often the grid may widen past an edge (default 2)"}},
            {"out", {"DIR", "folder for tune.csv (every grid point's validation mean and SE)"}}});

}  // namespace
}  // namespace pw::cli
