// The CLI's subcommand registry: each cmd_*.cpp file registers one subcommand with PW_COMMAND.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "util/error.h"

namespace pw::cli {

// Parsed arguments of one subcommand: positionals, --option VALUE pairs and --flags.
class Args {
 public:
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::set<std::string> flags;

  bool has(const std::string& name) const { return options.count(name) || flags.count(name); }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::string require(const std::string& name) const;  // throws pw::Error when absent
  long long getInt(const std::string& name, long long fallback) const;
  double getDouble(const std::string& name, double fallback) const;
  bool json() const { return flags.count("json") > 0; }
};

// What an option means in `COMMAND --help` (see option_help.h for where the words come from).
struct OptionHelp {
  std::string metavar;  // "MODEL", "N", "X"; "" for a flag
  std::string text;     // one or two sentences
};

// In Command::options: "and every registered method's knobs" (options and flags; see method_args.h).
inline constexpr const char* kMethodKnobs = "<method knobs>";

struct Command {
  std::string name;
  std::string usage;    // one line: arguments after the command name
  std::string summary;  // one line: what it does
  std::vector<std::string> options;  // names taking a value (without "--")
  std::vector<std::string> flags;    // names without a value ("json" is always accepted)
  int minPositional = 0;
  int maxPositional = 0;
  std::function<int(const Args&)> run;  // returns the exit code; throws pw::Error on bad input
  std::map<std::string, OptionHelp> help;  // this command's own meaning of an option, where it differs
};

std::map<std::string, Command>& registry();

struct Registrar {
  explicit Registrar(Command c) { registry()[c.name] = std::move(c); }
};

// Prints a JSON object as one line on stdout.
void printJson(const nlohmann::json& j);

// `COMMAND --help`: the usage line, the summary and every option with what it means.
std::string commandHelp(const Command& c);

// Runs `argv[1]` with its arguments as the peft-workbench-cli executable would: the exit code; errors are
// printed to stderr as one "error: ..." line.
int runCli(int argc, char** argv);

}  // namespace pw::cli

#define PW_CLI_CONCAT2(a, b) a##b
#define PW_CLI_CONCAT(a, b) PW_CLI_CONCAT2(a, b)
#define PW_COMMAND(...) \
  static ::pw::cli::Registrar PW_CLI_CONCAT(pwCommandRegistrar_, __LINE__)(::pw::cli::Command{__VA_ARGS__})
