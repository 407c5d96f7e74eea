// Method tests, part 1: one table of (family, method, knobs) cases through shared checks (what trains, base
// output when fresh or disabled, adapter folder round trip, counts), then method-specific behaviour.
// pw-test-libs: pw_methods pw_models pw_io pw_tokenizers pw_util
#include "tst_methods.h"

#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <filesystem>
#include <set>

#include "method_cases.h"
#include "methods/adapter_folder.h"
#include "methods/lora.h"
#include "methods/model_layout.h"
#include "methods/prompt.h"
#include "tokenizers/tokenizer.h"
#include "util/error.h"

using namespace pw;
using namespace pwtest;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Method> attachCase(TransformerModelImpl& model, const MethodCase& c) {
  auto m = createMethod(c.method, c.knobs);
  InitContext ctx;
  ctx.seed = 3;
  applyMethod(model, *m, ctx);
  return m;
}

at::Tensor logits(TransformerModelImpl& model, const Method& method) {
  torch::NoGradGuard guard;
  model.eval();
  return classifyWith(model, method, sampleBatch());
}

}  // namespace

void TestMethods::trainsExactlyWhatItDeclares() {
  for (const auto& c : methodCases()) {
    TransformerModel model = tinyModel(c);
    auto method = attachCase(*model, c);
    auto before = snapshot(*model, *method);
    std::string problem;
    QVERIFY2(trainSteps(*model, *method, 3, &problem), (c.label() + ": " + problem).c_str());
    auto after = snapshot(*model, *method);
    std::set<std::string> trainable;
    for (const auto& [n, t] : trainableParameters(*model, *method)) trainable.insert(n);
    const size_t headTensors = c.family == Family::Bert ? 2 : 1;
    const bool headOnly = c.method == "lp" || c.method == "lp-ft";  // lp-ft starts in stage 1
    QVERIFY2(headOnly ? trainable.size() == headTensors : trainable.size() > headTensors, c.label().c_str());
    int64_t changed = 0;
    for (const auto& [n, t] : before) {
      const bool trains = trainable.count(n) > 0;
      const bool same = torch::equal(t, after.at(n));
      QVERIFY2(trains ? !same : same, (c.label() + ": " + n + (trains ? " did not change" : " changed")).c_str());
      if (!same) changed += t.numel();
    }
    // What changed is exactly the head plus the method's closed-form count (method_cases.cpp), not whatever
    // the method's own groupOf says.
    const int64_t head = headParameterCount(model->config(), model->numClasses());
    const int64_t expected = headOnly ? head : head + closedFormTrainable(model->config(), c.method, c.knobs);
    QVERIFY2(changed == expected, (c.label() + ": " + std::to_string(changed) + " changed, the formula says " +
                                   std::to_string(expected)).c_str());
  }
}

void TestMethods::freshOrDisabledGivesBaseOutput() {
  for (const auto& c : methodCases()) {
    TransformerModel model = tinyModel(c);
    at::Tensor base = logits(*model, *createMethod("lp"));
    auto method = attachCase(*model, c);
    at::Tensor fresh = logits(*model, *method);
    const bool inputSide = c.method == "prompt" || c.method == "prefix";
    if (c.method == "adapter") QVERIFY2(torch::allclose(fresh, base, 0.0, 1e-3), c.label().c_str());
    else if (!inputSide) QVERIFY2(torch::equal(fresh, base), c.label().c_str());
    else QVERIFY2(!torch::allclose(fresh, base, 0.0, 1e-6), c.label().c_str());  // the method does act
    trainSteps(*model, *method, 2);  // LoRA's B moves away from zero, adapters from identity
    at::Tensor trained = logits(*model, *method);
    method->setEnabled(*model, false);
    const bool changesBase = c.method == "ft" || c.method == "lp-ft" || c.method == "bitfit" ||
                             c.knobs.value("train_layernorm", false);
    if (c.method != "lp" && !changesBase) {
      // Disabled: the base model's exact output (the head is the trained one; compare with it restored).
      TransformerModel ref = tinyModel(c);
      {
        torch::NoGradGuard guard;
        ref->classifier->weight.copy_(model->classifier->weight);
        if (ref->isBert()) ref->classifier->bias.copy_(model->classifier->bias);
      }
      QVERIFY2(torch::equal(logits(*model, *method), logits(*ref, *createMethod("lp"))), c.label().c_str());
    }
    method->setEnabled(*model, true);
    QVERIFY2(torch::equal(logits(*model, *method), trained), c.label().c_str());
  }
}

