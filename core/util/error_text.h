// What a user reads for an exception: its message without LibTorch's C++ backtrace (a c10::Error's what()
// carries frames #0..#13). Torch-free, so the window's catch blocks can use it.
#pragma once
#include <exception>
#include <string>

namespace pw {

std::string errorText(const std::exception& e);

}  // namespace pw
