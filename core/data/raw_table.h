// One user data file (CSV, TSV or JSON Lines) as named columns and rows, checked for emptiness and
// valid UTF-8, with the line number of every row for error messages.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

#include "data/delimited.h"

namespace pw::data {

class RawTable {
 public:
  RawTable();
  ~RawTable();
  RawTable(RawTable&&) noexcept;

  std::string path;
  std::vector<std::string> columns;

  size_t rowCount() const { return lines_.size(); }
  size_t line(size_t row) const { return lines_[row]; }
  // The cell as text; a JSON string, or an integer written in decimal. Throws pw::Error with file:line
  // for a missing JSON field or a value that is neither.
  std::string cell(size_t row, const std::string& column) const;

  // The column to use: `requested` if given (error if absent), else the single column whose lower-case
  // name is one of `candidates` (error if none or several). `role` and `option` are for the message.
  std::string resolveColumn(const std::string& requested, const std::vector<std::string>& candidates,
                            const std::string& role, const std::string& option) const;
  // A column whose lower-case name is `name`, or "" if none.
  std::string findColumn(const std::string& name) const;

 private:
  friend RawTable readRawTable(const std::string& path);
  std::vector<size_t> lines_;
  DelimitedTable table_;                        // CSV / TSV
  std::unique_ptr<std::vector<nlohmann::json>> objects_;  // JSON Lines
};

// Reads a .csv, .tsv or .jsonl (also .ndjson / .json holding JSON Lines) file.
RawTable readRawTable(const std::string& path);

}  // namespace pw::data
