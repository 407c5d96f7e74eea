// A linear probe of a model's frozen features on a task: the measure of what pretraining put into them.
// Features of every split (length-bucketed, as the trainer's linear probe), the probe's L2 strength chosen on
// the validation split, then accuracy and macro-F1 on the ID test split and on every OOD set.
#pragma once
#include <string>
#include <vector>

#include "data/task.h"
#include "models/transformer.h"
#include "tokenizers/tokenizer.h"

namespace pw {

struct ProbeSplitScore {
  std::string name;  // "ID test" or the OOD set's name
  double accuracy = 0, macroF1 = 0;
  int64_t examples = 0;
};

struct FrozenProbeScores {
  double l2 = 0, trainAccuracy = 0, validationAccuracy = 0;
  ProbeSplitScore id;
  std::vector<ProbeSplitScore> ood;  // every OOD set of the task, the first one first
  double seconds = 0;  // features and fit
};

FrozenProbeScores probeFrozenFeatures(TransformerModelImpl& model, const tok::Tokenizer& tokenizer,
                                      const data::Task& task, int maxLength = 128);

}  // namespace pw
