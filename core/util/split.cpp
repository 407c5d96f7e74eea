// Comma lists (see split.h).
#include "util/split.h"

#include <sstream>

namespace pw {

std::vector<std::string> splitList(const std::string& s, char separator) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, separator))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace pw
