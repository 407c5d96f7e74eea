// The trainer's AdamW: the trainable tensors in four groups, body / head, each with and without weight decay
// (only tensors with dim >= 2 decay), so the head can train at its own rate. Shared by the trainer and the
// training benchmark so both time the same optimiser.
#pragma once
#include <torch/optim/adamw.h>

#include <memory>
#include <vector>

#include "methods/method.h"

namespace pw {

struct TrainingOptimiser {
  std::unique_ptr<torch::optim::AdamW> adam;
  std::vector<double> baseLr;     // each group's rate before the schedule's factor
  std::vector<at::Tensor> params; // every trainable tensor, for gradient clipping

  void setLrFactor(double factor);
};

// Throws pw::Error when nothing is trainable.
TrainingOptimiser makeTrainingOptimiser(const NamedTensors& trainable, double bodyLr, double headLr,
                                        double weightDecay);

}  // namespace pw