void TestMethods::adapterFolderRoundTrip() {
  for (const auto& c : methodCases()) {
    TransformerModel model = tinyModel(c);
    auto method = attachCase(*model, c);
    trainSteps(*model, *method, 3);
    at::Tensor trained = logits(*model, *method);
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString() + "/adapter";
    saveAdapter(*model, *method, folder, "tiny");
    QVERIFY(fs::exists(folder + "/adapter_config.json"));
    if (method->peftType() == "FULL") {
      QVERIFY(fs::exists(folder + "/model.safetensors") && fs::exists(folder + "/config.json"));
    } else {
      // No frozen base weight in the file, and (where the layouts agree) exactly the trainable count.
      std::set<std::string> frozen, trainedHf;
      for (const auto& t : baseTensors(model->config())) {
        const std::string hf = hfTensorName(model->config(), t.name);
        (method->groupOf(t.name).empty() ? frozen : trainedHf).insert(hf);
      }
      for (const auto& n : trainedHf) frozen.erase(n);
      io::TensorMap file = io::readSafetensors(folder + "/adapter_model.safetensors");
      int64_t numel = 0;
      for (const auto& [name, t] : file) {
        std::string n = name;
        for (const char* p : {"base_model.model.", "base_model."})
          if (n.rfind(p, 0) == 0) n = n.substr(std::string(p).size());
        QVERIFY2(!frozen.count(n), (c.label() + ": holds base weight " + name).c_str());
        numel += t.numel();
      }
      const bool fused = c.family == Family::Gpt2 && (c.method == "lora" || c.method == "ia3");
      if (!fused && !c.knobs.contains("reparam"))
        QVERIFY2(numel == countParameters(*model, *method).trainable, c.label().c_str());
    }
    TransformerModel fresh = tinyModel(c);
    auto loaded = loadAdapter(*fresh, folder);
    QCOMPARE(loaded->name(), method->name());
    QVERIFY2(torch::equal(logits(*fresh, *loaded), trained), c.label().c_str());
    if (!c.knobs.contains("reparam"))
      QVERIFY2(countParameters(*fresh, *loaded) == countParameters(*model, *method), c.label().c_str());
  }
}

void TestMethods::liveCountsEqualConfigCountsAndFormulas() {
  for (const auto& c : methodCases()) {
    TransformerModel model = tinyModel(c);
    auto method = attachCase(*model, c);
    if (method->stageCount() > 1) method->setStage(*model, 2);
    ParamBreakdown live = countParameters(*model, *method);
    ParamBreakdown config = countParameters(tinyConfig(c), *method, 2);
    QVERIFY2(live == config,
             (c.label() + ": live " + live.toJson().dump() + " config " + config.toJson().dump()).c_str());
    const int64_t head = headParameterCount(model->config(), 2);
    QCOMPARE(live.head(), head);
    QCOMPARE(live.trainable - head, closedFormTrainable(model->config(), c.method, c.knobs));
    QCOMPARE(live.total, closedFormBaseTotal(model->config()) + head);
  }
}

