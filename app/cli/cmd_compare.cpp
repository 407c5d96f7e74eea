// `compare` and `sweep`: several configurations (methods, or values of one method's size knob) times seeds,
// run in turn; a table of each accuracy with its 95 % interval and the differences to the best, and
// results.csv / summary.csv / differences.csv / curves.csv in --out (with --plots, the workbench's charts as
// PNG files beside them, when built with the GUI libraries).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "command.h"
#include "data/task.h"
#include "compare_stats.h"
#include "method_args.h"
#include "methods/catalog.h"
#include "methods/knobs.h"
#include "train/experiment.h"
#include "train/run_pool.h"
#include "train/run_record.h"
#include "train_support.h"
#ifdef PW_HAVE_PLOTS
#include "cli_plots.h"
#endif

namespace pw::cli {
namespace {

// One configuration of the table: its label, its runs (one per seed).
struct Row {
  std::string label, method, knobValue;
  std::vector<RunOutcome> runs;
  std::vector<TrainConfig> configs;  // each run's configuration (runs[i] trained configs[i])
};

std::vector<ArmRuns> armsOf(const std::vector<Row>& rows) {
  std::vector<ArmRuns> arms;
  for (const auto& row : rows) arms.push_back(armRuns(row.label, row.runs));
  return arms;
}

// --plots: checked before anything trains.
void checkPlotOptions(const Args& a) {
  if (!a.has("plots")) return;
#ifndef PW_HAVE_PLOTS
  throw Error("--plots needs the GUI libraries, and this peft-workbench-cli was built without them "
              "(-DBUILD_GUI=OFF); leave out --plots, or rebuild with -DBUILD_GUI=ON");
#endif
  if (a.get("out", "").empty()) throw Error("--plots writes the charts next to the CSVs: give --out DIR too");
}

#ifdef PW_HAVE_PLOTS
// The charts of the batch as PNG files in `dir`; each run as the results database holds it.
std::vector<std::string> writeRowPlots(const std::string& dir, const std::vector<Row>& rows, const std::string& batch,
                                       const std::string& sweepKnob) {
  std::vector<PlottedRun> runs;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.runs.size(); ++i) {
      const RunOutcome& o = row.runs[i];
      const RunResult& r = o.result;
      PlottedRun p;
      p.record = runRecordFor(row.configs[i], batch);
      p.record.id = o.runId > 0 ? o.runId : int64_t(runs.size() + 1);
      p.record.status = r.status;
      p.record.error = r.error;
      p.record.wallSeconds = r.wallSeconds;
      p.record.params = r.params.toJson();
      p.record.trainable = r.params.trainable;
      p.record.total = r.params.total;
      p.record.idAccuracy = r.idTest.accuracy;
      p.record.oodAccuracy = r.oodTest.accuracy;
      p.record.validationAccuracy = r.validation.accuracy;
      for (const auto& c : o.curves) p.curve.push_back({c.series, c.step, c.epoch, c.stage, c.value});
      runs.push_back(std::move(p));
    }
  return writePlots(dir, runs, sweepKnob);
}
#endif

// results.csv (a run a line; id_low / id_high: that run's Wilson 95 % interval), summary.csv (a configuration a
// line, with the interval the table shows), differences.csv and curves.csv.
void writeCsvs(const std::string& dir, const std::vector<Row>& rows, const std::string& batch,
               const std::vector<ArmRuns>& arms, const std::vector<Difference>& diffs) {
  std::filesystem::create_directories(dir);
  std::ofstream results(dir + "/results.csv"), curves(dir + "/curves.csv"), summary(dir + "/summary.csv"),
      diffCsv(dir + "/differences.csv");
  if (!results || !curves || !summary || !diffCsv)
    throw Error(dir + ": cannot write results.csv / summary.csv / differences.csv / curves.csv there");
  writeSummaryCsv(arms, summary);
  writeDifferencesCsv(diffs, diffCsv);
  const std::vector<std::string> more = moreOodNames(arms);
  results << "batch,run_id,label,method,knob_value,seed,status,trainable_params,total_params,percent_trainable,"
             "id_accuracy,id_low,id_high,id_macro_f1,ood_accuracy,ood_low,ood_high,ood_macro_f1,validation_accuracy,"
             "train_seconds,wall_seconds,tokens_per_second,error";
  for (size_t k = 0; k < more.size(); ++k) {  // the task's other OOD sets, after the columns it always had
    const std::string p = "ood" + std::to_string(k + 2) + "_";
    results << "," << p << "name," << p << "accuracy," << p << "low," << p << "high," << p << "macro_f1";
  }
  results << "\n";
  curves << "run_id,label,seed,series,step,epoch,stage,value\n";
  for (const auto& row : rows)
    for (const auto& o : row.runs) {
      const RunResult& r = o.result;
      const auto id = wilsonCells(r.idTest), ood = wilsonCells(r.oodTest);
      results << batch << "," << o.runId << "," << csvField(row.label) << "," << row.method << ","
              << csvField(row.knobValue) << "," << o.seed << "," << statusName(r.status) << ","
              << r.params.trainable << "," << r.params.total << "," << r.params.percent << "," << r.idTest.accuracy
              << "," << id.first << "," << id.second << "," << r.idTest.macroF1 << "," << r.oodTest.accuracy << ","
              << ood.first << "," << ood.second << "," << r.oodTest.macroF1 << "," << r.validation.accuracy << ","
              << r.trainSeconds << "," << r.wallSeconds << "," << r.tokensPerSecond << "," << csvField(r.error);
      for (const std::string& name : more) {
        results << "," << csvField(name);
        auto it = std::find_if(r.moreOod.begin(), r.moreOod.end(), [&](const NamedMetrics& m) { return m.name == name; });
        if (it == r.moreOod.end()) {
          results << ",,,,";
          continue;
        }
        const auto w = wilsonCells(it->metrics);
        results << "," << it->metrics.accuracy << "," << w.first << "," << w.second << "," << it->metrics.macroF1;
      }
      results << "\n";
      for (const auto& p : o.curves)
        curves << o.runId << "," << csvField(row.label) << "," << o.seed << "," << p.series << "," << p.step << ","
               << p.epoch << "," << p.stage << "," << p.value << "\n";
    }
}

// Runs every configuration with every seed, printing progress; stops early on Ctrl+C. `parallel` runs go
// side by side (each on its share of the cores); the table keeps configuration and seed order either way.
// Trains every run of the arms (side by side when parallel > 1); rows[i] gets arm i's runs that ran.
std::vector<Row> runAll(const std::vector<ExperimentArm>& arms, results::ResultsDb* db, const std::string& batch,
                        bool quiet, int parallel) {
  struct Job {
    size_t row;
    TrainConfig config;
    std::string label;
  };
  std::vector<Row> rows;
  std::vector<Job> jobs;
  for (size_t i = 0; i < arms.size(); ++i) {
    rows.push_back({arms[i].label, arms[i].method, arms[i].knobValue, {}, {}});
    for (const TrainConfig& c : arms[i].runs)
      jobs.push_back({i, c, arms[i].label + (arms[i].runs.size() > 1 ? ", seed " + std::to_string(c.seed) : "")});
  }
  std::vector<RunOutcome> outcomes(jobs.size());
  std::vector<char> ran(jobs.size(), 0);  // not vector<bool>: written from several threads
  if (parallel > 1 && !jobs.empty()) data::loadTask(jobs[0].config.task);  // build/cache the task once, not racing
  setProgressLines(parallel > 1);
  runInParallel(jobs.size(), parallel, [&](size_t k) {
    if (interrupted()) return;
    outcomes[k] = runWithProgress(jobs[k].config, db, batch, jobs[k].label, quiet);
    ran[k] = 1;
  });
  setProgressLines(false);
  for (size_t k = 0; k < jobs.size(); ++k)
    if (ran[k]) {
      rows[jobs[k].row].runs.push_back(std::move(outcomes[k]));
      rows[jobs[k].row].configs.push_back(jobs[k].config);
    }
  return rows;
}

// Each configuration: mean and std over its finished runs, and the 95 % interval the table prints
// (id_low / id_high / id_interval: "wilson" | "t", null without one).
nlohmann::json rowsJson(const std::vector<Row>& rows, const std::vector<ArmRuns>& arms) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t k = 0; k < rows.size(); ++k) {
    const Row& row = rows[k];
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& o : row.runs) {
      nlohmann::json r = o.result.toJson();
      r["run_id"] = o.runId;
      r["seed"] = o.seed;
      runs.push_back(r);
    }
    const nlohmann::json i = summaryJson(summarizeAccuracy(arms[k].id)), d = summaryJson(summarizeAccuracy(arms[k].ood));
    const ParamBreakdown p = row.runs.empty() ? ParamBreakdown{} : row.runs.front().result.params;
    nlohmann::json more = nlohmann::json::array();  // the task's other OOD sets: {"name", "mean", "low", ...}
    for (const NamedRuns& n : arms[k].moreOod) {
      nlohmann::json s = summaryJson(summarizeAccuracy(n.runs));
      s["name"] = n.name;
      more.push_back(s);
    }
    out.push_back({{"label", row.label}, {"method", row.method}, {"knob_value", row.knobValue},
                   {"trainable", p.trainable}, {"total", p.total}, {"percent", p.percent},
                   {"id_mean", i["mean"]}, {"id_std", i["std"]}, {"id_low", i["low"]}, {"id_high", i["high"]},
                   {"id_interval", i["interval"]}, {"ood_mean", d["mean"]}, {"ood_std", d["std"]},
                   {"ood_low", d["low"]}, {"ood_high", d["high"]}, {"ood_interval", d["interval"]},
                   {"more_ood", more}, {"finished", i["n"]}, {"runs", runs}});
  }
  return out;
}

