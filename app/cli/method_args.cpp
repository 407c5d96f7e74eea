// Method knobs on the command line (see method_args.h).
#include "method_args.h"

#include <algorithm>

#include "methods/catalog.h"
#include "methods/knobs.h"

namespace pw::cli {

std::vector<std::string> methodKnobNames(bool flags) {
  std::vector<std::string> out;
  for (const auto& m : methodCatalog())
    for (const auto& k : m.knobs) {
      const std::string n = knobFlag(k.key).substr(2);  // without "--"
      if ((k.kind == KnobSpec::Kind::Flag) == flags && std::find(out.begin(), out.end(), n) == out.end())
        out.push_back(n);
    }
  return out;
}

std::vector<std::string> withKnobOptions(std::vector<std::string> base) {
  base.push_back(kMethodKnobs);
  return base;
}

nlohmann::json methodKnobsFromArgs(const Args& args) {
  nlohmann::json k = nlohmann::json::object();
  for (const auto& o : methodKnobNames(false))
    if (args.options.count(o)) k[knobKey(o)] = args.options.at(o);
  for (const auto& f : methodKnobNames(true))
    if (args.flags.count(f)) k[knobKey(f)] = true;
  return k;
}

}  // namespace pw::cli
