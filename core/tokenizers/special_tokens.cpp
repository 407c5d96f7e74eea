// Splitting text around literal special tokens.
#include "tokenizers/special_tokens.h"

namespace pw::tok {

std::vector<TextPiece> splitOnSpecials(const std::string& text, const std::vector<std::string>& specials) {
  std::vector<TextPiece> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t best = std::string::npos, bestLen = 0;
    for (const std::string& s : specials) {
      if (s.empty()) continue;
      size_t at = text.find(s, pos);
      if (at == std::string::npos) continue;
      if (at < best || (at == best && s.size() > bestLen)) {
        best = at;
        bestLen = s.size();
      }
    }
    if (best == std::string::npos) break;
    if (best > pos) out.push_back({text.substr(pos, best - pos), false});
    out.push_back({text.substr(best, bestLen), true});
    pos = best + bestLen;
  }
  if (pos < text.size()) out.push_back({text.substr(pos), false});
  return out;
}

}  // namespace pw::tok
