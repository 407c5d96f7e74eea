// Trainable parameters by group (torch-free, so the GUI can include it).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace pw {

// Trainable parameters by group ("head", and the groups the methods' descriptors declare: "lora", "bias", ...),
// plus the model's size. `total` is the base model plus the head (what the method adapts, the head counted
// once); `percent` = 100 * trainable / total.
struct ParamBreakdown {
  std::map<std::string, int64_t> groups;
  int64_t total = 0, trainable = 0;
  double percent = 0.0;

  int64_t group(const std::string& key) const;  // 0 when absent
  int64_t head() const { return group("head"); }
  void add(const std::string& group, int64_t n);
  void finish();                                  // sums trainable, computes percent
  // {"trainable","total","percent","groups":{...}}; "groups" names every registered group (0 when unused).
  nlohmann::json toJson() const;
  static ParamBreakdown fromJson(const nlohmann::json& j);  // the inverse of toJson
  bool operator==(const ParamBreakdown& o) const;  // zero groups count as absent
};

}  // namespace pw
