// Where a run stands: one enum for the trainer's results, the database rows, the CLI and the window. Stored
// and printed by its name ("finished", ...), which is what the database and the JSON files hold.
#pragma once
#include <string>

namespace pw {

enum class RunStatus {
  Running,      // in the database while it trains
  Finished,
  Cancelled,    // stopped by the user
  Failed,       // stopped by a problem of the run (its error says which)
  Interrupted,  // the process died while it trained (found at the next start)
};

const char* statusName(RunStatus status);  // "running", "finished", ...
// The status of a stored name; an unknown name (a newer version's) reads as Failed, never as Finished.
RunStatus statusFromName(const std::string& name);

}  // namespace pw
