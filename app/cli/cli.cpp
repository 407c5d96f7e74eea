// The CLI's dispatcher: runs one registered subcommand (see command.h); main.cpp only calls runCli.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "command.h"
#include "method_args.h"
#include "option_help.h"
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
  out << "usage: peft-workbench-cli COMMAND [ARGS] [--json]   (COMMAND --help: its options)\n\ncommands:\n";
  for (const auto& [name, c] : registry()) {
    out << "  " << name << " " << c.usage << "\n      " << c.summary << "\n";
  }
}

std::string usageLine(const Command& c) { return "peft-workbench-cli " + c.name + " " + c.usage; }

// CLI11 writes the option list; the usage line is the command's own (it says which options go together), and it
// comes first, then what the command does.
class UsageFormatter : public CLI::Formatter {
 public:
  UsageFormatter(std::string usage, std::string summary) : usage_(std::move(usage)), summary_(std::move(summary)) {}
  std::string make_usage(const CLI::App*, std::string) const override {
    return "usage: " + usage_ + "\n" + summary_ + "\n";
  }
  std::string make_description(const CLI::App*) const override { return ""; }

 private:
  std::string usage_, summary_;
};

// The command's options as a CLI11 app. `values` and `set` receive what was given; positionals and unknown
// options are left in app.remaining() (allow_extras) so that their messages keep naming the command's usage.
struct Bound {
  std::map<std::string, std::string> values;
  std::map<std::string, bool> set;
};

constexpr size_t kNameColumn = 28, kHelpWidth = 72;  // the help reads within 100 columns

// Breaks a description into lines of at most kHelpWidth at spaces (CLI11 indents each new line).
std::string wrapped(const std::string& text) {
  std::string out, line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > kHelpWidth) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return out + line;
}

std::unique_ptr<CLI::App> makeApp(const Command& c, Bound& b) {
  auto app = std::make_unique<CLI::App>(c.summary, "peft-workbench-cli " + c.name);
  auto fmt = std::make_shared<UsageFormatter>(usageLine(c), c.summary);
  fmt->column_width(kNameColumn);
  app->formatter(fmt);
  app->allow_extras();
  app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::vector<std::string> names, flags = c.flags;
  for (const auto& o : c.options) {
    if (o != kMethodKnobs) {
      names.push_back(o);
      continue;
    }
    for (const auto& k : methodKnobNames(false)) names.push_back(k);
    for (const auto& k : methodKnobNames(true)) flags.push_back(k);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const auto& name : names) {
    const OptionHelp h = optionHelp(c, name);
    app->add_option("--" + name, b.values[name], wrapped(h.text))->type_name(h.metavar.empty() ? "VALUE" : h.metavar);
  }
  flags.push_back("json");
  std::sort(flags.begin(), flags.end());
  flags.erase(std::unique(flags.begin(), flags.end()), flags.end());
  for (const auto& name : flags) app->add_flag("--" + name, b.set[name], wrapped(optionHelp(c, name).text));
  return app;
}

Args parse(const Command& c, int argc, char** argv) {
  Bound b;
  auto app = makeApp(c, b);
  try {
    app->parse(argc - 1, argv + 1);  // argv[1], the command's name, stands where CLI11 expects the program's
  } catch (const CLI::CallForHelp&) {
    throw;
  } catch (const CLI::ParseError& e) {
    throw Error(std::string(e.what()) + " (usage: " + c.name + " " + c.usage + ")");
  }
  Args a;
  for (const auto& [name, value] : b.values)
    if (app->count("--" + name)) a.options[name] = value;
  for (const auto& [name, on] : b.set)
    if (on) a.flags.insert(name);
  for (const std::string& s : app->remaining()) {
    if (s.size() > 2 && s.rfind("--", 0) == 0) {
      throw Error("unknown option " + s.substr(0, s.find('=')) + " for '" + c.name + "' (usage: " + c.name + " " +
                  c.usage + ")");
    }
    a.positional.push_back(s);
  }
  int n = static_cast<int>(a.positional.size());
  if (n < c.minPositional || n > c.maxPositional) {
    throw Error("wrong number of arguments for '" + c.name + "' (usage: " + c.name + " " + c.usage + ")");
  }
  return a;
}

}  // namespace

std::string commandHelp(const Command& c) {
  Bound b;
  return makeApp(c, b)->help();
}

int runCli(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    if (argc >= 3) {  // help COMMAND
      auto it = registry().find(argv[2]);
      if (it != registry().end()) {
        std::cout << commandHelp(it->second);
        return 0;
      }
      std::cerr << "error: unknown command '" << argv[2] << "'\n";
      printUsage(std::cerr);
      return 1;
    }
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
  } catch (const CLI::CallForHelp&) {
    std::cout << commandHelp(it->second);
    return 0;
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
