// Adapter folder save/load (see adapter_folder.h). Our own facts (method name, knobs, class names, LP-FT
// stage) travel in the safetensors "__metadata__" (PEFT ignores it), and for our own peft_types also as
// "pw_*" keys of adapter_config.json.
#include "methods/adapter_folder.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "io/torch_pickle.h"
#include "io/weights_folder.h"
#include "methods/catalog.h"
#include "methods/model_layout.h"
#include "models/hf_weights.h"
#include "models/model_folder.h"
#include "util/error.h"
#include "util/strict_json.h"

namespace fs = std::filesystem;

namespace pw {
namespace {

const char* kConfigName = "adapter_config.json";
const char* kWeightsName = "adapter_model.safetensors";
const char* kPickleWeightsName = "adapter_model.bin";

// The first registered method with this adapter-file type ("FULL": ft, "LINEAR_PROBE": lp); null if none.
const MethodDescriptor* methodOfType(const std::string& type) {
  for (const auto& m : methodCatalog())
    if (m.peftType == type) return &m;
  return nullptr;
}

std::string typeList() {
  std::set<std::string> types;
  for (const auto& m : methodCatalog()) types.insert(m.peftType);
  std::string list;
  for (const auto& t : types) list += (list.empty() ? "" : ", ") + t;
  return list;
}

void writeJsonFile(const std::string& path, const nlohmann::json& j) {
  std::ofstream out(path);
  if (!out) throw fileError(path, "cannot write");
  out << j.dump(2) << "\n";
  if (!out) throw fileError(path, "write failed (disk full?)");
}

nlohmann::json readJsonFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw fileError(path, "cannot open (an adapter folder needs adapter_config.json)");
  nlohmann::json j = readStrictJsonFile(path);
  if (!j.is_object()) throw fileError(path, "must be a JSON object");
  return j;
}

std::vector<std::string> labelsFor(int64_t classes, const nlohmann::json& saved) {
  std::vector<std::string> labels;
  if (saved.is_array() && int64_t(saved.size()) == classes)
    for (const auto& l : saved) labels.push_back(l.is_string() ? l.get<std::string>() : l.dump());
  else
    for (int64_t i = 0; i < classes; ++i) labels.push_back("LABEL_" + std::to_string(i));
  return labels;
}

std::string stripPrefix(const std::string& name) {
  for (const char* p : {"base_model.model.", "base_model."})
    if (name.rfind(p, 0) == 0) return name.substr(std::string(p).size());
  return name;
}

// The head's shape in `file` decides the number of classes; its hidden size must be the model's.
void setHeadFromFile(TransformerModelImpl& model, const io::TensorMap& file, const nlohmann::json& labels,
                     const std::string& fileName) {
  const std::string w = hfHeadNames(model.config())[0];
  for (const auto& [name, t] : file) {
    if (stripPrefix(name) != w) continue;
    if (t.dim() != 2 || t.size(1) != model.config().hidden)
      throw fileError(fileName, "tensor \"" + name + "\" has shape " + shapeText(t.sizes().vec()) +
                                    " but this base model's hidden size is " + std::to_string(model.config().hidden) +
                                    ": the adapter was made for another base model");
    model.setClassifier(labelsFor(t.size(0), labels));
  }
}

// The method's tensors, then what is left: the head and trained base tensors, under Hugging Face names.
void importRest(TransformerModelImpl& model, Method& method, io::TensorMap& file, const std::string& weightsPath) {
  method.importTensors(model, file, weightsPath);
  if (file.empty()) return;
  io::TensorMap hf = toHuggingFaceWeights(model);
  for (auto& [name, t] : file) {
    auto it = hf.find(stripPrefix(name));
    if (it == hf.end())
      throw fileError(weightsPath, "tensor \"" + name + "\" has no place in this base model (an adapter for "
                                   "another model family, size or method?)");
    if (it->second.sizes() != t.sizes())
      throw fileError(weightsPath, "tensor \"" + name + "\" has shape " + shapeText(t.sizes().vec()) +
                                       " but this base model needs " + shapeText(it->second.sizes().vec()) +
                                       ": the adapter was made for another base model");
    it->second = t;
  }
  loadHuggingFaceWeights(model, hf, weightsPath);
}

}  // namespace

