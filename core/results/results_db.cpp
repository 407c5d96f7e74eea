#include "results/results_db.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "results/schema.h"
#include "results/sqlite_statement.h"
#include "util/error.h"
#include "util/strict_json.h"

namespace pw::results {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kFlushPoints = 200;
constexpr auto kFlushInterval = std::chrono::seconds(1);
constexpr int kBusyTimeoutMs = 5000;  // the GUI and a CLI may write the same file at once

// The columns a RunRecord is read from, in readRun's order.
constexpr const char* kRunColumns =
    "id, batch, model, task, method, random_init, knobs, config, seed, status, error, started_at, finished_at, "
    "wall_seconds, params, trainable, total, id_accuracy, ood_accuracy, id_macro_f1, ood_macro_f1, "
    "validation_accuracy, result, adapter_dir";

std::string nowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

// Invalid UTF-8 in a knob or an error text must not lose the run: replace it rather than throw.
std::string dumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A damaged cell reads as an empty object rather than making the whole table unreadable.
nlohmann::json parseJson(const std::string& text) {
  try {
    return parseStrictJson(text, "results database cell");
  } catch (const std::exception&) {
    return nlohmann::json::object();
  }
}

// trainable / total are copies of the parameter breakdown's, for sorting; fill them in when left at 0.
int64_t fromParams(int64_t given, const nlohmann::json& params, const char* key) {
  if (given != 0 || !params.is_object()) return given;
  auto it = params.find(key);
  return it != params.end() && it->is_number() ? it->get<int64_t>() : 0;
}

RunRecord readRun(const Statement& s) {
  RunRecord r;
  r.id = s.int64(0);
  r.batch = s.text(1);
  r.model = s.text(2);
  r.task = s.text(3);
  r.method = s.text(4);
  r.randomInit = s.int64(5) != 0;
  r.knobs = parseJson(s.text(6));
  r.config = parseJson(s.text(7));
  r.seed = uint64_t(s.int64(8));
  r.status = statusFromName(s.text(9));
  r.error = s.text(10);
  r.startedAt = s.text(11);
  r.finishedAt = s.text(12);
  r.wallSeconds = s.real(13);
  r.params = parseJson(s.text(14));
  r.trainable = s.int64(15);
  r.total = s.int64(16);
  r.idAccuracy = s.real(17);
  r.oodAccuracy = s.real(18);
  r.idMacroF1 = s.real(19);
  r.oodMacroF1 = s.real(20);
  r.validationAccuracy = s.real(21);
  r.result = parseJson(s.text(22));
  r.adapterDir = s.text(23);
  return r;
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back if it throws.
template <typename Body>
void inTransaction(sqlite3* db, const std::string& file, Body body) {
  execSql(db, file, "BEGIN IMMEDIATE");
  try {
    body();
    execSql(db, file, "COMMIT");
  } catch (...) {
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

// Whether this process may write the file and create its -wal / -shm files beside it.
bool canWrite(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return access(path.c_str(), W_OK) == 0 && access(parent.empty() ? "." : parent.c_str(), W_OK) == 0;
}

// A path as a file: URI's path part (RFC 3986: '%', '?' and '#' escaped).
std::string uriPath(const std::string& path) {
  std::string out;
  for (char c : fs::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

struct ResultsDb::Pending {
  std::mutex mutex;  // one ResultsDb may serve a trainer thread writing and the GUI thread reading
  std::vector<std::pair<int64_t, CurvePoint>> points;
  Clock::time_point lastWrite = Clock::now();
};

ResultsDb::ResultsDb(const std::string& path, OpenMode mode) : path_(path), pending_(std::make_unique<Pending>()) {
  if (path.empty()) throw Error("results database: the path is empty");
  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) throw fileError(path, "cannot create the results database's folder: " + ec.message());
  if (fs::is_directory(path, ec)) throw fileError(path, "is a folder, not a results database file");

  // An existing file we may not write (a lesson folder on a read-only share): open it to read, never to write.
  const bool exists = fs::exists(path, ec);
  if (mode == OpenMode::ReadOnly || (exists && !canWrite(path))) {
    openReadOnly();
    return;
  }
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw fileError(path, "cannot open the results database: " + why);
  }
  try {
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    execSql(db_, path_, "PRAGMA foreign_keys = ON");
    // Checks the file is SQLite and not newer than this build before anything writes to it.
    migrate(db_, path_);
    // WAL: readers never block the writer, and a crash loses at most the uncommitted transaction.
    {
      Statement wal(db_, path_, "PRAGMA journal_mode = WAL");  // scoped: a live statement blocks COMMIT
      if (wal.step() && wal.text(0) != "wal")
        throw fileError(path_, "cannot switch the results database to WAL mode (journal mode stays '" +
                                   wal.text(0) + "')");
    }
    execSql(db_, path_, "PRAGMA synchronous = NORMAL");
    markInterruptedRuns();
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

void ResultsDb::openReadOnly() {
  readOnly_ = true;
  std::error_code ec;
  if (!fs::exists(path_, ec)) throw fileError(path_, "cannot open the results database to read: no such file");
  // First as SQLite reads a WAL database it may not write (its -wal and -shm files in place); where even that
  // fails, as an immutable file (no locks, no WAL: what was checkpointed into the file itself).
  for (const char* query : {"?mode=ro", "?immutable=1"}) {
    const std::string uri = "file:" + uriPath(path_) + query;
    int rc = sqlite3_open_v2(uri.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(db_, kBusyTimeoutMs);
      try {
        const int version = readSchemaVersion(db_, path_);
        if (version != currentSchemaVersion())
          throw fileError(path_, "is read-only and holds schema version " + std::to_string(version) + ", but this "
                                 "build reads version " + std::to_string(currentSchemaVersion()) +
                                 " (open a writable copy to upgrade it)");
        Statement probe(db_, path_, "SELECT count(*) FROM runs");
        probe.step();
        immutable_ = std::string(query) == "?immutable=1";
        return;
      } catch (const Error&) {
        if (std::string(query) == "?immutable=1") {
          sqlite3_close_v2(db_);
          db_ = nullptr;
          throw;
        }
      }
    }
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  throw fileError(path_, "cannot open the results database to read");
}

void ResultsDb::requireWritable() const {
  if (readOnly_)
    throw fileError(path_, "the results database is open read-only (the file or its folder cannot be written): "
                           "runs can be looked at here, not added or deleted");
}

ResultsDb::~ResultsDb() {
  if (!db_) return;
  try {
    std::lock_guard<std::mutex> lock(pending_->mutex);
    flushLocked();
  } catch (...) {
    // A destructor cannot report; the points were buffered only, the run row is intact.
  }
  sqlite3_close_v2(db_);
}

std::string ResultsDb::defaultPath() {
  fs::path file;
  if (const char* env = std::getenv("PW_RESULTS_DB"); env && *env) {
    file = env;
  } else {
    fs::path base;
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg && *xdg && fs::path(xdg).is_absolute()) {  // the XDG spec says to ignore a relative one
      base = xdg;
    } else {
      const char* home = std::getenv("HOME");
      if (!home || !*home) {
        const passwd* pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : nullptr;
      }
      if (!home) throw Error("results database: neither PW_RESULTS_DB nor HOME is set; set PW_RESULTS_DB");
      base = fs::path(home) / ".local" / "share";
    }
    file = base / "peft-workbench" / "results.sqlite";
  }
  std::error_code ec;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
  if (ec) throw fileError(file.parent_path().string(), "cannot create the results folder: " + ec.message());
  return file.string();
}

int ResultsDb::schemaVersion() { return currentSchemaVersion(); }

int ResultsDb::markInterruptedRuns() {
  if (readOnly_) return 0;
  // Only this host's processes can be checked; a run written from another machine stays as it is. A pid
  // reused by a new process keeps a dead run "running" (rare; it is fixed the next time the pid is free).
  std::lock_guard<std::mutex> lock(pending_->mutex);
  std::vector<int64_t> ended;
  {
    Statement s(db_, path_, "SELECT id, pid FROM runs WHERE status = 'running' AND hostname = ?1");
    s.bind(1, hostName());
    while (s.step()) {
      pid_t pid = pid_t(s.int64(1));
      if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) ended.push_back(s.int64(0));
    }
  }
  if (ended.empty()) return 0;
  int changed = 0;
  inTransaction(db_, path_, [&] {
    Statement u(db_, path_,
                "UPDATE runs SET status = 'interrupted', error = 'the process writing it ended' "
                "WHERE id = ?1 AND status = 'running'");
    for (int64_t id : ended) {
      u.bind(1, id).run();
      changed += sqlite3_changes(db_);
      u.reset();
    }
  });
  return changed;
}

int64_t ResultsDb::beginRun(RunRecord& run) {
  requireWritable();
  std::lock_guard<std::mutex> lock(pending_->mutex);
  run.status = RunStatus::Running;
  if (run.startedAt.empty()) run.startedAt = nowUtc();
  run.trainable = fromParams(run.trainable, run.params, "trainable");
  run.total = fromParams(run.total, run.params, "total");
  Statement s(db_, path_,
              "INSERT INTO runs (batch, model, task, method, random_init, knobs, config, seed, status, error, "
              "started_at, finished_at, wall_seconds, params, trainable, total, id_accuracy, ood_accuracy, "
              "id_macro_f1, ood_macro_f1, validation_accuracy, result, adapter_dir, pid, hostname) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
              "?21, ?22, ?23, ?24, ?25)");
  s.bind(1, run.batch).bind(2, run.model).bind(3, run.task).bind(4, run.method);
  s.bind(5, int64_t(run.randomInit)).bind(6, dumpJson(run.knobs)).bind(7, dumpJson(run.config));
  s.bind(8, int64_t(run.seed)).bind(9, statusName(run.status)).bind(10, run.error).bind(11, run.startedAt);
  s.bind(12, run.finishedAt).bind(13, run.wallSeconds).bind(14, dumpJson(run.params));
  s.bind(15, run.trainable).bind(16, run.total).bind(17, run.idAccuracy).bind(18, run.oodAccuracy);
  s.bind(19, run.idMacroF1).bind(20, run.oodMacroF1).bind(21, run.validationAccuracy);
  s.bind(22, dumpJson(run.result)).bind(23, run.adapterDir);
  s.bind(24, int64_t(getpid())).bind(25, hostName());
  s.run();
  run.id = sqlite3_last_insert_rowid(db_);
  return run.id;
}

void ResultsDb::appendCurve(int64_t runId, const std::vector<CurvePoint>& points) {
  requireWritable();
  std::lock_guard<std::mutex> lock(pending_->mutex);
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (CurvePoint p : points) {
    if (p.wallTime == 0) p.wallTime = now;
    pending_->points.emplace_back(runId, std::move(p));
  }
  if (pending_->points.size() >= kFlushPoints || Clock::now() - pending_->lastWrite >= kFlushInterval)
    flushLocked();
}

void ResultsDb::flush() {
  std::lock_guard<std::mutex> lock(pending_->mutex);
  flushLocked();
}

void ResultsDb::flushLocked() {
  std::vector<std::pair<int64_t, CurvePoint>> batch;
  batch.swap(pending_->points);
  if (!batch.empty()) {
    try {
      inTransaction(db_, path_, [&] {
        // Points of a run deleted meanwhile (from the GUI or another program) are dropped, not an error.
        Statement s(db_, path_,
                    "INSERT INTO curves (run_id, series, step, epoch, stage, value, wall_time) "
                    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?1)");
        for (const auto& [runId, p] : batch) {
          s.bind(1, runId).bind(2, p.series).bind(3, p.step).bind(4, p.epoch).bind(5, p.stage).bind(6, p.value);
          s.bind(7, p.wallTime);
          s.run();
          s.reset();
        }
      });
    } catch (const SqliteError& e) {
      // Busy: another program held the file past the timeout; keep the points for the next try.
      if (e.code() == SQLITE_BUSY || e.code() == SQLITE_LOCKED)
        pending_->points.insert(pending_->points.begin(), batch.begin(), batch.end());
      throw;
    }
  }
  pending_->lastWrite = Clock::now();
}

void ResultsDb::finishRun(const RunRecord& run) {
  requireWritable();
  std::lock_guard<std::mutex> lock(pending_->mutex);
  flushLocked();
  Statement s(db_, path_,
              "UPDATE runs SET status = ?1, error = ?2, finished_at = ?3, wall_seconds = ?4, params = ?5, "
              "trainable = ?6, total = ?7, id_accuracy = ?8, ood_accuracy = ?9, id_macro_f1 = ?10, "
              "ood_macro_f1 = ?11, validation_accuracy = ?12, result = ?13, adapter_dir = ?14 WHERE id = ?15");
  s.bind(1, statusName(run.status)).bind(2, run.error).bind(3, run.finishedAt.empty() ? nowUtc() : run.finishedAt);
  s.bind(4, run.wallSeconds).bind(5, dumpJson(run.params));
  s.bind(6, fromParams(run.trainable, run.params, "trainable")).bind(7, fromParams(run.total, run.params, "total"));
  s.bind(8, run.idAccuracy).bind(9, run.oodAccuracy).bind(10, run.idMacroF1).bind(11, run.oodMacroF1);
  s.bind(12, run.validationAccuracy).bind(13, dumpJson(run.result)).bind(14, run.adapterDir).bind(15, run.id);
  s.run();
  if (sqlite3_changes(db_) == 0)
    throw fileError(path_, "no run with id " + std::to_string(run.id) + " to finish (was it deleted?)");
}

std::vector<RunRecord> ResultsDb::listRuns() const {
  std::lock_guard<std::mutex> lock(pending_->mutex);
  Statement s(db_, path_, (std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id").c_str());
  std::vector<RunRecord> runs;
  while (s.step()) runs.push_back(readRun(s));
  return runs;
}

std::optional<RunRecord> ResultsDb::getRun(int64_t id) const {
  std::lock_guard<std::mutex> lock(pending_->mutex);
  Statement s(db_, path_, (std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readRun(s);
}

std::vector<CurvePoint> ResultsDb::curve(int64_t runId, const std::string& series) const {
  std::lock_guard<std::mutex> lock(pending_->mutex);
  Statement s(db_, path_,
              series.empty() ? "SELECT series, step, epoch, stage, value, wall_time FROM curves WHERE run_id = ?1 "
                               "ORDER BY step, rowid"
                             : "SELECT series, step, epoch, stage, value, wall_time FROM curves WHERE run_id = ?1 "
                               "AND series = ?2 ORDER BY step, rowid");
  s.bind(1, runId);
  if (!series.empty()) s.bind(2, series);
  std::vector<CurvePoint> points;
  while (s.step()) points.push_back({s.text(0), s.int64(1), s.real(2), int(s.int64(3)), s.real(4), s.real(5)});
  return points;
}

std::map<std::string, int64_t> ResultsDb::curveCounts(int64_t runId) const {
  std::lock_guard<std::mutex> lock(pending_->mutex);
  Statement s(db_, path_, "SELECT series, COUNT(*) FROM curves WHERE run_id = ?1 GROUP BY series");
  s.bind(1, runId);
  std::map<std::string, int64_t> counts;
  while (s.step()) counts[s.text(0)] = s.int64(1);
  return counts;
}

void ResultsDb::deleteRun(int64_t id) {
  requireWritable();
  std::lock_guard<std::mutex> lock(pending_->mutex);
  auto& pts = pending_->points;
  pts.erase(std::remove_if(pts.begin(), pts.end(), [&](const auto& p) { return p.first == id; }), pts.end());
  Statement s(db_, path_, "DELETE FROM runs WHERE id = ?1");  // curves go with it (ON DELETE CASCADE)
  s.bind(1, id).run();
}

void ResultsDb::deleteAll() {
  requireWritable();
  std::lock_guard<std::mutex> lock(pending_->mutex);
  pending_->points.clear();
  inTransaction(db_, path_, [&] {
    execSql(db_, path_, "DELETE FROM curves");
    execSql(db_, path_, "DELETE FROM runs");
  });
}

}  // namespace pw::results
