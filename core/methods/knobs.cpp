// Method knob parsing (see knobs.h).
#include "methods/knobs.h"

#include <cmath>
#include <sstream>

#include "util/error.h"

namespace pw {

std::string knobFlag(const std::string& key) {
  std::string s = "--" + key;
  for (auto& ch : s)
    if (ch == '_') ch = '-';
  return s;
}

std::string knobKey(std::string s) {
  for (auto& ch : s)
    if (ch == '-') ch = '_';
  return s;
}

KnobReader::KnobReader(const nlohmann::json& knobs, std::string method) : method_(std::move(method)) {
  if (knobs.is_null()) knobs_ = nlohmann::json::object();
  else if (!knobs.is_object()) throw Error("knobs of method '" + method_ + "' must be a JSON object");
  else knobs_ = knobs;
}

const nlohmann::json* KnobReader::find(const std::string& key) {
  used_.insert(key);
  auto it = knobs_.find(key);
  if (it == knobs_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string KnobReader::text(const nlohmann::json& v) const { return v.is_string() ? v.get<std::string>() : v.dump(); }

int64_t KnobReader::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  int64_t x = 0;
  bool ok = false;
  if (v->is_number_integer()) {
    x = v->get<int64_t>();
    ok = true;
  } else if (v->is_string()) {
    try {
      size_t used = 0;
      x = std::stoll(v->get<std::string>(), &used);
      ok = used == v->get<std::string>().size();
    } catch (const std::exception&) {
    }
  }
  if (!ok) throw Error(knobFlag(key) + " expects an integer, got '" + text(*v) + "'");
  if (x < min || x > max)
    throw Error(knobFlag(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                " for method '" + method_ + "', got " + std::to_string(x));
  return x;
}

double KnobReader::number(const std::string& key, double fallback, double minExclusive, double max) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  double x = 0;
  bool ok = false;
  if (v->is_number()) {
    x = v->get<double>();
    ok = true;
  } else if (v->is_string()) {
    try {
      size_t used = 0;
      x = std::stod(v->get<std::string>(), &used);
      ok = used == v->get<std::string>().size();
    } catch (const std::exception&) {
    }
  }
  if (!ok || !std::isfinite(x)) throw Error(knobFlag(key) + " expects a number, got '" + text(*v) + "'");
  if (!(x > minExclusive) || x > max) {
    std::ostringstream o;
    o << knobFlag(key) << " must be > " << minExclusive << " and <= " << max << " for method '" << method_
      << "', got " << x;
    throw Error(o.str());
  }
  return x;
}

std::string KnobReader::choice(const std::string& key, const std::string& fallback,
                               const std::vector<std::string>& allowed) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  std::string s = text(*v);
  for (const auto& a : allowed)
    if (a == s) return s;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw Error(knobFlag(key) + " must be one of " + list + ", got '" + s + "'");
}

bool KnobReader::flag(const std::string& key, bool fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (v->is_boolean()) return v->get<bool>();
  std::string s = text(*v);
  if (s == "true" || s == "1" || s == "yes") return true;
  if (s == "false" || s == "0" || s == "no") return false;
  throw Error(knobFlag(key) + " expects true or false, got '" + s + "'");
}

std::vector<std::string> KnobReader::list(const std::string& key, const std::vector<std::string>& fallback) {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  std::vector<std::string> out;
  auto addItem = [&](std::string s) {
    size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(s.substr(a, b - a + 1));
  };
  if (v->is_array()) {
    for (const auto& item : *v) {
      if (!item.is_string()) throw Error(knobFlag(key) + " must list names (strings)");
      addItem(item.get<std::string>());
    }
  } else if (v->is_string()) {
    std::stringstream ss(v->get<std::string>());
    std::string item;
    while (std::getline(ss, item, ',')) addItem(item);
  } else {
    throw Error(knobFlag(key) + " must be a comma-separated list of names");
  }
  if (out.empty()) throw Error(knobFlag(key) + " is empty");
  return out;
}

void KnobReader::finish() const {
  for (auto it = knobs_.begin(); it != knobs_.end(); ++it) {
    if (!used_.count(it.key()))
      throw Error(knobFlag(it.key()) + " does not apply to method '" + method_ + "'");
  }
}

}  // namespace pw