void printTable(const std::vector<Row>& rows, const std::vector<ArmRuns>& arms, const std::string& firstColumn) {
  std::cout << std::left << std::setw(22) << firstColumn << std::right << std::setw(12) << "trainable" << std::setw(9)
            << "% total" << std::setw(22) << "ID acc % [95% CI]" << std::setw(22) << "OOD acc % [95% CI]"
            << std::setw(10) << "wall s";
  // The task's other OOD sets: a column each, after the wall time so that the usual columns stay where they are.
  const std::vector<std::string> more = moreOodNames(arms);
  for (const std::string& name : more) std::cout << std::setw(24) << ("OOD '" + name.substr(0, 14) + "' %");
  std::cout << "\n";
  for (size_t k = 0; k < rows.size(); ++k) {
    const Row& row = rows[k];
    double wall = 0;
    std::string status;
    for (const auto& o : row.runs) {
      wall += o.result.wallSeconds;
      if (o.result.status != RunStatus::Finished) status = statusName(o.result.status);
    }
    const ParamBreakdown p = row.runs.empty() ? ParamBreakdown{} : row.runs.front().result.params;
    std::ostringstream pct;
    pct << std::setprecision(3) << p.percent;
    std::cout << std::left << std::setw(22) << row.label.substr(0, 21) << std::right << std::setw(12)
              << groupDigits(p.trainable) << std::setw(9) << pct.str() << std::setw(22)
              << accuracyCell(summarizeAccuracy(arms[k].id)) << std::setw(22)
              << accuracyCell(summarizeAccuracy(arms[k].ood)) << std::setw(10) << std::fixed << std::setprecision(1)
              << wall;
    for (const std::string& name : more) std::cout << std::setw(24) << accuracyCell(summarizeAccuracy(arms[k].moreOodRuns(name)));
    std::cout << (status.empty() ? "" : "  (" + status + ")") << "\n";
  }
  const std::string note = intervalFootnote(arms);
  if (!note.empty()) std::cout << note << "\n";
}

