#include "results/csv_export.h"

#include <iomanip>
#include <sstream>
#include <string>

#include "util/csv_write.h"

namespace pw::results {

namespace {

// Short text that reads back as the same double: 15 digits when they suffice (0.61, not 0.60999999999999999).
std::string number(double v) {
  for (int digits : {15, 17}) {
    std::ostringstream s;
    s.precision(digits);
    s << v;
    if (digits == 17 || std::stod(s.str()) == v) return s.str();
  }
  return "";
}

std::string metric(double v) { return v < 0 ? "" : number(v); }

}  // namespace

void writeRunsCsv(const std::vector<RunRecord>& runs, std::ostream& out) {
  out << "id,batch,model,task,method,random_init,knobs,seed,status,error,started_at,finished_at,wall_seconds,"
         "trainable,total,trainable_percent,id_accuracy,ood_accuracy,id_macro_f1,ood_macro_f1,"
         "validation_accuracy,adapter_dir,params,config\n";
  for (const RunRecord& r : runs) {
    const std::vector<std::string> fields = {
        std::to_string(r.id), r.batch, r.model, r.task, r.method, r.randomInit ? "1" : "0", r.knobs.dump(),
        std::to_string(r.seed), statusName(r.status), r.error, r.startedAt, r.finishedAt, number(r.wallSeconds),
        std::to_string(r.trainable), std::to_string(r.total), number(trainablePercent(r)), metric(r.idAccuracy),
        metric(r.oodAccuracy), metric(r.idMacroF1), metric(r.oodMacroF1), metric(r.validationAccuracy),
        r.adapterDir, r.params.dump(), r.config.dump()};
    out << csvRow(fields) << "\n";
  }
}

void writeCurvesCsv(const ResultsDb& db, const std::vector<int64_t>& runIds, std::ostream& out) {
  out << "run_id,series,step,epoch,stage,value,wall_time\n";
  for (int64_t id : runIds)
    for (const CurvePoint& p : db.curve(id)) {
      out << id << "," << csvField(p.series) << "," << p.step << "," << number(p.epoch) << "," << p.stage << ","
          << number(p.value) << ",";
      if (p.wallTime > 0) out << std::fixed << std::setprecision(3) << p.wallTime << std::defaultfloat;
      out << "\n";  // empty: recorded before the database kept the time
    }
}

}  // namespace pw::results
