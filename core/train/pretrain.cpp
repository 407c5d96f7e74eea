// Pretraining loop with exact resume (see pretrain.h).
#include "train/pretrain.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "models/model_folder.h"
#include "train/lr_schedule.h"
#include "train/pmi_embeddings.h"
#include "train/pretrain_data.h"
#include "util/error.h"
#include "util/strict_json.h"
#include "util/precision_scope.h"

namespace fs = std::filesystem;

namespace pw {
namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct State {
  int64_t step = 0, totalSteps = 0, tokensSeen = 0;
  double elapsed = 0, lastLoss = 0, lastValidation = -1;
  double floorFraction = 0;
};

// Three groups: word embeddings (own rate), other matrices (decayed), biases and norms (not decayed).
std::vector<torch::optim::OptimizerParamGroup> paramGroups(TransformerModelImpl& m, const PretrainOptions& o) {
  std::vector<at::Tensor> emb, decay, noDecay;
  for (auto& item : m.named_parameters()) {
    if (item.key() == "word_embeddings.weight") emb.push_back(item.value());
    else if (item.value().dim() >= 2) decay.push_back(item.value());
    else noDecay.push_back(item.value());
  }
  auto opts = [&](double wd) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(o.lr).betas({0.9, 0.98}).eps(1e-6).weight_decay(wd));
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(emb, opts(0.0));
  groups.emplace_back(decay, opts(o.weightDecay));
  groups.emplace_back(noDecay, opts(0.0));
  return groups;
}

double computeLoss(TransformerModelImpl& m, const at::Tensor& ids, const tok::Tokenizer& tok, at::Generator& gen,
                   int64_t* predicted) {
  if (m.isBert()) {
    MaskedBatch mb = maskForMlm(ids, tok, gen);
    ModelInputs in;
    in.ids = mb.ids, in.mask = torch::ones_like(mb.ids);
    at::Tensor hidden = m.encode(in).hidden;  // (B, T, d)
    at::Tensor picked = hidden.reshape({-1, hidden.size(2)}).index_select(0, mb.positions);  // only masked rows
    at::Tensor loss =
        torch::nn::functional::cross_entropy(m.lmLogitsFromHidden(picked).to(torch::kFloat), mb.targets);
    if (predicted) *predicted = mb.positions.size(0);
    if (loss.requires_grad()) loss.backward();
    return loss.item<double>();
  }
  ModelInputs in;
  in.ids = ids, in.mask = torch::ones_like(ids);
  at::Tensor logits = m.lmLogits(in).to(torch::kFloat);  // (B, T, V); the loss in fp32 under autocast
  at::Tensor loss = torch::nn::functional::cross_entropy(
      logits.slice(1, 0, ids.size(1) - 1).reshape({-1, logits.size(2)}), ids.slice(1, 1).reshape({-1}));
  if (predicted) *predicted = ids.size(0) * (ids.size(1) - 1);
  if (loss.requires_grad()) loss.backward();
  return loss.item<double>();
}

double validationLoss(TransformerModelImpl& m, const at::Tensor& val, const tok::Tokenizer& tok, uint64_t seed) {
  torch::NoGradGuard guard;
  m.eval();
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed + 424242);  // the same masks every time
  const int64_t n = std::min<int64_t>(val.size(0), 256);
  double sum = 0;
  int64_t count = 0;
  for (int64_t i = 0; i < n; i += 64) {
    at::Tensor ids = val.slice(0, i, std::min(n, i + 64));
    int64_t k = 0;
    sum += computeLoss(m, ids, tok, gen, &k) * k;
    count += k;
  }
  m.train();
  return count ? sum / count : 0.0;
}

