// `runs`: the results database from the command line: list the runs as a table, show one run in full,
// delete runs, export the runs (and their curves) as CSV.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "command.h"
#include "method_args.h"
#include "results/csv_export.h"
#include "results/results_db.h"
#include "train_support.h"

namespace pw::cli {
namespace {

using results::ResultsDb;
using results::RunRecord;

std::unique_ptr<ResultsDb> openDb(const Args& a) {
  if (!a.has("db")) return std::make_unique<ResultsDb>(ResultsDb::defaultPath());
  // An explicit file that is not there is most likely a typo: say so instead of creating an empty one.
  const std::string file = a.get("db");
  if (!std::filesystem::exists(file)) throw fileError(file, "no such results database");
  return std::make_unique<ResultsDb>(file);
}

std::string fixed(double v, int decimals) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(decimals) << v;
  return o.str();
}

// The knobs that tell runs apart ("r=8", "k=20"), defaults left out; every knob when the method is unknown.
std::string knobsShort(const RunRecord& r) {
  try {
    std::string label = shortLabel(r.method, r.knobs);
    if (label.rfind(r.method, 0) == 0) label = label.substr(r.method.size());
    return label.empty() || label[0] != ' ' ? label : label.substr(1);
  } catch (const std::exception&) {
    std::string s;
    if (r.knobs.is_object())
      for (const auto& [k, v] : r.knobs.items()) s += (s.empty() ? "" : " ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    return s;
  }
}

std::vector<int64_t> parseIds(const std::string& text) {
  std::vector<int64_t> ids;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    size_t used = 0;
    long long id = 0;
    try {
      id = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (part.empty() || used != part.size() || id <= 0)
      throw Error("--delete expects run ids separated by commas (e.g. 3,5,8), got '" + text + "'");
    ids.push_back(id);
  }
  if (ids.empty()) throw Error("--delete expects at least one run id");
  return ids;
}

// Prints rows as columns, numbers right-aligned.
void printTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& rightAligned) {
  std::vector<size_t> width(rows[0].size(), 0);
  auto textWidth = [](const std::string& s) {  // UTF-8 characters, not bytes
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], textWidth(row[c]));
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string pad(width[c] - textWidth(row[c]), ' ');
      line += (c ? "  " : "") + (rightAligned[c] ? pad + row[c] : row[c] + (c + 1 < row.size() ? pad : ""));
    }
    std::cout << line << "\n";
  }
}

void listRuns(const ResultsDb& db, bool json) {
  std::vector<RunRecord> runs = db.listRuns();
  if (json) {
    nlohmann::json all = nlohmann::json::array();
    for (const RunRecord& r : runs) all.push_back(results::runToJson(r));
    printJson({{"database", db.path()}, {"runs", all}});
    return;
  }
  if (runs.empty()) {
    std::cout << "no runs in " << db.path() << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"id", "batch", "model", "method", "knobs", "trainable", "%", "ID acc", "OOD acc", "wall s", "status"}};
  for (const RunRecord& r : runs) {
    rows.push_back({std::to_string(r.id), r.batch.empty() ? "-" : r.batch,
                    r.model + (r.randomInit ? " (random)" : ""), r.method, knobsShort(r), groupDigits(r.trainable),
                    r.total > 0 ? fixed(results::trainablePercent(r), 3) : "-", percent(r.idAccuracy),
                    percent(r.oodAccuracy), fixed(r.wallSeconds, 1), statusName(r.status)});
  }
  printTable(rows, {true, false, false, false, false, true, true, true, true, true, false});
  std::cout << runs.size() << " run" << (runs.size() == 1 ? "" : "s") << " in " << db.path() << "\n";
}

