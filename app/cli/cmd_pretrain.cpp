// `pretrain`: pretrain a BERT-style (MLM) or GPT-2-style (next token) base model on a corpus, resumably.
#include <iomanip>
#include <iostream>

#include "command.h"
#include "util/precision.h"
#include "train/pretrain.h"

namespace pw::cli {
namespace {

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
  o.resume = a.flags.count("resume") > 0;
  o.precision = a.get("precision", o.precision);
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
    if (p.validationLoss >= 0)
      std::cerr << std::setprecision(4) << "  val loss " << p.validationLoss << " (ppl "
                << std::setprecision(1) << std::exp(p.validationLoss) << ")";
    std::cerr << std::endl;
  };
  PretrainResult r = runPretraining(o, progress);
  nlohmann::json j = {{"out", o.out}, {"steps", r.steps}, {"tokens_seen", r.tokensSeen},
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
            "max-documents", "stop-after"},
           {"resume"}, 0, 0, runPretrain);

}  // namespace
}  // namespace pw::cli
