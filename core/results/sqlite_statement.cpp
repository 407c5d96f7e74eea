#include "results/sqlite_statement.h"

namespace pw::results {

void throwSqlite(sqlite3* db, const std::string& file, const std::string& doing, int code) {
  std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) why += " (another program holds the database; try again)";
  throw SqliteError(file + ": " + doing + " failed: " + why, code);
}

void execSql(sqlite3* db, const std::string& file, const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string why = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw SqliteError(file + ": '" + std::string(sql).substr(0, 60) + "' failed: " + why, rc);
  }
}

Statement::Statement(sqlite3* db, const std::string& file, const char* sql) : db_(db), file_(file), sql_(sql) {
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) throwSqlite(db_, file_, "preparing '" + sql_.substr(0, 60) + "'", rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throwSqlite(db_, file_, "binding", rc);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) throwSqlite(db_, file_, "binding", rc);
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throwSqlite(db_, file_, "binding", rc);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throwSqlite(db_, file_, "'" + sql_.substr(0, 60) + "'", rc);
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  const unsigned char* t = sqlite3_column_text(stmt_, column);
  return t ? std::string(reinterpret_cast<const char*>(t), size_t(sqlite3_column_bytes(stmt_, column))) : "";
}

}  // namespace pw::results
