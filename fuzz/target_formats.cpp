// Fuzz targets for the file formats under everything else: strict JSON, safetensors, torch.save files,
// config.json.
#include <ATen/ATen.h>

#include <cstring>

#include "fuzz_targets.h"
#include "io/safetensors.h"
#include "io/torch_pickle.h"
#include "io/zip_archive.h"
#include "methods/catalog.h"
#include "methods/method.h"
#include "models/config.h"
#include "util/error.h"
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

// A torch.save file (pytorch_model.bin). An input starting like a ZIP archive is read as the file itself (the
// container's checks); any other is data.pkl plus storages data/0, data/1, ... wrapped in a well-formed archive,
// so mutations reach the pickle machine past the CRC-32 checks. What decodes must be contiguous tensors, the
// same when decoded again.
void runTorchPickle(const std::string& input) {
  std::string image = input;
  if (!io::looksLikeZip(input)) {
    const std::vector<std::string> files = splitFiles(input);
    std::vector<std::pair<std::string, std::string>> entries = {{"archive/data.pkl", files[0]}};
    for (size_t i = 1; i < files.size(); ++i) entries.push_back({"archive/data/" + std::to_string(i - 1), files[i]});
    image = io::storedZip(entries);
  }
  guarded({"pytorch_model.bin"}, [&] {
    const io::TensorMap tensors = io::decodeTorchPickle(image, "pytorch_model.bin");
    const io::TensorMap again = io::decodeTorchPickle(image, "pytorch_model.bin");
    for (const auto& [name, t] : tensors) {
      if (!t.is_contiguous()) throw Finding("tensor " + name + " is not contiguous");
      // Bit for bit (random bytes make NaNs, which equal() never calls equal).
      const auto it = again.find(name);
      if (it == again.end() || it->second.sizes() != t.sizes() || it->second.scalar_type() != t.scalar_type() ||
          (t.numel() > 0 && std::memcmp(it->second.data_ptr(), t.data_ptr(), size_t(t.numel()) * t.element_size()) != 0))
        throw Finding("tensor " + name + " decodes differently");
    }
  });
}

std::vector<std::string> torchPickleSeeds() {
  std::vector<std::string> seeds;
  for (const char* file : {"torch_pickle/kinds.bin", "torch_pickle/bert_bin/pytorch_model.bin",
                           "torch_pickle/lora_bin/adapter_model.bin"}) {
    const std::string bytes = testData(file);
    seeds.push_back(bytes);
    // The same file taken apart: data.pkl, then the storages in key order.
    const io::ZipArchive zip(bytes, file);
    std::vector<std::string> parts;
    for (const auto& [name, data] : zip.entries())
      if (name.size() > 8 && name.compare(name.size() - 8, 8, "data.pkl") == 0) parts.insert(parts.begin(), std::string(data));
    for (int key = 0;; ++key) {
      std::string found;
      bool any = false;
      for (const auto& [name, data] : zip.entries())
        if (name.size() > 6 && name.substr(name.find('/') + 1) == "data/" + std::to_string(key)) found = data, any = true;
      if (!any) break;
      parts.push_back(found);
    }
    seeds.push_back(joinFiles(parts));
  }
  return seeds;
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
      // A method may refuse a model it cannot fit with its default knobs (a prompt of 20 tokens on a model of
      // 16 positions): that is a clean refusal about the knobs, not a reading error of the file (found by the
      // fuzzer: a GPT-2 config of n_positions 1).
      try {
        method->validate(c);
      } catch (const Error& e) {
        if (std::string(e.what()).find("positions") == std::string::npos)
          throw Finding(name + " refused an accepted config without saying why: " + e.what());
        continue;
      }
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