at::Tensor takeTensor(io::TensorMap& file, const std::string& name, const std::vector<int64_t>& shape,
                      const std::string& fileName) {
  auto it = file.find(name);
  if (it == file.end())
    throw fileError(fileName, "tensor \"" + name + "\" is missing (an adapter for another base model or method?)");
  at::Tensor t = it->second;
  if (t.sizes().vec() != shape)
    throw fileError(fileName, "tensor \"" + name + "\" has shape " + shapeText(t.sizes().vec()) +
                                  " but this base model needs " + shapeText(shape) +
                                  ": the adapter was made for another base model");
  if (!t.is_floating_point()) throw fileError(fileName, "tensor \"" + name + "\" is not floating point");
  file.erase(it);
  return t.to(torch::kFloat);
}

void saveAdapter(TransformerModelImpl& model, Method& method, const std::string& folder, const std::string& baseModel) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw fileError(folder, "cannot create folder: " + ec.message());
  const ModelConfig& config = model.config();
  const std::string type = method.peftType();
  std::map<std::string, std::string> meta = {{"pw_method", method.name()},
                                             {"pw_knobs", method.savedKnobs().dump()},
                                             {"pw_labels", nlohmann::json(config.labels).dump()},
                                             {"pw_stage", std::to_string(method.stage())}};
  nlohmann::json cfg = {{"peft_type", type}, {"task_type", "SEQ_CLS"}, {"base_model_name_or_path", baseModel},
                        {"inference_mode", true}, {"revision", nullptr}};
  cfg["modules_to_save"] = model.hasClassifier() ? nlohmann::json::array({model.isBert() ? "classifier" : "score"})
                                                 : nlohmann::json(nullptr);
  cfg.update(method.adapterConfig(model));
  if (!method.descriptor().peftStandard)
    for (const auto& [k, v] : meta) cfg[k] = k == "pw_knobs" || k == "pw_labels" ? nlohmann::json::parse(v)
                                                                                 : nlohmann::json(v);
  if (type == "FULL") {
    // Full weights are not an adapter: a whole model folder that loads anywhere a model does.
    saveModel(model, folder);
    writeJsonFile((fs::path(folder) / kConfigName).string(), cfg);
    return;
  }
  io::TensorMap tensors = method.exportTensors(model);
  const std::string headPrefix = method.promptLearning() ? "base_model." : "base_model.model.";
  std::set<std::string> baseNames;  // trained base tensors, by Hugging Face name
  for (const auto& t : baseTensors(config))
    if (!method.groupOf(t.name).empty()) baseNames.insert(hfTensorName(config, t.name));
  if (!baseNames.empty()) {
    io::TensorMap hf = toHuggingFaceWeights(model);
    for (const auto& n : baseNames) tensors["base_model.model." + n] = hf.at(n);
  }
  if (model.hasClassifier()) {
    tensors[headPrefix + hfHeadNames(config)[0]] = model.classifier->weight.detach().clone();
    if (model.isBert()) tensors[headPrefix + "classifier.bias"] = model.classifier->bias.detach().clone();
  }
  io::writeSafetensors((fs::path(folder) / kWeightsName).string(), tensors, io::StoreDtype::F32, meta);
  writeJsonFile((fs::path(folder) / kConfigName).string(), cfg);
}

