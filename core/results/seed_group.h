// Which runs are seeds of one configuration: the one grouping key of the runs table, the charts (error bars
// over seeds) and the verdicts. Runs share a group when everything but the seed is the same: batch, model,
// task, method, knobs and every training setting (rates included); the adapter folder, which names the seed,
// is left out. Torch-free.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "results/results_db.h"

namespace pw::results {

// The fields the group is made of, flat: "batch", "model", "task", "method", "random_init", each knob as
// "knob.KEY", and every other training setting by its config key.
nlohmann::json seedGroupFields(const RunRecord& run);
std::string seedGroupKey(const RunRecord& run);  // seedGroupFields(run).dump()

// For groups that share a label: for each, the fields whose values differ among them, "lr=0.001, epochs=5"
// ("" when none differ).
std::vector<std::string> distinguishingFields(const std::vector<nlohmann::json>& groupFields);

}  // namespace pw::results
