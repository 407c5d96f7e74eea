// The CLI's dispatcher: runs one registered subcommand (see command.h); main.cpp only calls runCli.
#include <iostream>

#include "command.h"
#include "util/allocator.h"
#include "util/error.h"
#include "util/threads.h"

namespace pw::cli {

std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> commands;
  return commands;
}

void printJson(const nlohmann::json& j) { std::cout << j.dump() << std::endl; }

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() ? fallback : it->second;
}

std::string Args::require(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) throw Error("missing required option --" + name);
  return it->second;
}

long long Args::getInt(const std::string& name, long long fallback) const {
  auto it = options.find(name);
  if (it == options.end()) return fallback;
  try {
    size_t used = 0;
    long long v = std::stoll(it->second, &used);
    if (used != it->second.size()) throw std::invalid_argument("trailing");
    return v;
  } catch (const std::exception&) {
    throw Error("--" + name + " expects an integer, got '" + it->second + "'");
  }
}

double Args::getDouble(const std::string& name, double fallback) const {
  auto it = options.find(name);
  if (it == options.end()) return fallback;
  try {
    size_t used = 0;
    double v = std::stod(it->second, &used);
    if (used != it->second.size()) throw std::invalid_argument("trailing");
    return v;
  } catch (const std::exception&) {
    throw Error("--" + name + " expects a number, got '" + it->second + "'");
  }
}

namespace {

void printUsage(std::ostream& out) {
  out << "usage: peft-workbench-cli COMMAND [ARGS] [--json]\n\ncommands:\n";
  for (const auto& [name, c] : registry()) {
    out << "  " << name << " " << c.usage << "\n      " << c.summary << "\n";
  }
}

Args parse(const Command& c, int argc, char** argv) {
  Args a;
  std::set<std::string> opts(c.options.begin(), c.options.end());
  std::set<std::string> flags(c.flags.begin(), c.flags.end());
  flags.insert("json");
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    if (s.size() > 2 && s.rfind("--", 0) == 0) {
      std::string name = s.substr(2), value;
      bool inlineValue = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inlineValue = true;
      }
      if (flags.count(name) && !inlineValue) {
        a.flags.insert(name);
      } else if (opts.count(name)) {
        if (!inlineValue) {
          if (i + 1 >= argc) throw Error("option --" + name + " needs a value");
          value = argv[++i];
        }
        a.options[name] = value;
      } else {
        throw Error("unknown option --" + name + " for '" + c.name + "' (usage: " + c.name + " " +
                    c.usage + ")");
      }
    } else {
      a.positional.push_back(s);
    }
  }
  int n = static_cast<int>(a.positional.size());
  if (n < c.minPositional || n > c.maxPositional) {
    throw Error("wrong number of arguments for '" + c.name + "' (usage: " + c.name + " " + c.usage + ")");
  }
  return a;
}

}  // namespace

int runCli(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    printUsage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 1 : 0;
  }
  auto it = registry().find(argv[1]);
  if (it == registry().end()) {
    std::cerr << "error: unknown command '" << argv[1] << "'\n";
    printUsage(std::cerr);
    return 1;
  }
  try {
    pw::setupAllocator();
    pw::setupThreads();
    Args args = parse(it->second, argc, argv);
    return it->second.run(args);
  } catch (const pw::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const c10::Error& e) {
    std::cerr << "error: " << e.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace pw::cli
