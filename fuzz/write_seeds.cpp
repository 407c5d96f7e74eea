// fuzz_seeds OUT_DIR: writes every target's starting corpus to OUT_DIR/<target>/seed-N (scripts/fuzz.sh).
#include <filesystem>
#include <iostream>

#include "fuzz_targets.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_seeds OUT_DIR\n";
    return 2;
  }
  for (const auto& t : pw::fuzz::targets()) {
    const std::filesystem::path dir = std::filesystem::path(argv[1]) / t.name;
    std::filesystem::create_directories(dir);
    const std::vector<std::string> seeds = t.seeds();
    for (size_t i = 0; i < seeds.size(); ++i) pw::fuzz::writeFile((dir / ("seed-" + std::to_string(i))).string(), seeds[i]);
    std::cout << t.name << ": " << seeds.size() << " seeds\n";
  }
  return 0;
}
