#include "results/schema.h"

#include "results/sqlite_statement.h"

namespace pw::results {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps = {
      // v0 -> v1
      {"creating the runs and curves tables", R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a deleted run's id cannot name a newer run
  batch TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  task TEXT NOT NULL DEFAULT '',
  method TEXT NOT NULL DEFAULT '',
  random_init INTEGER NOT NULL DEFAULT 0,
  knobs TEXT NOT NULL DEFAULT '{}',
  config TEXT NOT NULL DEFAULT '{}',
  seed INTEGER NOT NULL DEFAULT 0,       -- the uint64 seed's bits, as sqlite integers are signed
  status TEXT NOT NULL DEFAULT 'running',
  error TEXT NOT NULL DEFAULT '',
  started_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  wall_seconds REAL NOT NULL DEFAULT 0,
  params TEXT NOT NULL DEFAULT '{}',
  trainable INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  id_accuracy REAL NOT NULL DEFAULT -1,
  ood_accuracy REAL NOT NULL DEFAULT -1,
  id_macro_f1 REAL NOT NULL DEFAULT -1,
  ood_macro_f1 REAL NOT NULL DEFAULT -1,
  validation_accuracy REAL NOT NULL DEFAULT -1,
  result TEXT NOT NULL DEFAULT '{}',
  adapter_dir TEXT NOT NULL DEFAULT '',
  pid INTEGER NOT NULL DEFAULT 0,        -- the writing process, to tell a crashed run from a running one
  hostname TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_by_status ON runs(status);
CREATE TABLE curves (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  series TEXT NOT NULL,
  step INTEGER NOT NULL,
  epoch REAL NOT NULL,
  stage INTEGER NOT NULL,
  value REAL NOT NULL
);
CREATE INDEX curves_by_run_series_step ON curves(run_id, series, step);
)sql"},
      // v1 -> v2
      {"adding the curve points' wall-clock time", R"sql(
ALTER TABLE curves ADD COLUMN wall_time REAL NOT NULL DEFAULT 0;  -- seconds since 1970 (UTC); 0: recorded before v2
)sql"},
      // v2 -> v3 goes here.
  };
  return steps;
}

int readSchemaVersion(sqlite3* db, const std::string& file) {
  try {
    Statement s(db, file, "PRAGMA user_version");
    return s.step() ? int(s.int64(0)) : 0;
  } catch (const SqliteError& e) {
    if (e.code() != SQLITE_NOTADB) throw;
    throw Error(file + ": not a SQLite database (sqlite: " + sqlite3_errstr(SQLITE_NOTADB) +
                "); give a PEFT Workbench results file (.sqlite) or a path for a new one");
  }
}

namespace {

void checkNotNewer(int version, const std::string& file) {
  if (version > currentSchemaVersion())
    throw Error(file + ": the results database has schema version " + std::to_string(version) +
                ", newer than this build of PEFT Workbench understands (" +
                std::to_string(currentSchemaVersion()) + "); open it with a newer build or use another file");
}

// Version 0 is a new file: one that already holds tables belongs to another program, and creating ours in it
// would fail with raw SQL (a "runs" table of its own) or, worse, quietly write into it.
void checkHoldsNoTables(sqlite3* db, const std::string& file) {
  Statement s(db, file,
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  std::string names;
  int n = 0;
  while (s.step())
    if (++n <= 5) names += (names.empty() ? "" : ", ") + s.text(0);
  if (n > 0)
    throw Error(file + ": not a PEFT Workbench results database (it holds " + std::to_string(n) + " table" +
                (n == 1 ? "" : "s") + " of another program: " + names + (n > 5 ? ", ..." : "") +
                "); give a PEFT Workbench results file (.sqlite) or a path for a new one");
}

}  // namespace

void migrate(sqlite3* db, const std::string& file) {
  int version = readSchemaVersion(db, file);
  checkNotNewer(version, file);
  if (version == currentSchemaVersion()) return;
  execSql(db, file, "BEGIN IMMEDIATE");
  try {
    version = readSchemaVersion(db, file);  // another program may have migrated while we waited
    checkNotNewer(version, file);
    if (version == 0) checkHoldsNoTables(db, file);
    for (int v = version; v < currentSchemaVersion(); ++v) {
      const Migration& m = migrations()[size_t(v)];
      try {
        execSql(db, file, m.sql);
      } catch (const Error& e) {
        throw Error(file + ": schema migration " + std::to_string(v) + " -> " + std::to_string(v + 1) + " (" +
                    m.what + ") failed: " + e.what());
      }
    }
    // PRAGMA takes no bound parameters; the number is ours.
    execSql(db, file, ("PRAGMA user_version = " + std::to_string(currentSchemaVersion())).c_str());
    execSql(db, file, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace pw::results
