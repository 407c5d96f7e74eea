// A thin RAII layer over the sqlite3 C API for the results store: one prepared statement, and the helpers
// that turn sqlite's error codes into pw::Error messages naming the database file.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "util/error.h"

namespace pw::results {

// A pw::Error that keeps sqlite's result code, so the store can tell "busy" (retry later) from the rest.
class SqliteError : public Error {
 public:
  SqliteError(const std::string& message, int code) : Error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// "<file>: <doing> failed: <sqlite's message>"
[[noreturn]] void throwSqlite(sqlite3* db, const std::string& file, const std::string& doing, int code);

// Runs SQL without results (one or more statements), throwing pw::Error on failure.
void execSql(sqlite3* db, const std::string& file, const char* sql);

class Statement {
 public:
  Statement(sqlite3* db, const std::string& file, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in sqlite.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);

  // Steps once: true while a row is available, false when done. Throws on error.
  bool step();
  // Steps to the end (for statements without results).
  void run();
  // Clears the bindings and rewinds, to run the statement again.
  void reset();

  int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;

 private:
  sqlite3* db_;
  std::string file_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

}  // namespace pw::results