int finish(const Args& a, std::vector<Row>& rows, const std::string& batch, const std::string& firstColumn,
           results::ResultsDb* db, const std::string& sweepKnob = "") {
  const std::string out = a.get("out", "");
  const std::vector<ArmRuns> arms = armsOf(rows);
  const std::vector<Difference> diffs = differences(arms);
  if (!out.empty()) writeCsvs(out, rows, batch, arms, diffs);
  std::vector<std::string> plots;
#ifdef PW_HAVE_PLOTS
  if (a.has("plots")) plots = writeRowPlots(out, rows, batch, sweepKnob);
#else
  (void)sweepKnob;
#endif
  int failed = 0;
  for (const auto& r : rows)
    for (const auto& o : r.runs) failed += o.result.status != RunStatus::Finished;
  if (a.json()) {
    nlohmann::json j = {{"batch", batch}, {"rows", rowsJson(rows, arms)}, {"differences", differencesJson(diffs)},
                        {"interrupted", interrupted()}};
    if (!out.empty()) j["out"] = out;
    if (a.has("plots")) j["plots"] = plots;
    if (db) j["db"] = db->path();
    printJson(j);
  } else {
    printTable(rows, arms, firstColumn);
    printDifferences(diffs, std::cout);
    if (!out.empty())
      std::cout << "wrote " << out << "/results.csv, summary.csv, differences.csv and curves.csv\n";
    for (const auto& f : plots) std::cout << "wrote " << f << "\n";
    if (db) std::cout << "recorded as batch " << batch << " in " << db->path() << "\n";
  }
  return interrupted() ? 130 : failed ? 1 : 0;
}

