// Method knobs on the command line (see method_args.h).
#include "method_args.h"

#include <algorithm>

#include "methods/catalog.h"
#include "methods/knobs.h"

namespace pw::cli {

namespace {

// Every method's knobs, from the descriptors: value-taking options or (Flag knobs) flags, each name once.
std::vector<std::string> knobNames(bool flags) {
  std::vector<std::string> out;
  for (const auto& m : methodCatalog())
    for (const auto& k : m.knobs) {
      const std::string n = knobFlag(k.key).substr(2);  // without "--"
      if ((k.kind == KnobSpec::Kind::Flag) == flags && std::find(out.begin(), out.end(), n) == out.end())
        out.push_back(n);
    }
  return out;
}

}  // namespace

const std::vector<std::string>& methodKnobOptions() {
  static const std::vector<std::string> o = knobNames(false);
  return o;
}

const std::vector<std::string>& methodKnobFlags() {
  static const std::vector<std::string> f = knobNames(true);
  return f;
}

std::vector<std::string> withKnobOptions(std::vector<std::string> base) {
  for (const auto& o : methodKnobOptions()) base.push_back(o);
  return base;
}

nlohmann::json methodKnobsFromArgs(const Args& args) {
  nlohmann::json k = nlohmann::json::object();
  for (const auto& o : methodKnobOptions())
    if (args.options.count(o)) k[knobKey(o)] = args.options.at(o);
  for (const auto& f : methodKnobFlags())
    if (args.flags.count(f)) k[knobKey(f)] = true;
  return k;
}

}  // namespace pw::cli
