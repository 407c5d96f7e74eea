// Seed groups (see seed_group.h).
#include "results/seed_group.h"

#include <set>

namespace pw::results {
namespace {

std::string valueText(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

nlohmann::json seedGroupFields(const RunRecord& r) {
  nlohmann::json f = nlohmann::json::object();
  if (r.config.is_object())
    for (const auto& [k, v] : r.config.items())
      if (k != "seed" && k != "adapter_dir" && k != "knobs") f[k] = v;
  f["batch"] = r.batch, f["model"] = r.model, f["task"] = r.task, f["method"] = r.method;
  f["random_init"] = r.randomInit;
  if (r.knobs.is_object())
    for (const auto& [k, v] : r.knobs.items()) f["knob." + k] = v;
  return f;
}

std::string seedGroupKey(const RunRecord& r) { return seedGroupFields(r).dump(); }

std::vector<std::string> distinguishingFields(const std::vector<nlohmann::json>& groups) {
  std::set<std::string> keys;
  for (const auto& g : groups)
    for (const auto& [k, v] : g.items()) keys.insert(k);
  std::vector<std::string> out(groups.size());
  for (const auto& k : keys) {
    std::set<std::string> values;
    for (const auto& g : groups) values.insert(g.contains(k) ? g.at(k).dump() : "-");
    if (values.size() < 2) continue;
    const std::string name = k.rfind("knob.", 0) == 0 ? k.substr(5) : k;
    for (size_t i = 0; i < groups.size(); ++i)
      out[i] += (out[i].empty() ? "" : ", ") + name + "=" + (groups[i].contains(k) ? valueText(groups[i].at(k)) : "-");
  }
  return out;
}

}  // namespace pw::results
