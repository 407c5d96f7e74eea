// Pretraining a base model from scratch on a text corpus: BERT by masked-language modelling (15% of tokens;
// 80/10/10 mask/random/keep), GPT-2 by next-token prediction. AdamW with warmup and decay, gradient
// clipping, token embeddings optionally started from PPMI-SVD corpus vectors, checkpoints that resume exactly.
#pragma once
#include <atomic>
#include <functional>
#include <string>

namespace pw {

struct PretrainOptions {
  std::string arch = "bert";  // "bert" | "gpt2"
  std::string corpus;         // one document per line
  std::string vocab;          // folder with the tokenizer files
  std::string out;            // the checkpoint folder (a complete Hugging Face folder + optimizer state)
  int layers = 4, hidden = 256, heads = 4, seq = 128, batch = 32;
  int maxPositions = 512;
  double lr = 5e-4, weightDecay = 0.01, clip = 1.0, warmupFraction = 0.03;
  double floorFraction = 0.0;   // the rate at the schedule's end, as a fraction of the peak (0: annealed to zero);
                                // a resumed run keeps its checkpoint's (0.1 for checkpoints that did not record it)
  int64_t steps = 0;            // total steps (0: from --minutes)
  double minutes = 0;           // wall-clock budget for this invocation (0: none)
  double checkpointMinutes = 5; // how often to write a checkpoint
  std::string embeddingInit = "pmi";  // "pmi" | "random"
  double embeddingLrFactor = 0.1;     // learning rate of the word embeddings relative to the rest
  double embeddingFreezeFraction = 0.05;  // word embeddings frozen for this first fraction of the steps
  int evalEvery = 200;          // steps between validation losses
  uint64_t seed = 1;
  bool resume = false;
  int64_t maxDocuments = 0;     // 0: all lines of the corpus
  int64_t stopAfterSteps = 0;   // stop this invocation after so many steps (0: no limit); resume goes on
  int64_t keepEvery = 0;        // every so many steps, an F16 model folder in <out>.steps/step-N (0: none),
                                // for probing the features along the way
  std::string precision = "auto";  // auto | fp32 | bf16 (CPU autocast for the matmuls; fp32 master weights)
  // Set (e.g. by a Ctrl+C handler) to stop after the step in progress; the checkpoint is written as at the end,
  // so --resume goes on exactly.
  const std::atomic<bool>* stopRequested = nullptr;
};

struct PretrainProgress {
  int64_t step = 0, totalSteps = 0;
  double loss = 0, lr = 0, tokensPerSecond = 0, elapsedSeconds = 0;
  double etaSeconds = -1;      // until this invocation ends (the schedule, --minutes or --stop-after); < 0: unknown
  int64_t tokensSeen = 0;
  double validationLoss = -1;  // < 0 when not evaluated at this step
  std::string message;         // a one-off note (data loaded, checkpoint written, ...)
};

struct PretrainResult {
  int64_t steps = 0, totalSteps = 0, tokensSeen = 0;
  bool stopped = false;        // stopped on request before this invocation's end
  double finalLoss = 0, validationLoss = 0, wallSeconds = 0;
  int64_t parameters = 0;
};

// Runs (or resumes) pretraining; `progress` is called every few steps and on each note.
PretrainResult runPretraining(const PretrainOptions& options,
                              const std::function<void(const PretrainProgress&)>& progress);

}  // namespace pw
