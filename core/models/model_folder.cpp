// Model folder load and save (see model_folder.h; the lookup by name is model_paths.cpp).
#include "models/model_folder.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "io/weights_folder.h"
#include "util/error.h"
#include "util/strict_json.h"

namespace fs = std::filesystem;

namespace pw {
namespace {

const char* kTokenizerFiles[] = {"vocab.txt", "vocab.json", "merges.txt", "tokenizer.json",
                                 "tokenizer_config.json", "special_tokens_map.json"};

bool hasHead(const io::TensorMap& w, bool bert) {
  for (const auto& [name, t] : w) {
    if (bert ? name == "classifier.weight" : name == "score.weight") return true;
  }
  return false;
}

// A tokenizer_config.json whose model_max_length exceeds the model's positions promises inputs the model
// cannot take (a tokenizer trained with GPT-2's 1024 on a 512-position model): cap it at the positions.
void capTokenizerMaxLength(const std::string& folder, int64_t maxPositions) {
  const fs::path file = fs::path(folder) / "tokenizer_config.json";
  if (!fs::exists(file)) return;
  nlohmann::json j = readStrictJsonFile(file.string());
  const auto it = j.find("model_max_length");
  if (it == j.end() || !it->is_number() || it->get<double>() <= double(maxPositions)) return;
  *it = maxPositions;
  std::ofstream out(file);
  out << j.dump(2) << "\n";
  if (!out) throw fileError(file.string(), "cannot write");
}

}  // namespace

LoadedModel loadModel(const std::string& nameOrPath, const LoadOptions& options) {
  LoadedModel out;
  out.folder = resolveModelFolder(nameOrPath);
  const std::string configPath = (fs::path(out.folder) / "config.json").string();
  ModelConfig config = readConfigFile(configPath);
  io::TensorMap weights;
  if (!options.randomInit) weights = io::loadFolderWeights(out.folder);
  const bool bert = config.family == Family::Bert;
  std::vector<std::string> labels = config.labels;
  config.labels.clear();
  out.model = TransformerModel(config);
  if (options.withMlmHead) out.model->enableMlmHead();
  if (options.randomInit) {
    initialiseWeights(*out.model, options.seed);
  } else {
    if (hasHead(weights, bert)) {
      const at::Tensor& w = weights.count(bert ? "classifier.weight" : "score.weight")
                                ? weights.at(bert ? "classifier.weight" : "score.weight")
                                : at::Tensor();
      int64_t classes = w.defined() && w.dim() == 2 ? w.size(0) : 0;
      if (labels.size() != size_t(classes)) {
        labels.clear();
        for (int64_t i = 0; i < classes; ++i) labels.push_back("LABEL_" + std::to_string(i));
      }
      if (classes > 0) out.model->setClassifier(labels);
    }
    const std::string weightsName = io::folderWeightsFile(out.folder);
    io::checkFinite(weights, weightsName);
    out.report = loadHuggingFaceWeights(*out.model, weights, weightsName);
  }
  if (options.withTokenizer) {
    bool any = false;
    for (const char* f : kTokenizerFiles) any = any || fs::exists(fs::path(out.folder) / f);
    if (any) out.tokenizer = tok::loadTokenizer(out.folder);
    // An id past the embedding's last row would "encode" fine and fail deep inside training.
    if (out.tokenizer && out.tokenizer->vocabSize() > config.vocabSize)
      throw fileError(out.folder, "the tokenizer has " + std::to_string(out.tokenizer->vocabSize()) +
                                      " tokens but the embedding (config.json's vocab_size) has only " +
                                      std::to_string(config.vocabSize) + " rows: tokenizer and weights do not match");
  }
  return out;
}

void saveModel(TransformerModelImpl& model, const std::string& folder, io::StoreDtype dtype,
               const std::string& tokenizerFrom) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw fileError(folder, "cannot create folder: " + ec.message());
  writeConfigFile(model.config(), (fs::path(folder) / "config.json").string());
  io::saveFolderWeights(folder, toHuggingFaceWeights(model), dtype);
  if (!tokenizerFrom.empty() && fs::weakly_canonical(tokenizerFrom) != fs::weakly_canonical(folder)) {
    for (const char* f : kTokenizerFiles) {
      fs::path src = fs::path(tokenizerFrom) / f;
      if (fs::exists(src)) fs::copy_file(src, fs::path(folder) / f, fs::copy_options::overwrite_existing, ec);
      if (ec) throw fileError(src.string(), "cannot copy: " + ec.message());
    }
    capTokenizerMaxLength(folder, model.config().maxPositions - model.config().positionOffset);
  }
}

}  // namespace pw