std::unique_ptr<Method> loadAdapter(TransformerModelImpl& model, const std::string& folder, const InitContext& ctx) {
  const std::string configPath = (fs::path(folder) / kConfigName).string();
  nlohmann::json cfg = readJsonFile(configPath);
  const nlohmann::json typeField = cfg.contains("peft_type") ? cfg.at("peft_type") : nlohmann::json("");
  if (!typeField.is_string())  // found by fuzzing: `"peft_type": false` escaped as a library type error
    throw fileError(configPath, std::string("peft_type must be a string such as \"LORA\", got a ") +
                                    typeField.type_name());
  const std::string type = typeField.get<std::string>();
  const MethodDescriptor* ofType = methodOfType(type);
  if (!ofType) throw fileError(configPath, "unsupported peft_type \"" + type + "\" (supported: " + typeList() + ")");
  // Our facts: from the weights' metadata, else from adapter_config.json's pw_* keys.
  // PEFT before 0.6 saved adapter_model.bin (torch.save; read without running pickle code, no metadata).
  const fs::path safetensorsPath = fs::path(folder) / kWeightsName, binPath = fs::path(folder) / kPickleWeightsName;
  std::error_code ec;
  const bool fromBin = !fs::exists(safetensorsPath, ec) && fs::exists(binPath, ec);
  const std::string weightsPath = (fromBin ? binPath : safetensorsPath).string();
  std::map<std::string, std::string> meta;
  if (type != "FULL" && !fromBin) meta = io::readSafetensorsHeader(weightsPath).metadata;
  auto fact = [&](const std::string& key) -> nlohmann::json {
    if (meta.count(key)) {
      if (key == "pw_method" || key == "pw_stage") return meta.at(key);
      return parseStrictJson(meta.at(key), weightsPath + " (metadata \"" + key + "\")");
    }
    return cfg.contains(key) ? cfg.at(key) : nlohmann::json();
  };
  std::string methodName = ofType->name;
  if (fact("pw_method").is_string()) methodName = fact("pw_method").get<std::string>();
  const MethodDescriptor* descriptor = nullptr;
  try {
    descriptor = &methodDescriptor(methodName);
  } catch (const Error& e) {  // an unknown pw_method: say which file names it (found by fuzzing)
    throw fileError(meta.count("pw_method") ? weightsPath + " (metadata \"pw_method\")" : configPath, e.what());
  }
  nlohmann::json knobs = fact("pw_knobs");
  if (knobs.is_null()) {
    const auto fromPeft = descriptor->knobsFromPeft;
    try {
      knobs = fromPeft ? fromPeft(cfg) : nlohmann::json::object();
    } catch (const Error& e) {
      throw fileError(configPath, e.what());
    }
  }
  std::unique_ptr<Method> method;
  try {
    method = createMethod(methodName, knobs);
    method->validate(model.config());  // e.g. a LoRA target this model does not have
  } catch (const Error& e) {  // an unknown, out-of-range or unfitting knob: say which file holds it (found by fuzzing)
    const std::string where = meta.count("pw_knobs") ? weightsPath + " (metadata \"pw_knobs\")" : configPath;
    throw fileError(where, std::string("the method's knobs: ") + e.what());
  }
  const nlohmann::json stage = fact("pw_stage");
  if (!stage.is_null()) {
    const std::string text = stage.is_string() ? stage.get<std::string>() : stage.dump();
    if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != std::string::npos)
      throw fileError(weightsPath, "pw_stage must be a stage number, got \"" + text + "\"");
    const int number = std::stoi(text);
    if (number < 1 || number > method->stageCount())
      throw fileError(weightsPath, "pw_stage " + text + ": method '" + methodName + "' has stage(s) 1 to " +
                                       std::to_string(method->stageCount()));
    method->selectStage(number);
  }

  if (type == "FULL") {
    io::TensorMap weights = io::loadFolderWeights(folder);
    setHeadFromFile(model, weights, fact("pw_labels"), folder);
    try {
      loadHuggingFaceWeights(model, weights, (fs::path(folder) / "model.safetensors").string());
    } catch (const Error& e) {
      throw Error(std::string(e.what()) + " (the folder was made for another base model?)");
    }
    method->attach(model, ctx);
    applyTrainability(model, *method);
    return method;
  }
  io::TensorMap file = fromBin ? io::readTorchPickle(weightsPath) : io::readSafetensors(weightsPath);
  io::checkFinite(file, weightsPath);
  setHeadFromFile(model, file, fact("pw_labels"), weightsPath);
  InitContext fromFile = ctx;
  fromFile.shapesOnly = true;  // every tensor of the method is read from the file next
  method->attach(model, fromFile);
  try {
    importRest(model, *method, file, weightsPath);
  } catch (...) {
    method->setEnabled(model, false);  // leave the base model as it was, nothing half-loaded plugged in
    throw;
  }
  applyTrainability(model, *method);
  return method;
}

}  // namespace pw
