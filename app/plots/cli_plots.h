// `compare --plots` and `sweep --plots`: the workbench's own charts (ID vs OOD bars, the ID-against-OOD
// scatter, accuracy against trainable parameters, the loss curves, and for a sweep the accuracy-against-knob
// chart) drawn offscreen and written as PNG files. Built only with the GUI libraries (BUILD_GUI=ON: the CLI
// then has PW_HAVE_PLOTS); this header has neither Qt nor torch in it.
#pragma once
#include <string>
#include <vector>

#include "results/results_db.h"

namespace pw::cli {

// One run as the charts need it: its row (as the results database would hold it) and its curve points.
struct PlottedRun {
  results::RunRecord record;
  std::vector<results::CurvePoint> curve;
};

// Writes id-ood-bars.png, id-vs-ood.png, accuracy-vs-params.png and loss-curves.png into `dir`; for a sweep
// (`sweepKnob` not empty) also sweep.png. Returns the files written; throws pw::Error when one cannot be.
std::vector<std::string> writePlots(const std::string& dir, const std::vector<PlottedRun>& runs,
                                    const std::string& sweepKnob = "");

// One probed checkpoint of a pretraining run: x is the tokens seen (or the step), accuracies in [0, 1] (-1: none).
struct ProbeCurvePoint {
  double x = 0;
  double idAccuracy = -1;
  int64_t idExamples = 0;
  double oodAccuracy = -1;
  int64_t oodExamples = 0;
};

// The sweep chart's look (ID and OOD lines, Wilson bands over the test examples) against pretraining tokens
// (millions; `xIsTokens` false: steps), written to `file` as PNG. Throws pw::Error when it cannot be written.
void writeProbeCurve(const std::string& file, const std::string& taskName, bool xIsTokens,
                     const std::vector<ProbeCurvePoint>& points);

}  // namespace pw::cli
