// Adding a method takes one descriptor and one registration (issue #14): this test registers a method that
// exists nowhere else, "LayerNorm tuning" (only the LayerNorms' gains and biases train), and checks that the
// parameter accounting, the trainer, the adapter folder round trip, the CLI (`params`, run in this process)
// and the window's method list all pick it up with no other edit; its one knob becomes a CLI flag with its help.
// PW_GUI_TEST; pw-test-cli.
#include "../gui/gui_fixtures.cpp"  // the tiny model and task (torch headers first, then Qt)

#include "methods/adapter_folder.h"
#include "methods/catalog.h"
#include "methods/method.h"
#include "methods/model_layout.h"
#include "models/model_folder.h"
#include "train/trainer.h"

#include <QtTest>

#include <iostream>
#include <sstream>

#include "command.h"
#include "experiment_panel.h"
#include "method_colors.h"

namespace {

// The whole method: what trains, and its descriptor.
class LayerNormTuning : public pw::Method {
 public:
  std::string groupOf(const std::string& n) const override {
    if (knobs().value("skip_outer_norm", false) && (n.rfind("embeddings_norm.", 0) == 0 || n.rfind("final_norm.", 0) == 0))
      return "";
    return n.find("_norm.") != std::string::npos ? "layernorm" : "";
  }

 protected:
  void create(pw::TransformerModelImpl&, const pw::InitContext&) override {}
};

pw::MethodDescriptor layerNormTuning() {
  pw::MethodDescriptor m;
  m.name = "ln-tune";
  m.title = "LayerNorm tuning";
  m.summary = "only the LayerNorms' gains and biases train";
  m.formula = "gamma, beta of every LayerNorm";
  m.colour = "#17becf";
  m.help = "LayerNorm tuning: every LayerNorm's gain and bias trains, nothing else: (2L + 1) x 2d parameters.";
  m.knobs = {pw::flagKnob("skip_outer_norm", "Skip the outer LayerNorm", false,
                           "Leave the embeddings' (BERT) or the final (GPT-2) LayerNorm frozen: 2L x 2d parameters.")};
  m.groups = {{"layernorm", "LayerNorms", "LayerNorms"}};
  m.plan = {{pw::TrainingStage::Kind::Gradient, "LayerNorms", "", ""}};
  m.rates = {{"quick", 1e-2, 1e-2, "a test's guess"}};
  m.peftType = "LN_TUNING";
  m.make = [](const nlohmann::json&) -> std::unique_ptr<pw::Method> { return std::make_unique<LayerNormTuning>(); };
  return m;
}

int64_t closedForm(const pw::ModelConfig& c) { return (2 * c.layers + 1) * 2 * c.hidden; }

// Runs a CLI command here, returning its exit code and what it printed on stdout.
int runCli(std::vector<std::string> args, std::string* out) {
  args.insert(args.begin(), "peft-workbench-cli");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  const int rc = pw::cli::runCli(int(argv.size()), argv.data());
  std::cout.rdbuf(old);
  *out = captured.str();
  return rc;
}

}  // namespace

