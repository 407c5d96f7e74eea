// Fuzz targets for whole folders: a Hugging Face model folder (config.json, model.safetensors, tokenizer
// files) and an adapter folder (adapter_config.json + adapter_model.safetensors) loaded onto a base model.
// What loads must run a forward pass on the tokenizer's ids.
#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <filesystem>

#include "fuzz_targets.h"
#include "methods/adapter_folder.h"
#include "methods/method.h"
#include "models/config.h"
#include "models/model_folder.h"
#include "tokenizers/tokenizer.h"

namespace pw::fuzz {
namespace {

ModelInputs inputsFor(const tok::Tokenizer* t, int64_t vocab) {
  std::vector<int64_t> ids = t ? t->encode("the quick fox") : std::vector<int64_t>{1, 2, 3};
  if (ids.empty()) ids = {0};
  for (int64_t& id : ids) id = std::min(id, vocab - 1);
  ModelInputs in;
  in.ids = at::tensor(ids, at::kLong).reshape({1, int64_t(ids.size())});
  in.mask = at::ones_like(in.ids);
  return in;
}

void checkLogits(const at::Tensor& logits, int64_t classes) {
  if (logits.dim() != 2 || logits.size(0) != 1 || logits.size(1) != classes)
    throw Finding("logits of the wrong shape for " + std::to_string(classes) + " classes");
}

// A small base model of each family, the same every time ("G" at the start of an input picks GPT-2).
TransformerModel baseModel(Family family) {
  ModelConfig c = makeConfig(family, 60, 2, 16, 4, 32);
  TransformerModel m(c);
  initialiseWeights(*m, 1);
  m->setClassifier({"neg", "pos"});
  m->eval();
  return m;
}

}  // namespace

void runModelFolder(const std::string& input) {
  const std::vector<std::string> names = {"config.json", "model.safetensors", "vocab.txt", "vocab.json", "merges.txt"};
  const std::string dir = freshScratchDir();
  const std::vector<std::string> parts = splitFiles(input);
  for (size_t i = 0; i < names.size() && i < parts.size(); ++i)
    if (!parts[i].empty()) writeFile(dir + "/" + names[i], parts[i]);
  guarded(names, [&] {
    LoadedModel loaded = loadModel(dir);
    if (!loaded.model->hasClassifier()) loaded.model->setClassifier({"a", "b"});
    loaded.model->eval();
    at::NoGradGuard noGrad;
    checkLogits(loaded.model->classify(inputsFor(loaded.tokenizer.get(), loaded.model->config().vocabSize)),
                loaded.model->numClasses());
  });
}

std::vector<std::string> modelFolderSeeds() {
  std::vector<std::string> seeds;
  const std::string dir = freshScratchDir();
  for (Family family : {Family::Bert, Family::Gpt2}) {
    const bool bert = family == Family::Bert;
    ModelConfig c = makeConfig(family, bert ? 26 : 19, 2, 16, 4, 32);
    TransformerModel m(c);
    initialiseWeights(*m, 1);
    const std::string folder = dir + (bert ? "/bert" : "/gpt2");
    saveModel(*m, folder, io::StoreDtype::F32);
    const std::string tokenizers = std::string(PW_TEST_DATA) + "/tokenizers/";
    if (bert)
      seeds.push_back(joinFiles({readFile(folder + "/config.json"), readFile(folder + "/model.safetensors"),
                                 readFile(tokenizers + "bert_tiny/vocab.txt")}));
    else
      seeds.push_back(joinFiles({readFile(folder + "/config.json"), readFile(folder + "/model.safetensors"), "",
                                 readFile(tokenizers + "gpt2_tiny/vocab.json"), readFile(tokenizers + "gpt2_tiny/merges.txt")}));
  }
  return seeds;
}

void runAdapterFolder(const std::string& input) {
  const bool gpt2 = !input.empty() && input[0] == 'G';
  const std::vector<std::string> parts = splitFiles(input.substr(gpt2 ? 1 : 0));
  const std::vector<std::string> names = {"adapter_config.json", "adapter_model.safetensors"};
  const std::string dir = freshScratchDir();
  for (size_t i = 0; i < names.size() && i < parts.size(); ++i) writeFile(dir + "/" + names[i], parts[i]);
  TransformerModel model = baseModel(gpt2 ? Family::Gpt2 : Family::Bert);
  guarded(names, [&] {
    const std::unique_ptr<Method> method = loadAdapter(*model, dir);
    if (!method) throw Finding("loadAdapter returned nothing");
    model->eval();
    at::NoGradGuard noGrad;
    checkLogits(classifyWith(*model, *method, inputsFor(nullptr, model->config().vocabSize)), model->numClasses());
  });
}

std::vector<std::string> adapterFolderSeeds() {
  std::vector<std::string> seeds;
  const std::string dir = freshScratchDir();
  int n = 0;
  for (Family family : {Family::Bert, Family::Gpt2})
    for (const auto& [name, knobs] : std::vector<std::pair<std::string, nlohmann::json>>{
             {"lp", {}}, {"prompt", {{"length", 3}, {"init", "random"}}}, {"prefix", {{"length", 2}}},
             {"adapter", {{"adapter_size", 4}}}, {"lora", {{"rank", 2}}}, {"bitfit", {}}, {"ia3", {}}}) {
      TransformerModel model = baseModel(family);
      auto method = createMethod(name, knobs.is_null() ? nlohmann::json::object() : knobs);
      applyMethod(*model, *method);
      const std::string folder = dir + "/a" + std::to_string(n++);
      saveAdapter(*model, *method, folder, "tiny");
      seeds.push_back((family == Family::Gpt2 ? "G" : "") +
                      joinFiles({readFile(folder + "/adapter_config.json"), readFile(folder + "/adapter_model.safetensors")}));
    }
  return seeds;
}

}  // namespace pw::fuzz
