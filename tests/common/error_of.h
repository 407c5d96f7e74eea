// Runs `fn` and returns the message of the pw::Error it throws, or "" when it throws nothing (any other
// exception propagates: a test that expects our words must not pass on a library's).
#pragma once
#include <functional>
#include <string>

#include "util/error.h"

namespace pwtest {

inline std::string errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const pw::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace pwtest