class TestExtension : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString model_, task_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    model_ = pw::testing::makeTinyModel(dir_.path() + "/tiny-model");
    task_ = pw::testing::makeTinyTask(dir_.path() + "/tiny-task");
    pw::registerMethod(layerNormTuning());
  }

  void registryListsIt() {
    const auto names = pw::methodNames();
    QVERIFY(std::find(names.begin(), names.end(), "ln-tune") != names.end());
    QCOMPARE(pw::methodHelp("ln-tune"), layerNormTuning().help);
    bool refused = false;
    try {
      pw::registerMethod(layerNormTuning());
    } catch (const pw::Error& e) {
      refused = std::string(e.what()).find("already registered") != std::string::npos;
    }
    QVERIFY(refused);
    // Knob checking comes from the (empty) specs: a knob it does not have is refused.
    QVERIFY_THROWS_EXCEPTION(pw::Error, pw::createMethod("ln-tune", {{"rank", 4}}));
  }

  void accountingCountsItExactly() {
    const pw::ModelConfig c = pw::readConfigFile(model_.toStdString() + "/config.json");
    const pw::ParamBreakdown b = pw::parameterBudget(c, "ln-tune", {}, 2);
    QCOMPARE(b.group("layernorm"), closedForm(c));
    QCOMPARE(b.head(), pw::headParameterCount(c, 2));
    QCOMPARE(b.trainable, closedForm(c) + b.head());
    // The live model agrees with the config-only count.
    pw::LoadedModel loaded = pw::loadModel(model_.toStdString());
    loaded.model->setClassifier({"animal", "plant"});
    auto method = pw::createMethod("ln-tune");
    pw::applyMethod(*loaded.model, *method);
    QVERIFY(pw::countParameters(*loaded.model, *method) == b);
  }

  void trainerRunsItsPlan() {
    pw::TrainConfig config;
    config.model = model_.toStdString();
    config.task = task_.toStdString();
    config.method = "ln-tune";
    config = pw::applyPreset(config, "quick");
    config.epochs = 1;
    config.precision = "fp32";
    pw::Trainer trainer(config);
    const pw::RunResult r = trainer.run();
    QVERIFY2(r.status == pw::RunStatus::Finished, r.error.c_str());
    QVERIFY(r.steps > 0);
    QCOMPARE(r.params.group("layernorm"), closedForm(pw::readConfigFile(model_.toStdString() + "/config.json")));
    QCOMPARE(config.effectiveLr(), 1e-2);  // its own descriptor's default rate
  }

  void adapterFolderRoundTrip() {
    pw::LoadedModel a = pw::loadModel(model_.toStdString());
    a.model->setClassifier({"animal", "plant"});
    auto method = pw::createMethod("ln-tune");
    pw::applyMethod(*a.model, *method);
    {
      torch::NoGradGuard guard;
      for (auto& [name, t] : pw::trainableParameters(*a.model, *method)) t.add_(0.1 * torch::randn_like(t));
    }
    pw::ModelInputs in;
    in.ids = torch::tensor({{2, 7, 9, 3}}, torch::kLong);
    in.mask = torch::ones({1, 4}, torch::kLong);
    a.model->eval();
    const at::Tensor before = pw::classifyWith(*a.model, *method, in);
    const std::string folder = dir_.path().toStdString() + "/ln-adapter";
    pw::saveAdapter(*a.model, *method, folder, model_.toStdString());
    pw::LoadedModel b = pw::loadModel(model_.toStdString());
    auto loaded = pw::loadAdapter(*b.model, folder);
    QCOMPARE(loaded->name(), std::string("ln-tune"));  // found by its peft_type and our metadata
    b.model->eval();
    QVERIFY(torch::allclose(pw::classifyWith(*b.model, *loaded, in), before, 1e-6, 1e-6));
  }

  void cliPicksItUp() {
    std::string out;
    const std::string config = model_.toStdString() + "/config.json";
    QCOMPARE(runCli({"params", "--config", config, "--method", "ln-tune", "--json"}, &out), 0);
    const nlohmann::json j = nlohmann::json::parse(out);
    QCOMPARE(j.at("method").get<std::string>(), std::string("ln-tune"));
    QCOMPARE(j.at("groups").at("layernorm").get<int64_t>(), closedForm(pw::readConfigFile(config)));
    QCOMPARE(runCli({"params", "--config", config, "--method", "ln-tune"}, &out), 0);
    QVERIFY2(out.find("LayerNorm tuning: every LayerNorm") != std::string::npos, out.c_str());
    // Its knob is a flag of every command that takes method knobs, with the descriptor's words in --help.
    QCOMPARE(runCli({"params", "--config", config, "--method", "ln-tune", "--skip-outer-norm", "--json"}, &out), 0);
    const pw::ModelConfig c = pw::readConfigFile(config);
    QCOMPARE(nlohmann::json::parse(out).at("groups").at("layernorm").get<int64_t>(), 2 * c.layers * 2 * c.hidden);
    QCOMPARE(runCli({"train", "--help"}, &out), 0);
    QVERIFY2(out.find("--skip-outer-norm") != std::string::npos, out.c_str());
    const QString help = QString::fromStdString(out).simplified();  // the help wraps its lines
    QVERIFY(help.contains("ln-tune: Skip the outer LayerNorm, default false."));
    QVERIFY(help.contains("lora, bitfit, ia3, ln-tune"));  // --method's list
  }

  void windowListsIt() {
    pw::ui::ExperimentPanel panel(dir_.path() + "/tasks");
    panel.setCheckedMethods({"ln-tune"});
    QCOMPARE(panel.checkedMethods(), QStringList{"ln-tune"});
    panel.selectMethod("ln-tune");
    QCOMPARE(panel.selectedMethod(), QString("ln-tune"));
    QCOMPARE(pw::ui::methodTitle("ln-tune"), QString("LayerNorm tuning"));
    QCOMPARE(pw::ui::methodColor("ln-tune"), QColor("#17becf"));
  }
};

QTEST_MAIN(TestExtension)
#include "tst_extension.moc"
