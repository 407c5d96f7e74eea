// Fuzz targets for the file formats under everything else: strict JSON, safetensors, config.json.
#include <ATen/ATen.h>

#include "fuzz_targets.h"
#include "io/safetensors.h"
#include "methods/catalog.h"
#include "methods/method.h"
#include "models/config.h"
#include "util/strict_json.h"

namespace pw::fuzz {

// Any bytes as one JSON file; what parses must print and parse back to the same value.
void runJson(const std::string& input) {
  guarded({"fuzz.json"}, [&] {
    const nlohmann::json j = parseStrictJson(input, "fuzz.json");
    const std::string printed = j.dump();
    if (parseStrictJson(printed, "fuzz.json (printed)") != j) throw Finding("JSON does not round-trip: " + printed);
  });
}

std::vector<std::string> jsonSeeds() {
  return {testData("configs/bert-base-uncased.json"), testData("configs/gpt2.json"),
          R"({"a": [1, -2.5e3, true, null, "\u00e9\ud83d\ude00"], "b": {"c": {}}})", "[]", "0"};
}

// Any bytes as a safetensors file image; what decodes must hold finite floats and write back the same.
void runSafetensors(const std::string& input) {
  guarded({"fuzz.safetensors"}, [&] {
    const io::TensorMap tensors = io::decodeSafetensors(input, "fuzz.safetensors");
    io::checkFinite(tensors, "fuzz.safetensors");
    const io::SafetensorsHeader header = io::parseSafetensors(input, "fuzz.safetensors");
    if (header.tensors.size() != tensors.size()) throw Finding("header and decoded tensors differ in number");
    const io::TensorMap again = io::decodeSafetensors(io::serializeSafetensors(tensors), "fuzz.safetensors (written)");
    for (const auto& [name, t] : tensors)
      if (!again.count(name) || !again.at(name).equal(t)) throw Finding("tensor " + name + " does not round-trip");
  });
}

std::vector<std::string> safetensorsSeeds() {
  io::TensorMap t;
  t["a.weight"] = at::arange(6, at::kFloat).reshape({2, 3});
  t["b.bias"] = at::zeros({0});
  t["ids"] = at::arange(4, at::kLong);
  t["mask"] = at::ones({3}, at::kBool);
  io::TensorMap one;
  one["x"] = at::full({2, 2}, 0.5);
  return {io::serializeSafetensors(t), io::serializeSafetensors(t, io::StoreDtype::BF16, {{"pw_knobs", "{\"rank\": 2}"}}),
          io::serializeSafetensors(one, io::StoreDtype::F16)};
}

// Any bytes as config.json: read, counted for every method as `params --config` does, written and read back.
void runConfig(const std::string& input) {
  const std::string dir = freshScratchDir(), path = dir + "/config.json";
  writeFile(path, input);
  guarded({"config.json"}, [&] {
    const ModelConfig c = readConfigFile(path);
    const ModelConfig back = ModelConfig::fromJson(c.toJson(), "config.json (written back)");
    if (back.hidden != c.hidden || back.layers != c.layers || back.vocabSize != c.vocabSize ||
        back.heads != c.heads || back.intermediate != c.intermediate || back.maxPositions != c.maxPositions ||
        back.family != c.family || back.labels != c.labels)
      throw Finding("config.json does not round-trip");
    for (const std::string& name : methodNames()) {
      auto method = createMethod(name);
      const ParamBreakdown b = countParameters(c, *method, c.labels.empty() ? 2 : int64_t(c.labels.size()));
      if (b.total <= 0 || b.trainable < 0 || b.trainable > b.total)
        throw Finding(name + ": impossible parameter counts for a config that was accepted");
    }
  });
}

std::vector<std::string> configSeeds() {
  return {testData("configs/bert-base-uncased.json"), testData("configs/gpt2.json"),
          testData("configs/roberta-large.json"), readFile(std::string(PW_RESOURCE_DIR) + "/models/tiny-bert/config.json"),
          readFile(std::string(PW_RESOURCE_DIR) + "/models/tiny-gpt2/config.json")};
}

}  // namespace pw::fuzz