void printConfusion(const std::string& split, const nlohmann::json& matrix, const nlohmann::json& classes) {
  std::cout << "confusion matrix, " << split << " (rows: true class, columns: predicted)\n";
  const size_t n = matrix.size();
  size_t cell = 3;
  for (const auto& row : matrix)
    for (const auto& v : row) cell = std::max(cell, v.dump().size());
  auto name = [&](size_t i) {
    return classes.is_array() && i < classes.size() && classes[i].is_string() ? classes[i].get<std::string>() : "";
  };
  size_t label = 0;
  for (size_t i = 0; i < n; ++i) label = std::max(label, name(i).size());
  const std::string indent(label + 7, ' ');
  std::cout << indent;
  for (size_t j = 0; j < n; ++j) std::cout << " " << std::setw(int(cell)) << j;
  std::cout << "\n";
  for (size_t i = 0; i < n; ++i) {
    std::cout << "  " << std::setw(3) << i << " " << std::left << std::setw(int(label)) << name(i) << std::right << " ";
    for (const auto& v : matrix[i]) std::cout << " " << std::setw(int(cell)) << v.dump();
    std::cout << "\n";
  }
}

void showRun(const ResultsDb& db, int64_t id, bool json) {
  std::optional<RunRecord> found = db.getRun(id);
  if (!found) throw fileError(db.path(), "no run with id " + std::to_string(id));
  const RunRecord& r = *found;
  const std::map<std::string, int64_t> counts = db.curveCounts(id);
  if (json) {
    printJson({{"run", results::runToJson(r)}, {"curve_points", counts}});
    return;
  }
  auto field = [](const std::string& name, const std::string& value) {
    if (!value.empty()) std::cout << "  " << std::left << std::setw(14) << name + ":" << std::right << value << "\n";
  };
  std::cout << "run " << r.id << " (" << statusName(r.status) << ")\n";
  field("batch", r.batch);
  field("model", r.model + (r.randomInit ? " (random init)" : ""));
  field("task", r.task);
  field("method", r.method);
  field("knobs", r.knobs.dump());
  field("seed", std::to_string(r.seed));
  field("started", r.startedAt);
  field("finished", r.finishedAt);
  field("wall time", fixed(r.wallSeconds, 1) + " s");
  field("error", r.error);
  field("adapter", r.adapterDir);

  std::cout << "parameters: " << groupDigits(r.trainable) << " trainable of " << groupDigits(r.total) << " ("
            << fixed(results::trainablePercent(r), 3) << " %)\n";
  if (r.params.contains("groups") && r.params["groups"].is_object())
    for (const auto& [group, n] : r.params["groups"].items())
      if (n.is_number() && n.get<int64_t>() != 0)
        std::cout << "  " << std::left << std::setw(12) << group << std::right << std::setw(14)
                  << groupDigits(n.get<int64_t>()) << "\n";

  std::cout << "metrics:\n";
  auto metric = [](const std::string& name, double acc, double f1) {
    if (acc < 0) return;
    std::cout << "  " << std::left << std::setw(22) << name << std::right << std::setw(6) << percent(acc) << " %";
    if (f1 >= 0) std::cout << "  (macro-F1 " << percent(f1) << ")";
    std::cout << "\n";
  };
  metric("validation accuracy", r.validationAccuracy, -1);
  metric("ID test accuracy", r.idAccuracy, r.idMacroF1);
  metric("OOD test accuracy", r.oodAccuracy, r.oodMacroF1);
  if (r.validationAccuracy < 0 && r.idAccuracy < 0 && r.oodAccuracy < 0) std::cout << "  (none)\n";

  // The result JSON's splits in reading order, then any others that carry a confusion matrix.
  std::vector<std::string> splits = {"validation", "id_test", "ood_test"};
  if (r.result.is_object())
    for (const auto& [key, value] : r.result.items())
      if (std::find(splits.begin(), splits.end(), key) == splits.end()) splits.push_back(key);
  for (const std::string& split : splits) {
    const nlohmann::json& s = r.result.is_object() && r.result.contains(split) ? r.result[split] : nlohmann::json();
    if (s.is_object() && s.contains("confusion") && s["confusion"].is_array() && !s["confusion"].empty())
      printConfusion(split, s["confusion"], r.result.value("classes", nlohmann::json::array()));
  }

  std::cout << "curve points:\n";
  for (const auto& [series, n] : counts) std::cout << "  " << std::left << std::setw(14) << series << std::right << n << "\n";
  if (counts.empty()) std::cout << "  (none)\n";
  std::cout << "config:\n" << r.config.dump(2) << "\n";
}

