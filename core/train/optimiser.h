// The training step: the trainer's AdamW (the trainable tensors in four groups, body / head, each with and
// without weight decay (only tensors with dim >= 2 decay), so the head can train at its own rate) and the one
// step function. Shared by the trainer and the training benchmark, so the benchmark times what runs train.
#pragma once
#include <torch/optim/adamw.h>

#include <memory>
#include <vector>

#include "methods/method.h"
#include "train/batches.h"

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

struct StepResult {
  double loss = 0;      // the batch's mean cross-entropy (fp32)
  bool finite = true;   // false: the loss was NaN or infinite and nothing was updated
  int64_t tokens = 0;   // real (non-pad) tokens in the batch
  double forwardMs = 0, backwardMs = 0, optimiserMs = 0;
};

// One optimiser step on the rows `batch` of `split`: forward in train mode (the loss in fp32 whatever the
// matmuls ran in), backward, gradient clipping at clipNorm (0: none), AdamW, and dropping autocast's cached
// bf16 weight copies (stale once the weights moved). The learning rates are whatever opt holds.
StepResult trainingStep(TransformerModelImpl& model, const Method& method, TrainingOptimiser& opt,
                        const EncodedSplit& split, const std::vector<size_t>& batch, double clipNorm);

}  // namespace pw
