// CSV export of the results store (RFC 4180: comma separated, fields quoted when they need it), for
// spreadsheets and pandas. Absent metrics (-1) are empty cells; JSON fields are one quoted cell each.
#pragma once
#include <ostream>
#include <vector>

#include "results/results_db.h"

namespace pw::results {

// One header line, then one line per run.
void writeRunsCsv(const std::vector<RunRecord>& runs, std::ostream& out);
// run_id,series,step,epoch,stage,value,wall_time for every point of the given runs (wall_time: seconds since
// 1970 UTC, empty for points recorded before schema v2).
void writeCurvesCsv(const ResultsDb& db, const std::vector<int64_t>& runIds, std::ostream& out);

}  // namespace pw::results
