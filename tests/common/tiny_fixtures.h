// Shared fixtures of the engine tests (train, tune): an easy two-class task (animal vs money sentences, with an
// optional OOD split in other words) and a random 2-layer model with a shipped model's tokenizer.
// Header-only; include it after <torch/torch.h>.
#pragma once
#include <fstream>
#include <string>
#include <vector>

#include "models/model_folder.h"

namespace pwtest {

inline void writeTinyTask(const std::string& dir, bool withOod) {
  const std::vector<std::string> animals = {"the cat sat on the mat", "a dog ran in the field",
                                            "the horse ate some grass", "a bird sang in the tree",
                                            "the cow slept in the barn", "a fish swam in the river"};
  const std::vector<std::string> money = {"the bank paid the interest", "prices rose on the market",
                                          "the tax was paid in gold", "a loan was sold for cash",
                                          "the price of silver fell", "wages were paid by the bank"};
  const std::vector<std::string> oodAnimals = {"wolves hunt deer at night", "the sheep and goats graze",
                                               "an eagle caught a rabbit", "the lion sleeps all day"};
  const std::vector<std::string> oodMoney = {"merchants trade coins for credit", "the debt grew with the rent",
                                             "profit and payment were low", "the merchant owed money"};
  auto write = [&](const std::string& name, int repeat, const std::vector<std::string>& a,
                   const std::vector<std::string>& m) {
    std::ofstream f(dir + "/" + name + ".csv");
    f << "text,label\n";
    for (int r = 0; r < repeat; ++r)
      for (size_t i = 0; i < a.size(); ++i) {
        f << a[i] << (r ? " again" : "") << ",animal\n";
        f << m[i] << (r ? " again" : "") << ",money\n";
      }
  };
  write("train", 4, animals, money);
  write("validation", 1, animals, money);
  write("test", 1, animals, money);
  if (withOod) write("ood", 1, oodAnimals, oodMoney);
}

// A small random model of `family` with the shipped model's tokenizer.
inline void writeTinyModel(const std::string& dir, pw::Family family) {
  const std::string shipped = pw::resolveModelFolder(family == pw::Family::Bert ? "tiny-bert" : "tiny-gpt2");
  pw::ModelConfig shippedConfig = pw::readConfigFile(shipped + "/config.json");
  pw::ModelConfig c = pw::makeConfig(family, shippedConfig.vocabSize, 2, 32, 2, 64);
  c.maxPositions = 128;
  c.padTokenId = shippedConfig.padTokenId;
  pw::TransformerModel m(c);
  pw::initialiseWeights(*m, 3);
  pw::saveModel(*m, dir, pw::io::StoreDtype::F32, shipped);
}

}  // namespace pwtest
