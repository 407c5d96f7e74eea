// Method knobs on the command line (see method_args.h).
#include "method_args.h"

namespace pw::cli {

const std::vector<std::string>& methodKnobOptions() {
  static const std::vector<std::string> o = {"length", "init",  "reparam", "adapter-size", "adapter-kind",
                                             "rank",   "alpha", "targets", "lr-factor"};
  return o;
}

const std::vector<std::string>& methodKnobFlags() {
  static const std::vector<std::string> f = {"train-layernorm"};
  return f;
}

std::vector<std::string> withKnobOptions(std::vector<std::string> base) {
  for (const auto& o : methodKnobOptions()) base.push_back(o);
  return base;
}

nlohmann::json methodKnobsFromArgs(const Args& args) {
  auto key = [](std::string s) {
    for (auto& c : s)
      if (c == '-') c = '_';
    return s;
  };
  nlohmann::json k = nlohmann::json::object();
  for (const auto& o : methodKnobOptions())
    if (args.options.count(o)) k[key(o)] = args.options.at(o);
  for (const auto& f : methodKnobFlags())
    if (args.flags.count(f)) k[key(f)] = true;
  return k;
}

std::string groupDigits(long long n) {
  std::string s = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace pw::cli
