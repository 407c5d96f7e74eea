// Typed errors for core: every failure names the file (or input) and says what is wrong and what to do.
#pragma once
#include <stdexcept>
#include <string>

namespace pw {

// A user-facing error: bad input file, bad config, bad argument. The CLI prints what() and exits 1.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// "<file>: <problem>", the shape every file-related error takes.
inline Error fileError(const std::string& file, const std::string& problem) {
  return Error(file + ": " + problem);
}

}  // namespace pw
