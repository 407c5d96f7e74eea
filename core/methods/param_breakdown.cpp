// Parameter counts by group (see param_breakdown.h).
#include "methods/param_breakdown.h"

#include "methods/catalog.h"
#include "util/error.h"

namespace pw {
namespace {

std::map<std::string, int64_t> nonZero(const std::map<std::string, int64_t>& groups) {
  std::map<std::string, int64_t> out;
  for (const auto& [k, n] : groups)
    if (n != 0) out[k] = n;
  return out;
}

}  // namespace

int64_t ParamBreakdown::group(const std::string& key) const {
  auto it = groups.find(key);
  return it == groups.end() ? 0 : it->second;
}

void ParamBreakdown::add(const std::string& group, int64_t n) {
  if (group.empty()) throw Error("internal: a parameter group needs a name");
  groups[group] += n;
}

void ParamBreakdown::finish() {
  trainable = 0;
  for (const auto& [k, n] : groups) trainable += n;
  percent = total > 0 ? 100.0 * double(trainable) / double(total) : 0.0;
}

nlohmann::json ParamBreakdown::toJson() const {
  nlohmann::json g = nlohmann::json::object();
  for (const auto& spec : parameterGroups()) g[spec.key] = group(spec.key);
  for (const auto& [k, n] : groups) g[k] = n;
  return {{"trainable", trainable}, {"total", total}, {"percent", percent}, {"groups", g}};
}

bool ParamBreakdown::operator==(const ParamBreakdown& o) const {
  return nonZero(groups) == nonZero(o.groups) && total == o.total && trainable == o.trainable;
}

ParamBreakdown ParamBreakdown::fromJson(const nlohmann::json& j) {
  ParamBreakdown b;
  if (j.contains("groups"))
    for (auto& [group, n] : j.at("groups").items())
      if (n.get<int64_t>() != 0) b.add(group, n.get<int64_t>());
  b.total = j.value("total", int64_t(0));
  b.finish();
  return b;
}

}  // namespace pw
