// Trainable parameters by group (torch-free, so the GUI can include it).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace pw {

// Trainable parameters by group, plus the model's size. `total` is the base model plus the head (what the
// method adapts, the head counted once); `percent` = 100 * trainable / total.
struct ParamBreakdown {
  int64_t head = 0, lora = 0, adapter = 0, prompt = 0, prefix = 0, bias = 0, ia3 = 0, layernorm = 0,
          backbone = 0;
  int64_t total = 0, trainable = 0;
  double percent = 0.0;

  void add(const std::string& group, int64_t n);  // throws on an unknown group
  void finish();                                  // sums trainable, computes percent
  nlohmann::json toJson() const;                  // {"trainable","total","percent","groups":{...}}
  static ParamBreakdown fromJson(const nlohmann::json& j);  // the inverse of toJson
  bool operator==(const ParamBreakdown& o) const;
};

}  // namespace pw