int runCompare(const Args& a) {
  checkPlotOptions(a);
  const auto methods = splitList(a.get("methods", "lp,ft,lp-ft,prompt,prefix,adapter,lora,bitfit"));
  if (methods.empty()) throw Error("--methods needs at least one method");
  const auto arms = expandArms(methodConfigurations(trainConfigFromArgs(a, methods.front()), methods),
                               int(a.getInt("seeds", 1)));
  auto db = openResultsDb(a);
  setTensorBoardRoot(a.get("tensorboard", ""));
  const std::string batch = newBatchId("compare");
  std::vector<Row> rows = runAll(arms, db.get(), batch, a.json(), parallelRuns(a, allRuns(arms).size()));
  return finish(a, rows, batch, "method", db.get());
}

int runSweep(const Args& a) {
  checkPlotOptions(a);
  const std::string method = a.require("method");
  const std::string knob = a.get("knob", methodDescriptor(method).sizeKnob);
  const auto values = splitList(a.require("values"));
  if (values.empty()) throw Error("--values needs at least one value");
  const auto arms =
      expandArms(sweepConfigurations(trainConfigFromArgs(a, method), knob, values), int(a.getInt("seeds", 1)), knob);
  auto db = openResultsDb(a);
  setTensorBoardRoot(a.get("tensorboard", ""));
  const std::string batch = newBatchId("sweep");
  std::vector<Row> rows = runAll(arms, db.get(), batch, a.json(), parallelRuns(a, allRuns(arms).size()));
  return finish(a, rows, batch, knobKey(knob), db.get(), knobKey(knob));
}

std::vector<std::string> withOptions(std::vector<std::string> extra) {
  auto o = trainOptions();
  o.insert(o.end(), extra.begin(), extra.end());
  return o;
}

std::vector<std::string> withFlags(std::vector<std::string> extra) {
  auto f = trainFlags();
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

PW_COMMAND("compare",
           "--model MODEL --task TASK [--methods lp,ft,lp-ft,prompt,prefix,adapter,lora,bitfit] [--seeds N] "
           "[--preset quick|standard|thorough] [--out DIR [--plots]] [training options] [--json]",
           "run several methods in turn and print the ID / OOD comparison table (--plots: the charts as PNG)",
           withOptions({"methods", "seeds", "out", "parallel"}), withFlags({"plots"}), 0, 0, runCompare);

PW_COMMAND("sweep",
           "--model MODEL --task TASK --method NAME [--knob rank|length|adapter-size] --values 1,2,4,8 [--seeds N] "
           "[--out DIR [--plots]] [training options] [--json]",
           "accuracy against one method's size knob (--plots: the sweep chart and the others as PNG)",
           withOptions({"method", "knob", "values", "seeds", "out", "parallel"}), withFlags({"plots"}), 0, 0, runSweep,
           {{"knob", {"KNOB", "the knob to vary (default: the method's size knob: rank, length, adapter-size)"}},
            {"values", {"A,B,...", "the knob's values, comma-separated"}}});

}  // namespace
}  // namespace pw::cli
