// Run status names (see run_status.h).
#include "util/run_status.h"

namespace pw {

const char* statusName(RunStatus s) {
  switch (s) {
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Cancelled: return "cancelled";
    case RunStatus::Failed: return "failed";
    case RunStatus::Interrupted: return "interrupted";
  }
  return "failed";
}

RunStatus statusFromName(const std::string& name) {
  for (RunStatus s : {RunStatus::Running, RunStatus::Finished, RunStatus::Cancelled, RunStatus::Failed,
                      RunStatus::Interrupted})
    if (name == statusName(s)) return s;
  return RunStatus::Failed;
}

}  // namespace pw