void deleteRuns(ResultsDb& db, const std::string& idList, bool json) {
  std::vector<int64_t> ids = parseIds(idList);
  for (int64_t id : ids)  // all or nothing: check every id before deleting any
    if (!db.getRun(id)) throw fileError(db.path(), "no run with id " + std::to_string(id) + "; nothing deleted");
  for (int64_t id : ids) db.deleteRun(id);
  if (json) {
    printJson({{"deleted", ids}});
    return;
  }
  std::cout << "deleted " << ids.size() << " run" << (ids.size() == 1 ? "" : "s") << " from " << db.path() << "\n";
}

void exportCsv(const ResultsDb& db, const std::string& runsFile, const std::string& curvesFile, bool json) {
  std::vector<RunRecord> runs = db.listRuns();
  nlohmann::json report = {{"runs", runs.size()}};
  if (!runsFile.empty()) {
    std::ofstream out(runsFile);
    if (!out) throw fileError(runsFile, "cannot write the CSV file");
    results::writeRunsCsv(runs, out);
    if (!out.flush()) throw fileError(runsFile, "writing the CSV file failed");
    report["runs_csv"] = runsFile;
    if (!json) std::cout << "wrote " << runs.size() << " runs to " << runsFile << "\n";
  }
  if (!curvesFile.empty()) {
    std::vector<int64_t> ids;
    for (const RunRecord& r : runs) ids.push_back(r.id);
    std::ofstream out(curvesFile);
    if (!out) throw fileError(curvesFile, "cannot write the CSV file");
    results::writeCurvesCsv(db, ids, out);
    if (!out.flush()) throw fileError(curvesFile, "writing the CSV file failed");
    report["curves_csv"] = curvesFile;
    if (!json) std::cout << "wrote the curves of " << runs.size() << " runs to " << curvesFile << "\n";
  }
  if (json) printJson(report);
}

int runRuns(const Args& a) {
  int actions = int(a.has("show")) + int(a.has("delete")) + int(a.has("export-csv") || a.has("export-curves-csv"));
  if (actions > 1) throw Error("give one of --show, --delete, --export-csv / --export-curves-csv");
  auto db = openDb(a);
  if (a.has("show")) {
    long long id = a.getInt("show", 0);
    if (id <= 0) throw Error("--show expects a run id (a positive integer)");
    showRun(*db, id, a.json());
  } else if (a.has("delete")) {
    deleteRuns(*db, a.get("delete"), a.json());
  } else if (actions == 1) {
    exportCsv(*db, a.get("export-csv"), a.get("export-curves-csv"), a.json());
  } else {
    listRuns(*db, a.json());
  }
  return 0;
}

PW_COMMAND("runs",
           "[--db FILE] [--show ID | --delete ID[,ID...] | --export-csv FILE [--export-curves-csv FILE]] [--json]",
           "the results database: list runs, show one in full, delete runs, export CSV",
           {"db", "show", "delete", "export-csv", "export-curves-csv"}, {}, 0, 0, runRuns,
           {{"show", {"ID", "print one run in full: its configuration, accuracies and curves"}},
            {"delete", {"ID,ID,...", "delete these runs and their curves"}},
            {"export-csv", {"FILE", "write every run as one CSV row"}},
            {"export-curves-csv", {"FILE", "with --export-csv: also write every run's loss and accuracy curves"}}});

}  // namespace
}  // namespace pw::cli
