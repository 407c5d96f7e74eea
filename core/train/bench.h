// The training benchmark behind `peft-workbench-cli bench`: the real training step of each method (the
// trainer's forward, cross-entropy, backward, clipping and grouped AdamW) on random token ids of a fixed
// length, the linear probe's cached-feature path, the machine's matrix-multiply peak and the FLOPs of a
// full fine-tuning step.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "models/config.h"

namespace pw {

struct BenchSettings {
  std::string model = "tiny-bert";  // shipped name or folder
  int64_t batch = 16;               // TrainConfig's default batch
  int64_t seq = 64;                 // real tokens per example (no padding)
  int64_t steps = 20;               // timed steps
  int64_t warmup = 3;               // untimed steps first
  int64_t classes = 8;              // the built-in task's class count
  int64_t probeExamples = 1024;     // lp: examples of "one epoch" (plus a quarter more for validation)
  uint64_t seed = 1;
  std::string precision = "auto";   // auto | fp32 | bf16, as a training run takes it
};

struct MethodTiming {
  std::string method;
  bool probe = false;                // a frozen-feature probe (LP): feature and L-BFGS times, not steps
  int64_t trainable = 0, total = 0;  // parameters
  int64_t steps = 0;
  int64_t tokensPerStep = 0;         // batch x seq real tokens
  // Medians over the timed steps, in milliseconds; the phases add up to about the step.
  double stepMs = 0, forwardMs = 0, backwardMs = 0, optimiserMs = 0;
  // Median CPU time of the process per step: with one thread, the step's own work, whatever else the machine
  // runs (wall time on a loaded machine includes time waiting for a core).
  double stepCpuMs = 0;
  double tokensPerSecond = 0;        // tokensPerStep / median step
  // lp only: features of probeExamples (+ validation) under no_grad, then the L-BFGS fit on them.
  int64_t probeExamples = 0;
  double featureSeconds = 0, probeSeconds = 0;
  double featureCpuSeconds = 0, probeCpuSeconds = 0;
  double peakRssMb = 0;              // the process's peak resident set (run one method per process)
  std::string precision;             // what the steps computed in: fp32 or bf16

  nlohmann::json toJson() const;
  static MethodTiming fromJson(const nlohmann::json& j);
};

// Loads the model, applies the method with default knobs (LP-FT: its stage 2, the gradient part) and times
// it. Throws pw::Error for a bad model or method.
MethodTiming benchMethod(const BenchSettings& settings, const std::string& method);

// Best GFLOP/s of at::mm on n x n float matrices at the current thread count, over about `seconds`; with
// bf16: the same multiply under CPU autocast (bf16 inputs, the CPU's bf16 matrix units where it has them).
double matmulGflops(int64_t n, double seconds = 0.5, bool bf16 = false);

// Matrix-multiply FLOPs of one full fine-tuning step (forward + backward) of a batch of `batch` x `seq` tokens.
double fullFineTuneStepFlops(const ModelConfig& config, int64_t batch, int64_t seq, int64_t classes);

// This process's peak resident set in MiB (getrusage ru_maxrss).
double peakRssMb();

// The "targets:" lines of `bench`'s text report from the timings by method (each target met or MISSED, as its
// number says): lora / bitfit / prompt step <= 0.8x ft's, lp >= 10x faster than one ft epoch of
// `epochSteps` steps, ft peak memory < 2048 MB. "" without an ft timing.
std::string benchTargetReport(const std::map<std::string, MethodTiming>& timings, int64_t epochSteps);

}  // namespace pw
