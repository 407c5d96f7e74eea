// Method tests, part 2: parameter accounting against the closed forms on real configs (tests/data/configs),
// METHODS.md's sanity anchors, target patterns, bad input, and the CLI (`params`, `bench-infer`).
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <filesystem>

#include "method_cases.h"
#include "methods/adapter_folder.h"
#include "methods/model_layout.h"
#include "models/model_folder.h"
#include "tst_methods.h"
#include "util/error.h"

using namespace pw;
using namespace pwtest;

namespace {

ModelConfig realConfig(const std::string& name) {
  return readConfigFile(std::string(PW_TEST_DATA) + "/configs/" + name + ".json");
}

ParamBreakdown count(const std::string& config, const std::string& method, const nlohmann::json& knobs,
                     int64_t classes) {
  auto m = createMethod(method, knobs);
  if (m->stageCount() > 1) m->selectStage(2);
  return countParameters(realConfig(config), *m, classes);
}

struct Cli {
  int code;
  nlohmann::json json;
  QString err;
};

// Runs the CLI once per argument list, all at once (each start loads LibTorch, ~0.5 s).
std::vector<Cli> runCli(const QList<QStringList>& argLists) {
  std::vector<std::unique_ptr<QProcess>> procs;
  for (const auto& args : argLists) {
    procs.push_back(std::make_unique<QProcess>());
    procs.back()->start(PW_CLI_PATH, args);
  }
  std::vector<Cli> out;
  for (auto& p : procs) {
    if (!p->waitForFinished(120000)) {
      out.push_back({-1, {}, "timeout or not started: build peft-workbench-cli"});
      continue;
    }
    Cli r{p->exitCode(), {}, QString::fromUtf8(p->readAllStandardError())};
    if (r.code == 0) r.json = nlohmann::json::parse(p->readAllStandardOutput().toStdString(), nullptr, false);
    out.push_back(r);
  }
  return out;
}

QString configPath(const char* name) {
  return QString(PW_TEST_DATA) + "/configs/" + name + ".json";
}

template <typename F>
std::string errorOf(F f) {
  try {
    f();
  } catch (const pw::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

void TestMethods::baseTensorsMatchLiveModel() {
  std::vector<TransformerModel> models = {tinyModel(Family::Bert), tinyModel(Family::Gpt2)};
  // DistilBERT: no token types; its pre_classifier is held as the pooler.
  models.push_back(TransformerModel(readConfigFile(std::string(PW_TEST_DATA) + "/golden/distilbert/config.json")));
  models.back()->setClassifier({"neg", "pos"});
  for (TransformerModel& model : models) {
    std::vector<BaseTensor> expected = baseTensors(model->config());
    size_t i = 0;
    for (const auto& item : model->named_parameters()) {
      if (item.key().rfind("classifier.", 0) == 0) continue;
      QVERIFY(i < expected.size());
      QCOMPARE(item.key(), expected[i].name);
      QCOMPARE(item.value().sizes().vec(), expected[i].shape);
      ++i;
    }
    QCOMPARE(i, expected.size());
    QCOMPARE(baseParameterTotal(model->config()), model->baseParameterCount());
    QCOMPARE(baseParameterTotal(model->config()), closedFormBaseTotal(model->config()));
  }
}

void TestMethods::realConfigsMatchFormulas() {
  QCOMPARE(baseParameterTotal(realConfig("bert-base-uncased")), int64_t(109482240));
  QCOMPARE(baseParameterTotal(realConfig("gpt2")), int64_t(124439808));
  // DistilBertModel's 66,362,880 and pre_classifier (d^2 + d = 590,592), held here as the pooler.
  QCOMPARE(baseParameterTotal(realConfig("distilbert-base-uncased")), int64_t(66362880 + 590592));
  for (const char* name : {"bert-base-uncased", "gpt2", "roberta-large", "distilbert-base-uncased"}) {
    ModelConfig c = realConfig(name);
    for (const auto& mc : methodCases()) {
      ParamBreakdown b = count(name, mc.method, mc.knobs, 3);
      QCOMPARE(b.head(), headParameterCount(c, 3));
      QCOMPARE(b.total, closedFormBaseTotal(c) + b.head());
      QCOMPARE(b.trainable - b.head(), closedFormTrainable(c, mc.method, mc.knobs));
    }
  }
}

void TestMethods::sanityAnchors() {
  ParamBreakdown b = count("bert-base-uncased", "lora", {{"rank", 8}, {"targets", "query,value"}}, 2);
  QCOMPARE(b.group("lora"), int64_t(294912));
  QCOMPARE(b.head(), int64_t(1538));
  QCOMPARE(b.trainable, int64_t(296450));
  QCOMPARE(b.total, int64_t(109483778));
  QVERIFY(std::abs(b.percent - 0.2708) < 5e-5);
  QCOMPARE(count("gpt2", "prompt", {{"length", 20}}, 0).trainable, int64_t(15360));
  QCOMPARE(count("gpt2", "prefix", {{"length", 20}}, 0).trainable, int64_t(368640));
  QCOMPARE(count("gpt2", "lora", {{"rank", 8}}, 0).trainable, int64_t(294912));
  QCOMPARE(count("gpt2", "lora", {{"rank", 8}, {"targets", "c_attn"}}, 0).trainable, int64_t(3 * 294912 / 2));
  // 24 layers, d 1024, f 4096 (roberta-large's sizes, about 355M).
  ParamBreakdown p = count("roberta-large", "prompt", {{"length", 20}}, 0);
  QCOMPARE(p.trainable, int64_t(20480));
  QVERIFY(std::abs(p.percent - 0.0058) < 5e-5);
  ParamBreakdown h = count("roberta-large", "adapter", {{"adapter_size", 64}}, 0);
  QCOMPARE(h.trainable, int64_t(6343680));
  QVERIFY(std::abs(h.percent - 1.8) < 0.05);
  ParamBreakdown l = count("roberta-large", "lora", {{"rank", 8}}, 0);
  QCOMPARE(l.trainable, int64_t(786432));
  QVERIFY(std::abs(l.percent - 0.22) < 0.005);
  ParamBreakdown bf = count("roberta-large", "bitfit", nlohmann::json::object(), 0);
  // "about 272K" with a pooler bias (METHODS.md's BERT formula); RoBERTa pools by the mean here (its pooler is
  // not for classification), so its pooler bias does not train: 272,384 - 1,024.
  QCOMPARE(bf.trainable, int64_t(271360));
  QVERIFY(std::abs(bf.percent - 0.08) < 0.005);
}

void TestMethods::targetsByName() {
  ModelConfig bert = tinyConfig(Family::Bert), gpt = tinyConfig(Family::Gpt2);
  QCOMPARE(selectTargets(gpt, {"c_attn"}).size(), size_t(6));  // q, k, v in 2 layers
  QCOMPARE(selectTargets(gpt, {"attn.c_proj"}).size(), size_t(2));
  QCOMPARE(selectTargets(bert, {"attention.self.query"}).size(), size_t(2));
  QCOMPARE(selectTargets(bert, {"dense"}).size(), size_t(6));   // attention.output, intermediate, output
  // As in PEFT, a dotted suffix catches every module ending so: output.dense is both attention.output.dense and
  // the FFN's output.dense.
  QCOMPARE(selectTargets(bert, {"output.dense"}).size(), size_t(4));
  // DistilBERT's own names, as PEFT users give them (its default LoRA targets are q_lin, v_lin).
  const ModelConfig distil = readConfigFile(std::string(PW_TEST_DATA) + "/golden/distilbert/config.json");
  const auto qv = selectTargets(distil, {"q_lin", "v_lin"});
  QCOMPARE(qv.size(), size_t(4));
  QCOMPARE(qv[1].name, std::string("layers.0.attention.value"));
  QCOMPARE(qv[1].hfName, std::string("distilbert.transformer.layer.0.attention.v_lin"));
  QCOMPARE(selectTargets(distil, {"ffn.lin2"})[1].name, std::string("layers.1.output"));
  QCOMPARE(hfTensorName(distil, "layers.1.ffn_norm.weight"),
           std::string("distilbert.transformer.layer.1.output_layer_norm.weight"));
  QCOMPARE(hfTensorName(distil, "pooler.bias"), std::string("pre_classifier.bias"));
  // RoBERTa's layers are named under roberta., as PEFT saves them.
  QCOMPARE(selectTargets(realConfig("roberta-large"), {"query"})[0].hfName,
           std::string("roberta.encoder.layer.0.attention.self.query"));
  // "output" alone would name both the attention output and the FFN output (twice what a user expects): refused.
  std::string message;
  try {
    selectTargets(bert, {"output"});
  } catch (const std::exception& e) {
    message = e.what();
  }
  QVERIFY2(message.find("attention.output, ffn_output") != std::string::npos, message.c_str());
  QCOMPARE(selectTargets(bert, {"ffn_output"}).size(), size_t(2));
  QCOMPARE(selectTargets(bert, {"ffn_output"})[0].name, std::string("layers.0.output"));
  QCOMPARE(selectTargets(bert, {"attention.output", "ffn_output"}).size(), size_t(4));
  auto re = selectTargets(bert, {R"(layers\.0\.attention\.(query|value))"});
  QCOMPARE(re.size(), size_t(2));
  QCOMPARE(re[0].name, std::string("layers.0.attention.query"));
}

void TestMethods::badInput() {
  ModelConfig bert = tinyConfig(Family::Bert);
  QVERIFY(errorOf([] { createMethod("nope"); }).find("unknown method 'nope'") != std::string::npos);
  QVERIFY(errorOf([] { createMethod("lora", {{"rank", 0}}); }).find("--rank") != std::string::npos);
  QVERIFY(errorOf([] { createMethod("prompt", {{"length", -1}}); }).find("--length") != std::string::npos);
  QVERIFY(!errorOf([] { createMethod("prompt", {{"length", "0"}}); }).empty());
  QVERIFY(!errorOf([] { createMethod("prefix", {{"length", -5}}); }).empty());
  QVERIFY(!errorOf([] { createMethod("lora", {{"rank", "eight"}}); }).empty());
  QVERIFY(!errorOf([] { createMethod("adapter", {{"adapter_kind", "bogus"}}); }).empty());
  QVERIFY(!errorOf([] { createMethod("lp-ft", {{"lr_factor", 0}}); }).empty());
  QVERIFY(errorOf([] { createMethod("prompt", {{"rank", 4}}); }).find("does not apply") != std::string::npos);
  // Model-dependent checks, from a config and on attach alike.
  auto tooLong = createMethod("prompt", {{"length", 31}});  // 32 positions, BERT needs [CLS] and [SEP]
  QVERIFY(errorOf([&] { countParameters(bert, *tooLong, 2); }).find("positions") != std::string::npos);
  TransformerModel model = tinyModel(Family::Bert);
  QVERIFY(!errorOf([&] { applyMethod(*model, *tooLong); }).empty());
  QVERIFY(errorOf([&] { countParameters(realConfig("bert-base-uncased"), *createMethod("prefix", {{"length", 600}}), 2); })
              .find("positions") != std::string::npos);
  auto noTarget = createMethod("lora", {{"targets", "query,nonexistent"}});
  QVERIFY(errorOf([&] { countParameters(bert, *noTarget, 2); }).find("nonexistent") != std::string::npos);
  QVERIFY(!errorOf([&] { applyMethod(*model, *noTarget); }).empty());
  QVERIFY(!errorOf([&] { createMethod("lora", {{"targets", "(unclosed"}})->validate(bert); }).empty());
}

void TestMethods::adapterForAnotherBaseModel() {
  QTemporaryDir dir;
  const std::string root = dir.path().toStdString();
  for (const char* name : {"lora", "prompt", "adapter", "ia3", "ft"}) {
    TransformerModel small = tinyModel(Family::Bert, 16);
    auto m = createMethod(name);
    applyMethod(*small, *m);
    saveAdapter(*small, *m, root + "/" + name);
    for (Family target : {Family::Bert, Family::Gpt2}) {
      TransformerModel other = tinyModel(target, 32);
      at::Tensor before;
      {
        torch::NoGradGuard guard;
        before = other->classify(sampleBatch());
      }
      std::string err = errorOf([&] { loadAdapter(*other, root + "/" + name); });
      QVERIFY2(!err.empty(), name);
      QVERIFY2(err.find("another") != std::string::npos || err.find("no place") != std::string::npos, err.c_str());
      if (std::string(name) == "ft") continue;
      torch::NoGradGuard guard;
      QVERIFY2(torch::equal(other->classify(sampleBatch()), before), name);  // nothing left plugged in
    }
  }
  TransformerModel model = tinyModel(Family::Bert);
  QVERIFY(errorOf([&] { loadAdapter(*model, root + "/missing"); }).find("adapter_config.json") != std::string::npos);
}

void TestMethods::cliParams() {
  QTemporaryDir dir;
  const QString folder = dir.path() + "/tiny";
  TransformerModel model = tinyModel(Family::Gpt2);
  saveModel(*model, folder.toStdString());
  auto params = [](const char* config, QStringList knobs, const char* classes) {
    return QStringList{"params", "--config", configPath(config), "--classes", classes, "--json"} + knobs;
  };
  std::vector<Cli> r = runCli({
      params("bert-base-uncased", {"--method", "lora", "--rank", "8", "--targets", "query,value"}, "2"),
      params("gpt2", {"--method", "prefix", "--length", "20"}, "0"),
      params("roberta-large", {"--method", "adapter", "--adapter-size", "64"}, "0"),
      params("gpt2", {"--method", "lp-ft", "--lr-factor", "0.05"}, "2"),
      // A live model folder gives the same numbers as its config.
      {"params", "--model", folder, "--method", "adapter", "--adapter-kind", "pfeiffer", "--train-layernorm", "--json"},
      {"bench-infer", "--model", folder, "--method", "lora", "--batch", "2", "--seq", "8", "--repeats", "3", "--json"},
  });
  for (const auto& x : r) QVERIFY2(x.code == 0, qPrintable(x.err));
  QCOMPARE(r[0].json["trainable"].get<int64_t>(), int64_t(296450));
  QCOMPARE(r[0].json["total"].get<int64_t>(), int64_t(109483778));
  QCOMPARE(r[0].json["groups"]["lora"].get<int64_t>(), int64_t(294912));
  QVERIFY(std::abs(r[0].json["percent"].get<double>() - 0.2708) < 5e-5);
  QCOMPARE(r[1].json["trainable"].get<int64_t>(), int64_t(368640));
  QCOMPARE(r[2].json["trainable"].get<int64_t>(), int64_t(6343680));
  QCOMPARE(r[3].json["stage1"]["trainable"].get<int64_t>(), int64_t(768 * 2));
  QCOMPARE(r[3].json["trainable"].get<int64_t>(), int64_t(124439808 + 768 * 2));
  QCOMPARE(r[3].json["lr_factor"].get<double>(), 0.05);
  auto m = createMethod("adapter", {{"adapter_kind", "pfeiffer"}, {"train_layernorm", true}});
  QCOMPARE(r[4].json["trainable"].get<int64_t>(), countParameters(tinyConfig(Family::Gpt2), *m, 2).trainable);
  QCOMPARE(r[4].json["source"].get<std::string>(), std::string("model"));
  QVERIFY(r[5].json["results"][0].contains("merged_ms"));
  QVERIFY(r[5].json["results"][0]["base_ms"].get<double>() > 0);
}

void TestMethods::cliBadInput() {
  const QString bert = configPath("bert-base-uncased");
  const QList<QStringList> bad = {
      {"params", "--config", bert, "--method", "nope"},
      {"params", "--config", bert, "--method", "lora", "--rank", "0"},
      {"params", "--config", bert, "--method", "prompt", "--length", "600"},
      {"params", "--config", bert, "--method", "lora", "--targets", "nothing"},
      {"params", "--config", bert, "--model", bert, "--method", "lp"},
      {"bench-infer", "--model", bert + ".missing", "--method", "lora"},
  };
  std::vector<Cli> r = runCli(bad);
  for (int i = 0; i < bad.size(); ++i) {
    QVERIFY2(r[i].code == 1, qPrintable(bad[i].join(' ')));
    QVERIFY2(r[i].err.startsWith("error: "), qPrintable(r[i].err));
  }
}