void TestMethods::mergedLoraEqualsUnmerged() {
  for (Family f : {Family::Bert, Family::Gpt2}) {
    TransformerModel model = tinyModel(f);
    const std::string all = "query,key,value,attention.output,intermediate,ffn_output";
    auto method = attachCase(*model, {f, "lora", {{"rank", 2}, {"targets", all}}});
    trainSteps(*model, *method, 3);
    at::Tensor unmerged = logits(*model, *method);
    at::Tensor w0 = model->blocks[0]->attention->query->weight.detach().clone();
    method->merge(*model);
    at::Tensor merged = logits(*model, *method);
    QVERIFY(torch::allclose(merged, unmerged, 0.0, 1e-5));
    QVERIFY(!torch::equal(model->blocks[0]->attention->query->weight, w0));
    method->unmerge(*model);
    // Unmerging restores the base weight bit for bit, so the outputs are exactly the unmerged ones.
    QVERIFY(torch::equal(model->blocks[0]->attention->query->weight, w0));
    QVERIFY(torch::equal(logits(*model, *method), unmerged));
  }
}

void TestMethods::promptLengthensAndMasksPadding() {
  for (Family f : {Family::Bert, Family::Gpt2}) {
    TransformerModel model = tinyModel(f);
    auto method = attachCase(*model, {f, "prompt", {{"length", 4}}});
    torch::NoGradGuard guard;
    ModelInputs in = sampleBatch();
    ModelInputs withPrompt = in;
    method->prepareInputs(withPrompt);
    EncoderOutput out = model->encode(withPrompt);
    QCOMPARE(out.hidden.size(1), in.ids.size(1) + 4);
    QCOMPARE(out.virtualCount, int64_t(4));
    QVERIFY(torch::equal(out.mask.narrow(1, 0, 4), torch::ones({3, 4}, torch::kLong)));
    QVERIFY(torch::equal(out.mask.narrow(1, 4, in.ids.size(1)), in.mask));
    // Right padding changes nothing: the padded second row classifies as it does alone.
    at::Tensor batch = classifyWith(*model, *method, in);
    at::Tensor alone = classifyWith(*model, *method, makeInputs({{2, 21, 22, 3}}));
    QVERIFY(torch::allclose(batch[1], alone[0], 0.0, 1e-5));
  }
}

void TestMethods::promptInitFromLabels() {
  auto tokenizer = tok::loadTokenizer(std::string(PW_TEST_DATA) + "/tokenizers/bert_tiny");
  TransformerModel model = tinyModel(Family::Bert);
  auto method = createMethod("prompt", {{"length", 3}, {"init", "labels"}});
  InitContext ctx;
  ctx.tokenizer = tokenizer.get();
  ctx.labels = {"hello", "playing"};
  applyMethod(*model, *method, ctx);
  const at::Tensor& E = model->word_embeddings->weight;
  at::Tensor prompt = static_cast<PromptMethod&>(*method).prompt();
  const int64_t hello = tokenizer->tokenToId("hello"), play = tokenizer->tokenToId("play"),
                ing = tokenizer->tokenToId("##ing");
  QVERIFY(hello >= 0 && play >= 0 && ing >= 0);
  QVERIFY(torch::equal(prompt[0], E[hello]));
  QVERIFY(torch::allclose(prompt[1], (E[play] + E[ing]) / 2, 0.0, 1e-7));
  QVERIFY(torch::eq(E, prompt[2].unsqueeze(0)).all(1).any().item<bool>());  // a sampled vocabulary row
  // Without the tokenizer the label words cannot be embedded.
  TransformerModel other = tinyModel(Family::Bert);
  auto noTok = createMethod("prompt", {{"length", 3}, {"init", "labels"}});
  QVERIFY_THROWS_EXCEPTION(pw::Error, applyMethod(*other, *noTok, InitContext{}));
}

