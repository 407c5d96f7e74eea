// Reader for dictd databases (word.index + word.dict.dz, as shipped by Debian's dict-* packages).
#pragma once
#include <string>
#include <vector>

namespace pw::data {

struct DictdEntry {
  std::string headword;  // first index headword pointing at this entry
  std::string text;      // raw entry text
};

// All distinct entries of a dictd database in file order, without the "00-database-*" meta entries.
// Throws pw::Error naming the file (and the Debian package when `package` is given) if it is missing.
std::vector<DictdEntry> readDictd(const std::string& dictPath, const std::string& indexPath,
                                  const std::string& package = "");

// Throws a pw::Error telling which Debian package to install when `path` does not exist.
void requirePackageFile(const std::string& path, const std::string& package);

}  // namespace pw::data
