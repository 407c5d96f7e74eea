// Saved runs (see saved_run.h).
#include "train/saved_run.h"

#include "methods/adapter_folder.h"
#include "models/model_folder.h"
#include "train/batches.h"
#include "train/evaluate.h"
#include "util/error.h"
#include "util/precision_scope.h"

namespace pw {

struct SavedRun::State {
  LoadedModel loaded;
  std::unique_ptr<Method> method;
  std::vector<std::string> classes;
  int maxLength = 128;
  Precision precision = Precision::Fp32;
};

SavedRun::SavedRun(const TrainConfig& config, const std::string& adapterDir) : state_(std::make_unique<State>()) {
  if (adapterDir.empty()) throw Error("this run kept no method state (it has no adapter folder)");
  LoadOptions lo;
  lo.randomInit = config.randomInit;
  lo.seed = config.seed;
  state_->loaded = loadModel(config.model, lo);
  if (!state_->loaded.tokenizer) throw Error(state_->loaded.folder + ": the model folder has no tokenizer files");
  InitContext ctx{state_->loaded.tokenizer.get(), {}, config.seed};
  state_->method = loadAdapter(*state_->loaded.model, adapterDir, ctx);
  state_->classes = state_->loaded.model->config().labels;
  state_->maxLength = config.maxLength;
  state_->precision = resolvePrecision(config.precision);  // predicts as the run evaluated
}

SavedRun::~SavedRun() = default;

const std::vector<std::string>& SavedRun::classes() const { return state_->classes; }

std::vector<std::vector<double>> SavedRun::probabilities(const std::vector<std::string>& texts) {
  std::vector<data::Example> examples;
  for (const auto& t : texts) examples.push_back({t, 0});
  EncodedSplit split = encodeSplit(*state_->loaded.tokenizer, examples, state_->maxLength);
  PrecisionScope scope(state_->precision);
  return classProbabilities(*state_->loaded.model, *state_->method, split);
}

}  // namespace pw