void saveCheckpoint(TransformerModelImpl& m, torch::optim::AdamW& opt, const PretrainOptions& o, const State& s) {
  const std::string tmp = o.out + ".tmp", old = o.out + ".old";
  fs::remove_all(tmp);
  saveModel(m, tmp, io::StoreDtype::F32, o.vocab);
  torch::save(opt, tmp + "/optimizer.pt");
  nlohmann::json st = {{"step", s.step}, {"total_steps", s.totalSteps}, {"tokens_seen", s.tokensSeen},
                       {"elapsed_seconds", s.elapsed}, {"last_loss", s.lastLoss},
                       {"validation_loss", s.lastValidation}, {"seed", o.seed}, {"arch", o.arch},
                       {"seq", o.seq}, {"batch", o.batch}, {"lr", o.lr}, {"embedding_init", o.embeddingInit},
                       {"embedding_lr_factor", o.embeddingLrFactor},
                       {"embedding_freeze_fraction", o.embeddingFreezeFraction}, {"corpus", o.corpus},
                       {"lr_floor_fraction", s.floorFraction}};
  std::ofstream(tmp + "/trainer_state.json") << st.dump(2) << "\n";
  fs::remove_all(old);
  if (fs::exists(o.out)) fs::rename(o.out, old);
  fs::rename(tmp, o.out);
  fs::remove_all(old);
}

// Seconds until this invocation ends: the schedule's remaining steps at this invocation's mean time per step
// (validation and checkpoints included, as they recur), or sooner where --stop-after or --minutes ends it.
double etaSeconds(const PretrainOptions& o, const State& s, int64_t firstStep, double secondsPerStep, double ran) {
  int64_t left = s.totalSteps > 0 ? s.totalSteps - s.step : -1;
  if (o.stopAfterSteps > 0) {
    const int64_t toStop = firstStep + o.stopAfterSteps - s.step;
    left = left < 0 ? toStop : std::min(left, toStop);
  }
  double eta = left < 0 ? -1 : double(std::max<int64_t>(0, left)) * secondsPerStep;
  if (o.minutes > 0) {
    const double budget = std::max(0.0, o.minutes * 60 - ran);
    eta = eta < 0 ? budget : std::min(eta, budget);
  }
  return eta;
}

}  // namespace

