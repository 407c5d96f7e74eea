// Reading a method's knobs from a JSON object with defaults, ranges and a clear error for anything
// unknown or out of range. Values may be JSON numbers/bools or their strings (as the CLI passes them).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace pw {

class KnobReader {
 public:
  KnobReader(const nlohmann::json& knobs, std::string method);

  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  double number(const std::string& key, double fallback, double minExclusive, double max);
  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed);
  bool flag(const std::string& key, bool fallback);
  // A list from a JSON array or a comma-separated string; empty items dropped.
  std::vector<std::string> list(const std::string& key, const std::vector<std::string>& fallback);
  // Throws pw::Error naming any knob that was given but does not apply to this method.
  void finish() const;

 private:
  const nlohmann::json* find(const std::string& key);
  std::string text(const nlohmann::json& v) const;
  nlohmann::json knobs_;
  std::string method_;
  std::set<std::string> used_;
};

// "adapter_size" -> "--adapter-size", for messages that should read like the CLI.
std::string knobFlag(const std::string& key);
// "adapter-size" (a CLI option name) -> "adapter_size" (the JSON key); a key stays as it is.
std::string knobKey(std::string optionName);

}  // namespace pw