void TestMethods::prefixShapesAndCausality() {
  for (Family f : {Family::Bert, Family::Gpt2}) {
    TransformerModel model = tinyModel(f);
    auto method = attachCase(*model, {f, "prefix", {{"length", 3}}});
    torch::NoGradGuard guard;
    ModelInputs in = sampleBatch();
    method->prepareInputs(in);
    QCOMPARE(in.prefixKeys.size(), size_t(2));
    for (size_t i = 0; i < 2; ++i) {
      QCOMPARE(in.prefixKeys[i].sizes().vec(), (std::vector<int64_t>{3, 4, 3, 4}));  // (B, H, k, hd)
      QCOMPARE(in.prefixValues[i].sizes().vec(), (std::vector<int64_t>{3, 4, 3, 4}));
    }
    if (f != Family::Gpt2) continue;
    // Causal with a prefix: changing the last token leaves every earlier position's hidden state alone.
    ModelInputs a = makeInputs({{2, 11, 12, 13, 14, 15}}), b = makeInputs({{2, 11, 12, 13, 14, 40}});
    method->prepareInputs(a);
    method->prepareInputs(b);
    at::Tensor ha = model->encode(a).hidden, hb = model->encode(b).hidden;
    QVERIFY(torch::equal(ha.narrow(1, 0, 5), hb.narrow(1, 0, 5)));
    QVERIFY(!torch::allclose(ha.narrow(1, 5, 1), hb.narrow(1, 5, 1)));
  }
}

void TestMethods::prefixBakeKeepsOutputs() {
  for (Family f : {Family::Bert, Family::Gpt2}) {
    TransformerModel model = tinyModel(f);
    auto method = attachCase(*model, {f, "prefix", {{"length", 3}, {"reparam", 8}}});
    trainSteps(*model, *method, 2);
    at::Tensor before = logits(*model, *method);
    method->finishTraining();
    applyTrainability(*model, *method);
    QVERIFY(torch::equal(logits(*model, *method), before));
    auto own = method->ownParameters();
    QCOMPARE(own.size(), size_t(1));
    QCOMPARE(own[0].second.numel(), int64_t(2 * 3 * 2 * 16));  // 2kLd
    QCOMPARE(countParameters(*model, *method).group("prefix"), int64_t(2 * 3 * 2 * 16));
    QCOMPARE(method->knobs().value("baked_from_reparam", 0), 8);
  }
}

void TestMethods::lpftStageTwoStartsFromStageOneHead() {
  for (Family f : {Family::Bert, Family::Gpt2}) {
    TransformerModel model = tinyModel(f);
    auto method = attachCase(*model, {f, "lp-ft", {{"lr_factor", "0.1"}}});
    QCOMPARE(method->stage(), 1);
    QCOMPARE(countParameters(*model, *method).trainable, headParameterCount(model->config(), 2));
    auto start = snapshot(*model, *method);
    trainSteps(*model, *method, 3);
    at::Tensor head1 = model->classifier->weight.detach().clone();
    QVERIFY(!torch::equal(head1, start.at("classifier.weight")));
    QVERIFY(torch::equal(model->word_embeddings->weight, start.at("word_embeddings.weight")));
    QTemporaryDir dir;
    saveAdapter(*model, *method, dir.path().toStdString() + "/stage1");
    QCOMPARE(method->peftType(), std::string("LINEAR_PROBE"));

    method->setStage(*model, 2);
    QVERIFY(torch::equal(model->classifier->weight, head1));  // stage 2 starts from stage 1's head
    QCOMPARE(method->learningRateFactor(), 0.1);
    QVERIFY(model->word_embeddings->weight.requires_grad());
    trainSteps(*model, *method, 1);
    QVERIFY(!torch::equal(model->word_embeddings->weight, start.at("word_embeddings.weight")));
    // The stage-1 folder reloads as LP-FT in stage 1 with that head.
    TransformerModel fresh = tinyModel(f);
    auto loaded = loadAdapter(*fresh, dir.path().toStdString() + "/stage1");
    QCOMPARE(loaded->name(), std::string("lp-ft"));
    QCOMPARE(loaded->stage(), 1);
    QVERIFY(torch::equal(fresh->classifier->weight, head1));
  }
}

QTEST_MAIN(TestMethods)