PretrainResult runPretraining(const PretrainOptions& o, const std::function<void(const PretrainProgress&)>& progress) {
  const auto start = Clock::now();
  const Precision precision = resolvePrecision(o.precision);
  const bool bert = o.arch == "bert";
  if (!bert && o.arch != "gpt2") throw Error("--arch must be bert or gpt2, got " + o.arch);
  if (o.seq < 8 || o.batch < 1 || o.layers < 1 || o.hidden < 8 || o.heads < 1 || o.hidden % o.heads)
    throw Error("invalid architecture or batch: need seq >= 8, batch >= 1, hidden divisible by heads");
  if (!(o.lr > 0)) throw Error("the learning rate must be positive");
  if (o.steps <= 0 && o.minutes <= 0) throw Error("give --steps or --minutes");
  auto note = [&](const std::string& msg) {
    PretrainProgress p;
    p.message = msg;
    p.elapsedSeconds = secondsSince(start);
    progress(p);
  };
  auto tokenizer = tok::loadTokenizer(o.vocab);
  PretrainCorpus data = buildPretrainCorpus(o.corpus, *tokenizer, bert, o.seq, o.maxDocuments);
  note("corpus: " + std::to_string(data.docs.size()) + " documents, " + std::to_string(data.tokens) + " tokens, " +
       std::to_string(data.train.size(0)) + " training and " + std::to_string(data.validation.size(0)) +
       " validation sequences of " + std::to_string(o.seq));

  State s;
  TransformerModel model{nullptr};
  const bool resuming = o.resume && fs::exists(o.out + "/trainer_state.json");
  if (o.resume && !resuming) note("nothing to resume in " + o.out + ": starting fresh");
  if (resuming) {
    LoadOptions lo;
    lo.withTokenizer = false;
    lo.withMlmHead = bert;
    model = loadModel(o.out, lo).model;
    const nlohmann::json st = readStrictJsonFile(o.out + "/trainer_state.json");
    s.step = st.at("step");
    s.totalSteps = st.at("total_steps");
    s.tokensSeen = st.at("tokens_seen");
    s.elapsed = st.at("elapsed_seconds");
    s.floorFraction = st.value("lr_floor_fraction", 0.1);  // what checkpoints before this key ran with
  } else {
    s.floorFraction = o.floorFraction;
    ModelConfig c = makeConfig(bert ? Family::Bert : Family::Gpt2, tokenizer->vocabSize(), o.layers, o.hidden,
                               o.heads, std::max(o.maxPositions, o.seq));
    c.padTokenId = std::max<int64_t>(0, tokenizer->padId());
    if (!bert) {  // GPT-2: <|endoftext|> begins, ends and pads, at our vocabulary's id (not GPT-2's 50256)
      c.raw["bos_token_id"] = c.padTokenId;
      c.raw["eos_token_id"] = c.padTokenId;
    }
    c.pooling = "mean";  // measured: mean pooling probes better than an untrained pooler on [CLS] at this scale
    c.raw["classifier_pooling"] = "mean";
    model = TransformerModel(c);
    if (bert) model->enableMlmHead();
    initialiseWeights(*model, o.seed);
    if (o.embeddingInit == "pmi") {
      auto t0 = Clock::now();
      at::Tensor vectors = pmiSvdEmbeddings(data.docs, tokenizer->vocabSize(), o.hidden, 0.05, PmiOptions{});
      torch::NoGradGuard g;
      model->word_embeddings->weight.copy_(vectors);
      note("token embeddings started from PPMI-SVD corpus vectors (" + std::to_string(secondsSince(t0)) + " s)");
    }
    if (bert) {
      // The MLM output bias starts at the log unigram frequencies: Adam moves a bias by about lr per step,
      // so learning a 10-nat spread of log-frequencies from zero would take thousands of steps.
      at::Tensor counts = torch::ones({tokenizer->vocabSize()}, torch::kDouble);
      auto c = counts.accessor<double, 1>();
      for (const auto& doc : data.docs)
        for (int32_t id : doc) c[id] += 1.0;
      torch::NoGradGuard g;
      at::Tensor logp = (counts / counts.sum()).log();
      model->mlm_bias.copy_((logp - logp.mean()).to(torch::kFloat));
    }
  }
  data.docs.clear();
  data.docs.shrink_to_fit();
  model->train();
  torch::optim::AdamW opt(paramGroups(*model, o));
  if (resuming) torch::load(opt, o.out + "/optimizer.pt");
  if (!resuming) s.totalSteps = o.steps;

  // The corpus vectors and initialisation above ran in fp32; the steps (and validation) in the chosen precision.
  PrecisionScope precisionScope(precision);
  note("precision: " + precisionName(precision));
  EpochSampler sampler(data.train.size(0), o.seed);
  int64_t tokensPerStep = int64_t(o.batch) * o.seq;
  auto lastCheckpoint = Clock::now();
  auto windowStart = Clock::now();
  int64_t windowTokens = 0;
  double lossSum = 0;
  int lossCount = 0;
  const int64_t firstStep = s.step;
  std::ofstream log;
  PretrainResult result;
  result.parameters = model->baseParameterCount();

  bool stopped = false;
  const auto loopStart = Clock::now();
  while (true) {
    if (o.stopRequested && o.stopRequested->load()) {
      stopped = true;
      note("stopping on request at step " + std::to_string(s.step));
      break;
    }
    if (s.totalSteps > 0 && s.step >= s.totalSteps) break;
    if (o.minutes > 0 && secondsSince(start) > o.minutes * 60) break;
    if (o.stopAfterSteps > 0 && s.step - firstStep >= o.stopAfterSteps) break;
    // Until the schedule length is known (--minutes alone), estimate it from the first 20 steps' speed.
    if (s.totalSteps <= 0 && s.step - firstStep == 20) {
      double perStep = secondsSince(windowStart) / 20.0;
      s.totalSteps = std::max<int64_t>(s.step + 1, int64_t(o.minutes * 60 / perStep));
      note("schedule: " + std::to_string(s.totalSteps) + " steps (" + std::to_string(perStep) + " s/step)");
    }
    const int64_t total = s.totalSteps > 0 ? s.totalSteps : 1000000;
    LrSchedule sched{o.lr, std::max<int64_t>(1, int64_t(o.warmupFraction * total)), total, s.floorFraction, false};
    double lr = sched.at(s.step);
    bool frozen = s.step < int64_t(o.embeddingFreezeFraction * total);
    auto& groups = opt.param_groups();
    static_cast<torch::optim::AdamWOptions&>(groups[0].options()).lr(frozen ? 0.0 : lr * o.embeddingLrFactor);
    static_cast<torch::optim::AdamWOptions&>(groups[1].options()).lr(lr);
    static_cast<torch::optim::AdamWOptions&>(groups[2].options()).lr(lr);

    model->seedDropout(o.seed * 1000003ULL + uint64_t(s.step));  // dropout: the same on resume
    auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed * 2654435761ULL + uint64_t(s.step));
    at::Tensor ids = data.train.index_select(0, sampler.batchIndices(s.step, o.batch));
    opt.zero_grad();
    double loss = computeLoss(*model, ids, *tokenizer, gen, nullptr);
    if (!std::isfinite(loss)) throw Error("the loss became non-finite at step " + std::to_string(s.step));
    torch::nn::utils::clip_grad_norm_(model->parameters(), o.clip);
    opt.step();
    at::autocast::clear_cache();  // no bf16 copy of a weight outlives the step that updated it
    ++s.step;
    s.tokensSeen += tokensPerStep;
    windowTokens += tokensPerStep;
    s.lastLoss = loss;
    lossSum += loss;
    ++lossCount;

    bool evalNow = o.evalEvery > 0 && s.step % o.evalEvery == 0;
    if (s.step % 10 == 0 || evalNow) {
      PretrainProgress p;
      p.step = s.step;
      p.totalSteps = s.totalSteps;
      p.loss = lossSum / lossCount;
      p.lr = lr;
      p.tokensSeen = s.tokensSeen;
      p.tokensPerSecond = windowTokens / std::max(1e-9, secondsSince(windowStart));
      p.elapsedSeconds = s.elapsed + secondsSince(start);
      p.etaSeconds = etaSeconds(o, s, firstStep, secondsSince(loopStart) / double(s.step - firstStep),
                                secondsSince(start));
      if (evalNow) p.validationLoss = s.lastValidation = validationLoss(*model, data.validation, *tokenizer, o.seed);
      progress(p);
      if (!log.is_open()) log.open(o.out + ".log.jsonl", std::ios::app);
      log << nlohmann::json({{"step", p.step}, {"loss", p.loss}, {"lr", lr}, {"tokens", p.tokensSeen},
                             {"tokens_per_second", p.tokensPerSecond}, {"elapsed", p.elapsedSeconds},
                             {"validation_loss", p.validationLoss}}).dump()
          << "\n" << std::flush;
      lossSum = 0;
      lossCount = 0;
      windowStart = Clock::now();
      windowTokens = 0;
    }
    if (o.keepEvery > 0 && s.step % o.keepEvery == 0) {
      char name[32];
      std::snprintf(name, sizeof name, "/step-%06lld", static_cast<long long>(s.step));
      const std::string folder = o.out + ".steps" + name;
      fs::create_directories(o.out + ".steps");
      saveModel(*model, folder, io::StoreDtype::F16, o.vocab);
      note("kept the model at step " + std::to_string(s.step) + " in " + folder);
    }
    if (secondsSince(lastCheckpoint) > o.checkpointMinutes * 60) {
      s.elapsed += secondsSince(start);
      saveCheckpoint(*model, opt, o, s);
      s.elapsed -= secondsSince(start);
      lastCheckpoint = Clock::now();
      note("checkpoint written to " + o.out + " at step " + std::to_string(s.step));
    }
  }
  s.lastValidation = validationLoss(*model, data.validation, *tokenizer, o.seed);
  s.elapsed += secondsSince(start);
  saveCheckpoint(*model, opt, o, s);
  note("checkpoint written to " + o.out + " at step " + std::to_string(s.step));
  result.steps = s.step;
  result.totalSteps = s.totalSteps;
  result.stopped = stopped;
  result.tokensSeen = s.tokensSeen;
  result.finalLoss = s.lastLoss;
  result.validationLoss = s.lastValidation;
  result.wallSeconds = s.elapsed;
  return result;
}

}  // namespace pw
