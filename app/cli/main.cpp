// peft-workbench-cli: dispatches to the registered subcommands (cli.cpp). The commands live in a library of
// their own so a test can run them in its own process (tests/extension registers a method and calls them).
#include "command.h"

int main(int argc, char** argv) { return pw::cli::runCli(argc, argv); }
