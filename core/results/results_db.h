// The results store shared by the GUI and the CLI: one SQLite file (through the sqlite3 C library) with
// every run (configuration, status, parameter breakdown, final metrics) and its curves. Written as a run
// goes, in WAL mode: the run row first, curve points in small transactions, the finals at the end, so a
// crash or kill loses at most the last unflushed points and never a finished run. Torch-free.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/run_status.h"

struct sqlite3;

namespace pw::results {

// One row of the runs table. Metrics are -1 when absent (not yet finished, or no OOD split).
struct RunRecord {
  int64_t id = 0;               // assigned by beginRun
  std::string batch;            // groups the runs of one compare / sweep / GUI queue ("" = none)
  std::string model, task, method;
  bool randomInit = false;
  nlohmann::json knobs = nlohmann::json::object();   // the method's knobs (filled-in defaults)
  nlohmann::json config = nlohmann::json::object();  // the whole TrainConfig as JSON
  uint64_t seed = 0;
  RunStatus status = RunStatus::Running;
  std::string error;
  std::string startedAt, finishedAt;  // ISO 8601 UTC, "2026-11-23T10:00:00Z"
  double wallSeconds = 0;
  nlohmann::json params = nlohmann::json::object();  // ParamBreakdown::toJson()
  int64_t trainable = 0, total = 0;                  // copied out of params for sorting
  double idAccuracy = -1, oodAccuracy = -1, idMacroF1 = -1, oodMacroF1 = -1, validationAccuracy = -1;
  nlohmann::json result = nlohmann::json::object();  // RunResult::toJson() (confusion matrices ...)
  std::string adapterDir;                            // saved method state, "" if none
};

// One point of one curve. Series: "train_loss", "lr", "tokens_per_s", "val_loss", "val_acc".
struct CurvePoint {
  std::string series;
  int64_t step = 0;
  double epoch = 0;
  int stage = 1;
  double value = 0;
  double wallTime = 0;  // when it was recorded, seconds since 1970 (UTC); 0: unknown (recorded before schema v2)
};

class ResultsDb {
 public:
  enum class OpenMode { ReadWrite, ReadOnly };
  // Opens (creating the file and its folder if needed) and migrates to the current schema. Rows left
  // "running" by a process that no longer exists become "interrupted". An existing file this process cannot
  // write (or its folder, which WAL needs) opens read-only, as does OpenMode::ReadOnly: everything reads,
  // every write throws. Throws pw::Error naming the file.
  explicit ResultsDb(const std::string& path, OpenMode mode = OpenMode::ReadWrite);
  ~ResultsDb();
  ResultsDb(const ResultsDb&) = delete;
  ResultsDb& operator=(const ResultsDb&) = delete;

  // $PW_RESULTS_DB, else $XDG_DATA_HOME/peft-workbench/results.sqlite (~/.local/share/...).
  static std::string defaultPath();
  static int schemaVersion();  // the version this build writes
  const std::string& path() const { return path_; }
  bool readOnly() const { return readOnly_; }
  // Read-only and opened as an immutable file: changes still in a -wal file beside it are not seen.
  bool immutable() const { return immutable_; }

  // Inserts the run row (status "running", startedAt now if empty) and returns its id.
  int64_t beginRun(RunRecord& run);
  // Buffers points; they are written in one transaction when 200 are pending, a second has passed since the
  // last write (checked as points arrive), or on flush()/finishRun()/destruction. Only written points are
  // visible to curve() and to other connections.
  void appendCurve(int64_t runId, const std::vector<CurvePoint>& points);
  void flush();
  // Writes the final fields of `run` (status, error, finishedAt (now if empty), wallSeconds, params,
  // metrics, result, adapterDir) after flushing its curve points.
  void finishRun(const RunRecord& run);

  std::vector<RunRecord> listRuns() const;  // oldest first
  std::optional<RunRecord> getRun(int64_t id) const;
  std::vector<CurvePoint> curve(int64_t runId, const std::string& series = "") const;  // step order
  std::map<std::string, int64_t> curveCounts(int64_t runId) const;  // points per series ("lr" -> 120)
  void deleteRun(int64_t id);  // the run and its curves (not its adapter folder)
  void deleteAll();

  // Rows left "running" by a process of this host that no longer exists become "interrupted" (done at open
  // too; call it again to refresh a long-open view). Returns how many rows changed.
  int markInterruptedRuns();

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  struct Pending;  // buffered curve points, and the lock that lets threads share one ResultsDb
  std::unique_ptr<Pending> pending_;
  bool readOnly_ = false, immutable_ = false;
  void flushLocked();
  void openReadOnly();
  void requireWritable() const;
};

// Every field of a run as JSON (snake_case keys, the JSON fields nested as they are): for `--json` output.
nlohmann::json runToJson(const RunRecord& run);
// 100 * trainable / total: the breakdown's "percent" when present, else computed (0 without a total).
double trainablePercent(const RunRecord& run);

}  // namespace pw::results
