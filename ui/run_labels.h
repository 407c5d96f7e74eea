// Short human labels for runs: "LoRA r=8", "Prompt tuning k=20 (seed 2)", and the size-knob text.
#pragma once
#include <nlohmann/json.hpp>

#include <QString>

#include "results/results_db.h"

namespace pw::ui {

// The method's size knob as "r=8" / "k=20" / "m=64"; "" for methods without one (lp, ft, bitfit ...).
QString knobSummary(const QString& method, const nlohmann::json& knobs);
// "LoRA r=8" (plus " (seed N)" when `withSeed`).
QString runLabel(const results::RunRecord& run, bool withSeed = false);
// The label runs of the same method and knob share (grouped over seeds).
QString groupLabel(const QString& method, const nlohmann::json& knobs);
// 1234567 -> "1.23M", 16898 -> "16.9k".
QString shortCount(double n);
// 83.4 s -> "1:23", 3723 s -> "1:02:03".
QString durationText(double seconds);

}  // namespace pw::ui
