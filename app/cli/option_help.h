// What each command-line option means, for `COMMAND --help`: the command's own words first (Command::help),
// then a method knob's descriptor (its label, range, default and tooltip), then the shared table in
// option_help.cpp. One place per meaning: the commands' code reads values, this says what they are.
#pragma once
#include <string>

#include "command.h"

namespace pw::cli {

OptionHelp optionHelp(const Command& c, const std::string& name);

}  // namespace pw::cli
