// The table of fuzz targets (see fuzz_targets.h); scripts/fuzz.sh runs each under libFuzzer.
#include "fuzz_targets.h"

namespace pw::fuzz {

void runJson(const std::string&);
void runSafetensors(const std::string&);
void runConfig(const std::string&);
void runTorchPickle(const std::string&);
void runVocabTxt(const std::string&);
void runBpeFiles(const std::string&);
void runTokenizerJson(const std::string&);
void runDataset(const std::string&);
void runSession(const std::string&);
void runModelFolder(const std::string&);
void runAdapterFolder(const std::string&);
void runHubAnswers(const std::string&);
std::vector<std::string> jsonSeeds();
std::vector<std::string> safetensorsSeeds();
std::vector<std::string> configSeeds();
std::vector<std::string> torchPickleSeeds();
std::vector<std::string> vocabTxtSeeds();
std::vector<std::string> bpeSeeds();
std::vector<std::string> tokenizerJsonSeeds();
std::vector<std::string> datasetSeeds();
std::vector<std::string> sessionSeeds();
std::vector<std::string> modelFolderSeeds();
std::vector<std::string> adapterFolderSeeds();
std::vector<std::string> hubAnswerSeeds();

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"json", "any JSON file (util/strict_json)", runJson, jsonSeeds},
      {"safetensors", "a safetensors file image", runSafetensors, safetensorsSeeds},
      {"torch_pickle", "a torch.save file (pytorch_model.bin), or its data.pkl and storages", runTorchPickle,
       torchPickleSeeds},
      {"config", "config.json, counted for every method", runConfig, configSeeds},
      {"vocab_txt", "vocab.txt + tokenizer_config.json", runVocabTxt, vocabTxtSeeds},
      {"bpe_files", "vocab.json + merges.txt", runBpeFiles, bpeSeeds},
      {"tokenizer_json", "tokenizer.json", runTokenizerJson, tokenizerJsonSeeds},
      {"dataset", "CSV / TSV / JSON Lines, one file or a folder of splits", runDataset, datasetSeeds},
      {"session", "a .pwb session file", runSession, sessionSeeds},
      {"model_folder", "config.json + model.safetensors + tokenizer files", runModelFolder, modelFolderSeeds},
      {"adapter_folder", "adapter_config.json + adapter_model.safetensors on a base model", runAdapterFolder,
       adapterFolderSeeds},
      {"hub_answers", "a Hub server's model-info JSON, resolve header lines and error body", runHubAnswers,
       hubAnswerSeeds},
  };
  return all;
}

const Target* findTarget(const std::string& name) {
  for (const auto& t : targets())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace pw::fuzz
