// Splitting text around literal special tokens ("[MASK]", "<|endoftext|>") so they stay single tokens.
#pragma once
#include <string>
#include <vector>

namespace pw::tok {

struct TextPiece {
  std::string text;
  bool special = false;
};

// Cuts text at every occurrence of one of `specials` (the longest wins where several start at one
// position); ordinary stretches come back with special = false.
std::vector<TextPiece> splitOnSpecials(const std::string& text, const std::vector<std::string>& specials);

}  // namespace pw::tok
