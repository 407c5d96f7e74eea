// The results store's schema as a list of migration steps, indexed by `PRAGMA user_version`: step i takes a
// file from version i to i + 1. A new schema version is one more entry at the end of the list.
#pragma once
#include <sqlite3.h>

#include <string>
#include <vector>

namespace pw::results {

struct Migration {
  const char* what;  // for error messages: "creating the runs and curves tables"
  const char* sql;   // one or more statements, run inside the migration's transaction
};

const std::vector<Migration>& migrations();
inline int currentSchemaVersion() { return int(migrations().size()); }

// Brings the open database at `file` to currentSchemaVersion() in one immediate transaction (so two
// programs opening a fresh file at once do not both create tables). Throws pw::Error naming the file when
// the file's version is newer than this build knows.
void migrate(sqlite3* db, const std::string& file);

// The file's `PRAGMA user_version`; throws pw::Error (naming the file) if it is not a SQLite database.
int readSchemaVersion(sqlite3* db, const std::string& file);

}  // namespace pw::results
