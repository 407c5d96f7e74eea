// Numbers as people read them in tables and notes.
#pragma once
#include <string>

namespace pw {

std::string groupDigits(long long n);  // 1234567 -> "1,234,567"

}  // namespace pw
