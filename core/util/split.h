// "a,b,,c" -> {"a", "b", "c"}: comma lists as the CLI and the knob defaults write them (empty items dropped).
#pragma once
#include <string>
#include <vector>

namespace pw {

std::vector<std::string> splitList(const std::string& s, char separator = ',');

}  // namespace pw
