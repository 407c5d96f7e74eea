// Adapters PEFT wrote (adapter_config.json without our pw_* facts): the LoRA fields that change the forward are
// honoured (use_rslora as the equivalent alpha, uniform rank / alpha patterns) or refused by name (use_dora,
// layers_to_transform, per-module ranks), never ignored. Fixture: tests/data/torch_pickle (a tiny BERT and a
// PEFT-layout LoRA adapter for it).
// LibTorch before Qt: Qt's `slots` keyword macro breaks torch headers.
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/safetensors.h"
#include "methods/adapter_folder.h"
#include "methods/catalog.h"
#include "methods/lora.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "util/error.h"

using namespace pw;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) { return std::string(PW_TEST_DATA) + "/torch_pickle/" + name; }

ModelInputs inputs() {
  ModelInputs in;
  in.ids = torch::tensor({2, 5, 9, 3, 0, 2, 7, 3, 0, 0}, torch::kLong).reshape({2, 5});
  in.mask = in.ids.ne(0).to(torch::kLong);
  return in;
}

}  // namespace

class TestPeftImport : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

  // A copy of the fixture adapter with `change` applied to its adapter_config.json.
  std::string adapterWith(const std::string& name, const std::function<void(nlohmann::json&)>& change) {
    const std::string dir = tmp_.path().toStdString() + "/" + name;
    fs::create_directories(dir);
    fs::copy_file(fixture("lora_safetensors/adapter_model.safetensors"), dir + "/adapter_model.safetensors",
                  fs::copy_options::overwrite_existing);
    std::ifstream in(fixture("lora_safetensors/adapter_config.json"));
    nlohmann::json cfg = nlohmann::json::parse(in);
    change(cfg);
    std::ofstream(dir + "/adapter_config.json") << cfg.dump(2);
    return dir;
  }

  at::Tensor logitsWith(const std::string& adapter, nlohmann::json* knobs = nullptr) {
    torch::NoGradGuard noGrad;
    LoadedModel m = loadModel(fixture("bert_bin"));
    m.model->eval();
    std::unique_ptr<Method> lora = loadAdapter(*m.model, adapter);
    if (knobs) *knobs = lora->knobs();
    return m.model->classify(inputs());
  }

  std::string errorLoading(const std::string& adapter) {
    try {
      logitsWith(adapter);
    } catch (const pw::Error& e) {
      return e.what();
    }
    return "";
  }

 private Q_SLOTS:
  // rsLoRA scales B A by alpha / sqrt(r): read as alpha' = alpha sqrt(r), the logits are those of plain LoRA
  // with that alpha, and differ from the same folder read without use_rslora.
  void rsloraIsTheEquivalentAlpha() {
    nlohmann::json knobs;
    const at::Tensor rs = logitsWith(adapterWith("rslora", [](nlohmann::json& c) { c["use_rslora"] = true; }), &knobs);
    QCOMPARE(knobs["alpha"].get<double>(), 4.0 * std::sqrt(2.0));
    const at::Tensor same = logitsWith(adapterWith("alpha", [](nlohmann::json& c) { c["lora_alpha"] = 4.0 * std::sqrt(2.0); }));
    QVERIFY(rs.allclose(same, 1e-6, 1e-6));
    const at::Tensor plain = logitsWith(fixture("lora_safetensors"));
    QVERIFY(!rs.allclose(plain, 1e-4, 1e-4));
  }

  void patternsThatChangeNothingAreAccepted() {
    const at::Tensor plain = logitsWith(fixture("lora_safetensors"));
    const at::Tensor same = logitsWith(adapterWith("uniform", [](nlohmann::json& c) {
      c["rank_pattern"] = {{"query", 2}};
      c["alpha_pattern"] = nlohmann::json::object();
      c["use_dora"] = false;
      c["layers_to_transform"] = nullptr;
    }));
    QVERIFY(plain.equal(same));
  }

  // PEFT saves a prefix_projection prefix as the keys and values its MLP produced: such a folder loads like any
  // other and gives the logits of the adapter it was saved from.
  void prefixProjectionFoldersLoad() {
    torch::NoGradGuard noGrad;
    LoadedModel m = loadModel(fixture("bert_bin"));
    m.model->eval();
    m.model->setClassifier({"a", "b", "c"}, 3);
    std::unique_ptr<Method> prefix = createMethod("prefix", {{"length", 3}});
    prefix->attach(*m.model);
    const at::Tensor want = m.model->classify(inputs());
    const std::string dir = tmp_.path().toStdString() + "/prefix-projection";
    saveAdapter(*m.model, *prefix, dir, "bert_bin");
    // As PEFT writes it: no pw_* metadata in the weights, prefix_projection in the config.
    io::writeSafetensors(dir + "/adapter_model.safetensors", io::readSafetensors(dir + "/adapter_model.safetensors"));
    std::ifstream in(dir + "/adapter_config.json");
    nlohmann::json cfg = nlohmann::json::parse(in);
    in.close();
    for (auto it = cfg.begin(); it != cfg.end();)
      it = it.key().rfind("pw_", 0) == 0 ? cfg.erase(it) : std::next(it);
    cfg["prefix_projection"] = true;
    cfg["encoder_hidden_size"] = 16;
    std::ofstream(dir + "/adapter_config.json") << cfg.dump(2);
    QVERIFY(io::readSafetensorsHeader(dir + "/adapter_model.safetensors").metadata.count("pw_knobs") == 0);
    LoadedModel fresh = loadModel(fixture("bert_bin"));
    fresh.model->eval();
    std::unique_ptr<Method> loaded = loadAdapter(*fresh.model, dir);
    QCOMPARE(loaded->knobs()["length"].get<int>(), 3);
    QVERIFY(fresh.model->classify(inputs()).allclose(want, 1e-6, 1e-6));
  }

  void whatWouldChangeTheForwardIsRefusedByName() {
    const std::pair<const char*, std::function<void(nlohmann::json&)>> cases[] = {
        {"use_dora", [](nlohmann::json& c) { c["use_dora"] = true; }},
        {"layers_to_transform", [](nlohmann::json& c) { c["layers_to_transform"] = {0}; }},
        {"rank_pattern", [](nlohmann::json& c) { c["rank_pattern"] = {{"value", 4}}; }},
        {"alpha_pattern", [](nlohmann::json& c) { c["alpha_pattern"] = {{"query", 16}}; }},
    };
    int k = 0;
    for (const auto& [field, change] : cases) {
      const std::string dir = adapterWith("bad" + std::to_string(k++), change);
      const std::string e = errorLoading(dir);
      QVERIFY2(e.find(dir + "/adapter_config.json: " + field) == 0, e.c_str());
    }
  }

  // A target_modules regex that does not compile is refused naming the file and the pattern, before anything is
  // attached (found by the adapter_folder fuzzer after 38,248 executions: the error named no file).
  void anInvalidTargetRegexNamesTheFile() {
    const std::string dir =
        adapterWith("badregex", [](nlohmann::json& c) { c["target_modules"] = {"qu[ry", "value"}; });
    const std::string e = errorLoading(dir);
    QVERIFY2(e.find(dir + "/adapter_config.json: ") == 0, e.c_str());
    QVERIFY2(e.find("\"qu[ry\" is not a valid regular expression") != std::string::npos, e.c_str());
    QVERIFY_THROWS_EXCEPTION(pw::Error, createMethod("lora", {{"targets", {"(query"}}}));
    // A target the model does not have (found after 7,415 more executions: the error named no file).
    const std::string missing =
        adapterWith("badtarget", [](nlohmann::json& c) { c["target_modules"] = {"vglue"}; });
    const std::string e2 = errorLoading(missing);
    QVERIFY2(e2.find(missing + "/adapter_config.json: the method's knobs: target \"vglue\" matches no layer") == 0,
             e2.c_str());
  }

  // An unknown pw_method names the file that holds it (found by the adapter_folder fuzzer after 113,130
  // executions: "unknown method 'phompt'" named no file).
  void anUnknownMethodNamesTheFile() {
    const std::string dir = adapterWith("badmethod", [](nlohmann::json& c) { c["pw_method"] = "phompt"; });
    const std::string e = errorLoading(dir);
    QVERIFY2(e.find(dir + "/adapter_config.json: unknown method 'phompt'") == 0, e.c_str());
    // peft_type of the wrong JSON type (found after 1,072,882 executions: a library type error escaped).
    const std::string typed = adapterWith("badtype", [](nlohmann::json& c) { c["peft_type"] = false; });
    const std::string e2 = errorLoading(typed);
    QVERIFY2(e2 == typed + "/adapter_config.json: peft_type must be a string such as \"LORA\", got a boolean",
             e2.c_str());
  }
};

QTEST_MAIN(TestPeftImport)
#include "tst_peft_import.moc"
