// `pretrain`: pretrain a BERT-style (MLM) or GPT-2-style (next token) base model on a corpus, resumably.
#include <atomic>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "command.h"
#include "util/precision.h"
#include "train/pretrain.h"

namespace pw::cli {
namespace {

// Ctrl+C (or a kill's SIGTERM) asks the run to stop after the step in progress and write its checkpoint; a second
// Ctrl+C quits at once (the last periodic checkpoint stays).
std::atomic<bool> stopRequested{false};
extern "C" void onStopSignal(int) {
  stopRequested = true;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

std::string durationText(double seconds) {
  const int64_t s = int64_t(seconds + 0.5), h = s / 3600, m = s % 3600 / 60;
  std::ostringstream out;
  if (h > 0) out << h << "h " << std::setw(2) << std::setfill('0') << m << "m";
  else out << m << "m " << std::setw(2) << std::setfill('0') << s % 60 << "s";
  return out.str();
}

int runPretrain(const Args& a) {
  PretrainOptions o;
  o.arch = a.require("arch");
  o.corpus = a.require("corpus");
  o.vocab = a.require("vocab");
  o.out = a.require("out");
  o.layers = int(a.getInt("layers", o.layers));
  o.hidden = int(a.getInt("hidden", o.hidden));
  o.heads = int(a.getInt("heads", o.heads));
  o.seq = int(a.getInt("seq", o.seq));
  o.batch = int(a.getInt("batch", o.batch));
  o.steps = a.getInt("steps", 0);
  o.minutes = a.getDouble("minutes", 0);
  o.lr = a.getDouble("lr", o.lr);
  o.seed = uint64_t(a.getInt("seed", int64_t(o.seed)));
  o.checkpointMinutes = a.getDouble("checkpoint-minutes", o.checkpointMinutes);
  o.embeddingInit = a.get("embedding-init", o.embeddingInit);
  o.embeddingLrFactor = a.getDouble("embedding-lr-factor", o.embeddingLrFactor);
  o.embeddingFreezeFraction = a.getDouble("embedding-freeze", o.embeddingFreezeFraction);
  o.evalEvery = int(a.getInt("eval-every", o.evalEvery));
  o.maxDocuments = a.getInt("max-documents", 0);
  o.stopAfterSteps = a.getInt("stop-after", 0);
  o.keepEvery = a.getInt("keep-every", 0);
  if (o.keepEvery < 0) throw Error("--keep-every must be 0 or a number of steps");
  o.resume = a.flags.count("resume") > 0;
  o.precision = a.get("precision", o.precision);
  o.floorFraction = a.getDouble("lr-floor", o.floorFraction);
  if (!(o.floorFraction >= 0 && o.floorFraction <= 1)) throw Error("--lr-floor must be between 0 and 1");
  checkPrecisionSetting(o.precision);
  if (o.embeddingInit != "pmi" && o.embeddingInit != "random")
    throw Error("--embedding-init must be pmi or random");
  const bool json = a.json();
  auto progress = [&](const PretrainProgress& p) {
    if (json) return;  // one JSON object at the end
    if (!p.message.empty()) {
      std::cerr << "[" << std::fixed << std::setprecision(0) << p.elapsedSeconds << " s] " << p.message << "\n";
      return;
    }
    std::cerr << "step " << p.step;
    if (p.totalSteps > 0) std::cerr << "/" << p.totalSteps;
    std::cerr << std::fixed << std::setprecision(4) << "  loss " << p.loss << std::scientific << std::setprecision(2)
              << "  lr " << p.lr << std::fixed << std::setprecision(0) << "  " << p.tokensPerSecond << " tok/s  "
              << p.tokensSeen << " tokens  " << p.elapsedSeconds << " s";
    if (p.etaSeconds >= 0) std::cerr << "  ETA " << durationText(p.etaSeconds);
    if (p.validationLoss >= 0)
      std::cerr << std::setprecision(4) << "  val loss " << p.validationLoss << " (ppl "
                << std::setprecision(1) << std::exp(p.validationLoss) << ")";
    std::cerr << std::endl;
  };
  o.stopRequested = &stopRequested;
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  if (!json) std::cerr << "Ctrl+C stops after the current step and writes the checkpoint (--resume goes on)\n";
  PretrainResult r = runPretraining(o, progress);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  nlohmann::json j = {{"out", o.out}, {"steps", r.steps}, {"total_steps", r.totalSteps}, {"stopped", r.stopped},
                      {"tokens_seen", r.tokensSeen},
                      {"final_loss", r.finalLoss}, {"validation_loss", r.validationLoss},
                      {"validation_perplexity", std::exp(r.validationLoss)}, {"wall_seconds", r.wallSeconds},
                      {"parameters", r.parameters}};
  if (json) printJson(j);
  else std::cout << j.dump(2) << "\n";
  return 0;
}

PW_COMMAND("pretrain",
           "--arch bert|gpt2 --corpus FILE --vocab DIR --out DIR [--layers L] [--hidden d] [--heads h] [--seq T] "
           "[--batch B] [--steps N | --minutes M] [--lr X] [--seed S] [--embedding-init pmi|random] [--resume] [--json]",
           "pretrain a base model (BERT: masked LM, GPT-2: next token); checkpoints every few minutes",
           {"arch", "corpus", "vocab", "out", "layers", "hidden", "heads", "seq", "batch", "steps", "minutes", "lr",
            "seed", "precision", "checkpoint-minutes", "embedding-init", "embedding-lr-factor", "embedding-freeze", "eval-every",
            "max-documents", "stop-after", "lr-floor", "keep-every"},
           {"resume"}, 0, 0, runPretrain,
           {{"arch", {"ARCH", "bert (masked language model) or gpt2 (next token)"}},
            {"corpus", {"FILE", "training text, one document per line (see `corpus`)"}},
            {"vocab", {"DIR", "folder with the tokenizer files (see `vocab`)"}},
            {"out", {"DIR", "checkpoint folder: a complete Hugging Face folder plus the optimiser state"}},
            {"layers", {"L", "transformer layers (default 4)"}},
            {"hidden", {"D", "hidden size (default 256)"}},
            {"heads", {"H", "attention heads (default 4)"}},
            {"seq", {"T", "tokens per training sequence (default 128)"}},
            {"batch", {"B", "sequences per step (default 32)"}},
            {"steps", {"N", "total steps of the schedule (or --minutes)"}},
            {"minutes", {"M", "wall-clock budget of this invocation"}},
            {"lr", {"X", "peak learning rate (default 5e-4)"}},
            {"lr-floor", {"F", "the rate at the schedule's end as a fraction of the peak (default 0: annealed to "
                               "zero; a resumed run keeps its checkpoint's)"}},
            {"seed", {"S", "seed of initialisation, masking and document order"}},
            {"checkpoint-minutes", {"M", "minutes between checkpoints (default 5)"}},
            {"embedding-init", {"INIT", "pmi (word vectors from co-occurrence statistics) or random (default pmi)"}},
            {"embedding-lr-factor", {"X", "the word embeddings' rate relative to the rest (default 0.1)"}},
            {"embedding-freeze", {"F", "fraction of the steps with the word embeddings frozen (default 0.05)"}},
            {"eval-every", {"N", "steps between validation losses (default 200)"}},
            {"max-documents", {"N", "use only the first N documents (0: all)"}},
            {"stop-after", {"N", "stop this invocation after N steps; --resume goes on (0: no limit)"}},
            {"keep-every", {"N", "every N steps, keep an F16 model folder in OUT.steps/step-N (to probe the "
                                 "features along the way; 0: none)"}},
            {"resume", {"", "continue from the checkpoint in --out exactly where it stopped"}}});

}  // namespace
}  // namespace pw::cli
