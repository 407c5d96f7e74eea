#include "results/results_db.h"

namespace pw::results {

nlohmann::json runToJson(const RunRecord& r) {
  return {{"id", r.id},
          {"batch", r.batch},
          {"model", r.model},
          {"task", r.task},
          {"method", r.method},
          {"random_init", r.randomInit},
          {"knobs", r.knobs},
          {"config", r.config},
          {"seed", r.seed},
          {"status", statusName(r.status)},
          {"error", r.error},
          {"started_at", r.startedAt},
          {"finished_at", r.finishedAt},
          {"wall_seconds", r.wallSeconds},
          {"params", r.params},
          {"trainable", r.trainable},
          {"total", r.total},
          {"id_accuracy", r.idAccuracy},
          {"ood_accuracy", r.oodAccuracy},
          {"id_macro_f1", r.idMacroF1},
          {"ood_macro_f1", r.oodMacroF1},
          {"validation_accuracy", r.validationAccuracy},
          {"result", r.result},
          {"adapter_dir", r.adapterDir}};
}

double trainablePercent(const RunRecord& r) {
  if (r.params.is_object()) {
    auto it = r.params.find("percent");
    if (it != r.params.end() && it->is_number()) return it->get<double>();
  }
  return r.total > 0 ? 100.0 * double(r.trainable) / double(r.total) : 0.0;
}

}  // namespace pw::results
