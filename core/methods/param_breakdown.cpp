// Parameter counts by group (see param_breakdown.h).
#include "methods/param_breakdown.h"

#include "util/error.h"

namespace pw {

void ParamBreakdown::add(const std::string& group, int64_t n) {
  if (group == "head") head += n;
  else if (group == "lora") lora += n;
  else if (group == "adapter") adapter += n;
  else if (group == "prompt") prompt += n;
  else if (group == "prefix") prefix += n;
  else if (group == "bias") bias += n;
  else if (group == "ia3") ia3 += n;
  else if (group == "layernorm") layernorm += n;
  else if (group == "backbone") backbone += n;
  else throw Error("internal: unknown parameter group \"" + group + "\"");
}

void ParamBreakdown::finish() {
  trainable = head + lora + adapter + prompt + prefix + bias + ia3 + layernorm + backbone;
  percent = total > 0 ? 100.0 * double(trainable) / double(total) : 0.0;
}

nlohmann::json ParamBreakdown::toJson() const {
  return {{"trainable", trainable}, {"total", total}, {"percent", percent},
          {"groups",
           {{"head", head}, {"lora", lora}, {"adapter", adapter}, {"prompt", prompt}, {"prefix", prefix},
            {"bias", bias}, {"ia3", ia3}, {"layernorm", layernorm}, {"backbone", backbone}}}};
}

bool ParamBreakdown::operator==(const ParamBreakdown& o) const {
  return head == o.head && lora == o.lora && adapter == o.adapter && prompt == o.prompt && prefix == o.prefix &&
         bias == o.bias && ia3 == o.ia3 && layernorm == o.layernorm && backbone == o.backbone &&
         total == o.total && trainable == o.trainable;
}

ParamBreakdown ParamBreakdown::fromJson(const nlohmann::json& j) {
  ParamBreakdown b;
  if (j.contains("groups"))
    for (auto& [group, n] : j.at("groups").items()) b.add(group, n.get<int64_t>());
  b.total = j.value("total", int64_t(0));
  b.finish();
  return b;
}

}  // namespace pw
