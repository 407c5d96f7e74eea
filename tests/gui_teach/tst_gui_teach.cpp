// GUI tests for the teaching parts (PW_GUI_TEST), on a tiny model and task under the offscreen platform:
// runs trained in the window keep their method state; the Try it tab's probabilities sum to 1 and match
// `peft-workbench-cli predict` for the same runs, after a restart; the Architecture tab highlights the
// right parts for every method and follows the panel's method and knobs; knob tooltips and the method help
// (with the exact 24 x 1024 table); sessions save and reopen runs, knobs and tab, refuse newer versions and
// find a lesson's database next to the file; exported adapters reload to the same outputs; deleting a run
// deletes its adapter folder.
#include "../gui/gui_fixtures.cpp"  // the tiny model and task of the GUI tests (torch headers first)

#include "methods/adapter_folder.h"
#include "methods/architecture_map.h"
#include "methods/catalog.h"
#include "models/model_folder.h"
#include "results/results_db.h"
#include "train/batches.h"
#include "train/evaluate.h"
#include "train/saved_run.h"
#include "train/trainer.h"
#include "util/precision_scope.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "architecture_tab.h"
#include "charts/chart_style.h"
#include "core_facts.h"
#include "experiment_panel.h"
#include "main_window.h"
#include "method_colors.h"
#include "method_help.h"
#include "qcp.h"
#include "run_adapters.h"
#include "runs_panel.h"
#include "session.h"
#include "try_it_tab.h"

using pw::ui::BoxState;
using pw::ui::MainWindow;

namespace {

QSet<QString> keysIn(const pw::ui::ArchitectureDiagram& d, BoxState state) {
  const QStringList keys = d.keys(state);
  return QSet<QString>(keys.begin(), keys.end());
}

// `predict` through the command line, as JSON.
QJsonObject cliPredict(const QString& db, qint64 run, const QStringList& texts) {
  QProcess p;
  p.start(PW_CLI_PATH, QStringList{"predict", "--run", QString::number(run), "--db", db, "--json"} + texts);
  p.waitForFinished(60000);
  const QJsonObject j = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
  if (p.exitCode() != 0 || j.isEmpty()) qWarning() << "cli predict failed:" << p.readAllStandardError();
  return j;
}

}  // namespace

class TestGuiTeach : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString model_, task_, db_;
  QList<qint64> trained_;  // lora, ft, prefix, adapter
  qint64 stateless_ = 0;   // a finished run recorded without method state

  void prepare(MainWindow& w, const QStringList& methods) {
    QVERIFY(pw::testing::chooseTinyExperiment(w.panel(), model_, task_, methods, 1));
  }


  const pw::results::RunRecord* record(MainWindow& w, qint64 id) {
    const int row = w.runsPanel()->model()->rowOfRun(id);
    return row >= 0 ? &w.runsPanel()->model()->run(row) : nullptr;
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("peft-workbench-teach-tests");
    QSettings().clear();
    QVERIFY(dir_.isValid());
    model_ = pw::testing::makeTinyModel(dir_.path() + "/tiny-model");
    task_ = pw::testing::makeTinyTask(dir_.path() + "/tiny-task");
    db_ = dir_.path() + "/results.sqlite";
    {
      MainWindow w(db_);
      w.show();
      prepare(w, {"lora", "ft", "prefix", "adapter"});
      QSignalSpy done(&w, &MainWindow::queueFinished);
      w.startRun();
      QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 120000);
      for (const auto& r : w.runsPanel()->model()->runs()) {
        QCOMPARE(QString(pw::statusName(r.status)), QString("finished"));
        trained_ << r.id;
      }
      QCOMPARE(trained_.size(), 4);
    }
    // A finished run from before method state was kept: Try it and export must say so.
    pw::results::ResultsDb db(db_.toStdString());
    pw::results::RunRecord r = *db.getRun(trained_.first());
    r.adapterDir.clear();
    r.status = pw::RunStatus::Running;
    r.knobs["rank"] = 2;  // another configuration, so the runs table does not group it with the first run
    r.config["knobs"]["rank"] = 2;
    stateless_ = db.beginRun(r);
    r.id = stateless_;
    r.status = pw::RunStatus::Finished;
    db.finishRun(r);
  }

  void runsKeepTheirMethodState() {
    pw::results::ResultsDb db(db_.toStdString());
    for (qint64 id : trained_) {
      const auto r = db.getRun(id);
      QCOMPARE(QString::fromStdString(r->adapterDir), pw::ui::runAdapterFolder(db_, id));
      QVERIFY(pw::ui::isAdapterFolder(QString::fromStdString(r->adapterDir)));
    }
    QCOMPARE(pw::ui::runAdapterFolder(db_, 7), dir_.path() + "/adapters/run-7");
    QCOMPARE(pw::ui::runAdapterFolder(dir_.path() + "/other.sqlite", 7), dir_.path() + "/adapters/other/run-7");
  }

  void tryItMatchesTheCommandLineAfterARestart() {
    MainWindow w(db_);  // a fresh window on the database: the runs come back from their adapter folders
    w.resize(1280, 800);
    w.show();
    QVERIFY(w.showTab("Try it"));
    pw::ui::TryItTab* tab = w.tryItTab();
    QTRY_COMPARE(tab->shownRunIds().size(), trained_.size() + 1);
    QVERIFY2(tab->cardNote(stateless_).contains("kept no method state"), qPrintable(tab->cardNote(stateless_)));

    const QString text = "A whale seen near the river.";
    QSignalSpy ready(tab, &pw::ui::TryItTab::predictionsReady);
    QElapsedTimer clock;
    clock.start();
    tab->input()->setText(text);  // as typed
    QVERIFY(tab->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!tab->isBusy() && ready.count() > 0, 60000);
    const qint64 firstMs = clock.elapsed();
    for (qint64 id : trained_) {
      const pw::ui::TryItPrediction p = tab->prediction(id);
      QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
      QCOMPARE(p.text, text);
      QCOMPARE(p.classes, QStringList({"animal", "plant"}));
      double sum = 0;
      for (double v : p.probabilities) sum += v;
      QVERIFY(std::abs(sum - 1.0) < 1e-6);  // float32 softmax
      const QJsonObject cli = cliPredict(db_, id, {text});
      const QJsonArray probs = cli["predictions"].toArray().first().toObject()["probabilities"].toArray();
      QCOMPARE(probs.size(), 2);
      for (int c = 0; c < 2; ++c)
        QVERIFY2(std::abs(probs[c].toDouble() - p.probabilities[c]) < 1e-6,
                 qPrintable(QString("run %1 class %2: GUI %3, CLI %4").arg(id).arg(c).arg(p.probabilities[c]).arg(probs[c].toDouble())));
      QCOMPARE(cli["classes"].toArray().first().toString(), QString("animal"));
    }
    // Typing again: the runs are loaded now, so only the prediction itself is left after the debounce.
    ready.clear();
    clock.restart();
    tab->input()->setText("The oak grows in spring.");
    QTRY_VERIFY_WITH_TIMEOUT(!tab->isBusy() && ready.count() > 0, 30000);
    qInfo("Try it: %lld ms for the first sentence (loading %d runs), %lld ms for the next (300 ms of it debounce)",
          static_cast<long long>(firstMs), int(trained_.size()), static_cast<long long>(clock.elapsed()));
    QCOMPARE(tab->prediction(trained_.first()).text, QString("The oak grows in spring."));

    // Selected rows: only they are shown; every card's chart is a QCustomPlot (exportable).
    w.runsPanel()->selectRuns({trained_[1]});
    QTRY_COMPARE(tab->shownRunIds(), QList<qint64>({trained_[1]}));
    QTRY_VERIFY(!tab->isBusy());
    QCOMPARE(tab->findChildren<QCustomPlot*>().size(), 1);
  }

  void architectureHighlightsWhereEachMethodActs() {
    using S = QSet<QString>;
    const pw::ModelConfig bert = pw::ui::modelConfigOf(model_);
    auto diagram = [&](const pw::ModelConfig& c, const std::string& method, const nlohmann::json& knobs) {
      return pw::ui::layoutArchitecture(pw::architectureView(c, method, knobs, 2), c.family);
    };
    const auto none = nlohmann::json::object();
    QCOMPARE(keysIn(diagram(bert, "lora", none), BoxState::Added), (S{"q", "v"}));
    QCOMPARE(keysIn(diagram(bert, "lora", none), BoxState::Unfrozen), (S{"head"}));
    QCOMPARE(keysIn(diagram(bert, "lora", {{"targets", "query,key,intermediate"}}), BoxState::Added), (S{"q", "k", "ffn_up"}));
    QCOMPARE(keysIn(diagram(bert, "prompt", none), BoxState::Added), (S{"prompt"}));
    QCOMPARE(keysIn(diagram(bert, "prefix", none), BoxState::Added), (S{"prefix"}));
    QCOMPARE(keysIn(diagram(bert, "adapter", none), BoxState::Added), (S{"adapter_attn", "adapter_ffn"}));
    const auto pfeiffer = diagram(bert, "adapter", {{"adapter_kind", "pfeiffer"}});
    QCOMPARE(keysIn(pfeiffer, BoxState::Added), (S{"adapter_ffn"}));
    QCOMPARE(pfeiffer.box("adapter_attn")->state, BoxState::Slot);
    QCOMPARE(keysIn(diagram(bert, "adapter", {{"train_layernorm", true}}), BoxState::Unfrozen),
             (S{"embeddings", "attn_norm", "ffn_norm", "head"}));
    QCOMPARE(keysIn(diagram(bert, "ia3", none), BoxState::Added), (S{"k", "v", "ffn_act"}));
    QCOMPARE(keysIn(diagram(bert, "lp", none), BoxState::Unfrozen), (S{"head"}));
    QVERIFY(keysIn(diagram(bert, "lp", none), BoxState::Added).isEmpty());
    const auto bitfit = diagram(bert, "bitfit", none);
    QVERIFY(keysIn(bitfit, BoxState::Added).isEmpty());
    QCOMPARE(keysIn(bitfit, BoxState::Unfrozen),
             (S{"embeddings", "q", "k", "v", "o", "attn_norm", "ffn_up", "ffn_down", "ffn_norm", "pooler", "head"}));
    QVERIFY(bitfit.box("q")->trainable < bitfit.box("q")->baseTotal);  // biases only
    for (const char* m : {"ft", "lp-ft"}) {
      const auto d = diagram(bert, m, none);
      QVERIFY(keysIn(d, BoxState::Frozen).isEmpty());
      for (const auto& b : d.boxes)
        if (b.state == BoxState::Unfrozen) QCOMPARE(b.trainable, b.baseTotal);
    }
    // Every box carries its part's count; the counts add up to the accounting.
    const auto lora = diagram(bert, "lora", {{"rank", 4}});
    QCOMPARE(lora.box("q")->trainable, 4 * 2 * bert.hidden * bert.layers);
    QCOMPARE(lora.colour, pw::ui::methodColor("lora"));
    qint64 sum = 0;
    for (const auto& b : lora.boxes) sum += b.trainable;
    QCOMPARE(sum, qint64(pw::parameterBudget(bert, "lora", {{"rank", 4}}, 2).trainable));
    // BERT draws a pooler and Add & LayerNorm after each sublayer; GPT-2 LayerNorm before, a final LayerNorm.
    QVERIFY(lora.box("pooler") && !lora.box("final_norm") && !lora.box("add_attn"));
    // Mean pooling (the shipped models): the mean feeds the head; no pooler is drawn, none trains.
    pw::ModelConfig meanBert = bert;
    meanBert.pooling = "mean";
    const auto meanFt = diagram(meanBert, "ft", none);
    QVERIFY(meanFt.box("pool_mean") && !meanFt.box("pooler"));
    QVERIFY(lora.box("attn_norm")->rect.top() > lora.box("o")->rect.top());
    const auto gpt2 = diagram(pw::makeConfig(pw::Family::Gpt2, 64, 2, 16, 2, 32), "lora", none);
    QVERIFY(!gpt2.box("pooler") && gpt2.box("final_norm") && gpt2.box("add_attn"));
    QVERIFY(gpt2.box("attn_norm")->rect.top() < gpt2.box("q")->rect.top());
    QCOMPARE(keysIn(gpt2, BoxState::Added), (S{"q", "v"}));
    for (const auto& b : gpt2.boxes) {  // every part inside the "x L layers" bracket or outside it, never across
      const bool inside = b.rect.top() >= gpt2.blockBottom && b.rect.bottom() <= gpt2.blockTop;
      const bool below = b.rect.bottom() <= gpt2.blockBottom, above = b.rect.top() >= gpt2.blockTop;
      QVERIFY2(inside || below || above, qPrintable(b.key));
    }
  }

  void architectureTabFollowsThePanel() {
    MainWindow w(db_);
    w.resize(1280, 800);
    w.show();
    prepare(w, {"lora", "adapter"});
    QVERIFY(w.showTab("Architecture"));
    pw::ui::ArchitectureTab* tab = w.architectureTab();
    auto waitFor = [&](const QString& method) {
      QTRY_VERIFY_WITH_TIMEOUT(!tab->isComputing() && tab->diagram().method == method, 20000);
    };
    w.panel()->selectMethod("adapter");
    waitFor("adapter");
    QCOMPARE(keysIn(tab->diagram(), BoxState::Added), (QSet<QString>{"adapter_attn", "adapter_ffn"}));
    QVERIFY(tab->plot()->itemCount() > tab->diagram().boxes.size());  // boxes, labels, arrows, bracket, legend
    QVERIFY(pw::ui::chartTitle(tab->plot())->text().contains(QString::fromStdString(pw::methodDescriptor("adapter").formula)));
    w.panel()->setKnob("lora", "rank", 4);  // selects LoRA too
    waitFor("lora");
    QTRY_VERIFY(!tab->isComputing());
    const qint64 rank4 = tab->diagram().box("q")->trainable;
    w.panel()->setKnob("lora", "rank", 8);
    QTRY_VERIFY_WITH_TIMEOUT(!tab->isComputing() && tab->diagram().box("q")->trainable == 2 * rank4, 20000);
    QVERIFY(tab->errorText().isEmpty());
    // The help pane follows the same selection.
    QCOMPARE(w.helpPane()->method(), QString("lora"));
    QVERIFY(w.helpPane()->text().contains("Hu et al."));
  }

  void knobTooltipsAndMethodHelp() {
    MainWindow w(db_);
    w.panel()->selectMethod("prompt");
    for (const auto& spec : pw::methodDescriptor("prompt").knobs) {
      auto* editor = w.panel()->findChild<QWidget*>(QString::fromStdString(spec.key));
      QVERIFY(editor);
      QCOMPARE(editor->toolTip(), QString::fromStdString(spec.help));
    }
    // The 24 x 1024 table: the built-in config is RoBERTa-large's (the resource is tests/data's file), and the
    // figures are METHODS.md's anchors.
    const pw::ModelConfig file = pw::readConfigFile(std::string(PW_TEST_DATA) + "/configs/roberta-large.json");
    const pw::ModelConfig built = pw::ui::largeReferenceConfig();
    QCOMPARE(built.toJson(), file.toJson());
    QCOMPARE(built.layers, int64_t(24));
    QCOMPARE(built.hidden, int64_t(1024));
    QHash<QString, pw::ui::LargeModelRow> rows;
    for (const auto& r : pw::ui::largeModelTable()) rows[r.method] = r;
    QCOMPARE(rows.size(), int(pw::methodCatalog().size()));
    QCOMPARE(rows["prompt"].trainable, qint64(20480));
    QCOMPARE(rows["adapter"].trainable, qint64(6343680));
    QCOMPARE(rows["lora"].trainable, qint64(786432));
    QCOMPARE(rows["bitfit"].trainable, qint64(271360));  // RoBERTa's pooler is off the path (mean pooling)
    QCOMPARE(rows["lp"].trainable, qint64(0));
    QCOMPARE(rows["lora"].knobs, QString("r=8 alpha=8 targets=query,value"));
    QCOMPARE(QString::number(rows["prompt"].percent, 'f', 4), QString("0.0058"));
    QCOMPARE(QString::number(rows["adapter"].percent, 'f', 1), QString("1.8"));
    QCOMPARE(QString::number(rows["lora"].percent, 'f', 2), QString("0.22"));
    QCOMPARE(QString::number(rows["bitfit"].percent, 'f', 2), QString("0.08"));
    QVERIFY(rows["bitfit"].correction.contains("50,176"));  // the 49 LayerNorm gains the slide also counts
    QVERIFY(rows["prompt"].correction.contains("15,360"));
    const QString help = w.helpPane()->text();
    QCOMPARE(w.helpPane()->method(), QString("prompt"));
    for (const char* s : {"Lester et al.", "20,480", "6,343,680", "786,432", "271,360", "0.32M"})
      QVERIFY2(help.contains(s), s);
    // Changed knobs: the pane adds the count with them at 24 x 1024.
    w.panel()->setKnob("prompt", "length", 100);
    QTRY_VERIFY(w.helpPane()->text().contains("With your knobs (k=100"));
    QVERIFY(w.helpPane()->text().contains("102,400"));
  }

  void sessionSaveAndOpenRestoreRunsKnobsAndTab() {
    const QString file = dir_.path() + "/lesson.pwb";
    nlohmann::json saved;
    {
      MainWindow w(db_);
      w.show();
      prepare(w, {"prefix", "bitfit"});
      w.panel()->setKnob("prefix", "length", 7);
      w.panel()->setKnob("lora", "rank", 16);
      w.panel()->setKnob("lora", "targets", nlohmann::json::array({"query", "key"}));
      w.panel()->setEpochs(2);
      w.panel()->setSeeds(3);
      w.panel()->selectMethod("prefix");
      w.runsPanel()->selectRuns({trained_[0], trained_[2]});
      QVERIFY(w.showTab("Architecture"));
      w.tryItTab()->setText("A sparrow in the oak.");
      QString error;
      QVERIFY2(w.saveSession(file, &error), qPrintable(error));
      saved = w.panel()->state();
    }
    QCOMPARE(pw::ui::recentSessions().value(0), QFileInfo(file).absoluteFilePath());
    QSettings().clear();  // another machine: nothing remembered

    MainWindow w(dir_.path() + "/elsewhere.sqlite");
    w.show();
    QCOMPARE(w.runsPanel()->model()->rowCount(), 0);
    QString error;
    QVERIFY2(w.openSession(file, &error), qPrintable(error));
    QCOMPARE(QFileInfo(w.databasePath()).absoluteFilePath(), QFileInfo(db_).absoluteFilePath());
    QCOMPARE(w.runsPanel()->model()->rowCount(), trained_.size() + 1);
    QList<qint64> selected = w.runsPanel()->selectedRunIds();
    std::sort(selected.begin(), selected.end());
    QCOMPARE(selected, QList<qint64>({trained_[0], trained_[2]}));
    QCOMPARE(w.tabs()->tabText(w.tabs()->currentIndex()), QString("Architecture"));
    QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading(), 20000);
    QCOMPARE(w.panel()->state(), saved);
    QCOMPARE(w.panel()->knobs("prefix")["length"].get<int>(), 7);
    QCOMPARE(w.panel()->knobs("lora")["rank"].get<int>(), 16);
    QCOMPARE(w.panel()->checkedMethods(), QStringList({"prefix", "bitfit"}));
    QCOMPARE(int(w.panel()->runConfigs().size()), 6);
    QCOMPARE(w.panel()->runConfigs().front().epochs, 2);
    QCOMPARE(w.panel()->selectedMethod(), QString("prefix"));
    QCOMPARE(w.tryItTab()->text(), QString("A sparrow in the oak."));

    // Runs trained after the switch are recorded in the session's database, with their method state there.
    QCOMPARE(pw::ui::runAdapterFolder(w.databasePath(), 99), dir_.path() + "/adapters/run-99");

    // A lesson folder copied elsewhere: the database beside the file is found through the relative path.
    QTemporaryDir lesson;
    QVERIFY(QFile::copy(db_, lesson.path() + "/results.sqlite"));
    pw::ui::Session session;
    session.experiment = saved;
    session.tab = "Try it";
    session.database = lesson.path() + "/results.sqlite";
    session.shownRuns = {trained_[1]};
    nlohmann::json j = pw::ui::sessionToJson(session, lesson.path() + "/lesson.pwb");
    QCOMPARE(QString::fromStdString(j["runs"]["database_relative"].get<std::string>()), QString("results.sqlite"));
    j["runs"]["database"] = "/nowhere/results.sqlite";  // the teacher's machine
    {
      std::ofstream out((lesson.path() + "/lesson.pwb").toStdString());
      out << j.dump(2);
    }
    QVERIFY2(w.openSession(lesson.path() + "/lesson.pwb", &error), qPrintable(error));
    QCOMPARE(w.databasePath(), QFileInfo(lesson.path() + "/results.sqlite").absoluteFilePath());
    QCOMPARE(w.runsPanel()->selectedRunIds(), QList<qint64>({trained_[1]}));
    QCOMPARE(w.tabs()->tabText(w.tabs()->currentIndex()), QString("Try it"));

    // A newer format is refused, saying so; the window is unchanged.
    j["version"] = pw::ui::kSessionFormatVersion + 1;
    {
      std::ofstream out((lesson.path() + "/newer.pwb").toStdString());
      out << j.dump(2);
    }
    QVERIFY(!w.openSession(lesson.path() + "/newer.pwb", &error));
    QVERIFY2(error.contains("newer PEFT Workbench") && error.contains("version 2"), qPrintable(error));
    QCOMPARE(w.databasePath(), QFileInfo(lesson.path() + "/results.sqlite").absoluteFilePath());
    QVERIFY(!w.openSession(model_ + "/config.json", &error));
    QVERIFY2(error.contains("not a PEFT Workbench session"), qPrintable(error));
    // Numbers are range-checked before narrowing (4294967297 read as version 1 before), and a deeply nested
    // value fails with the file's name instead of crashing the window.
    j["version"] = 4294967297LL;
    {
      std::ofstream out((lesson.path() + "/huge.pwb").toStdString());
      out << j.dump(2);
    }
    QVERIFY(!w.openSession(lesson.path() + "/huge.pwb", &error));
    QVERIFY2(error.contains("no valid format version"), qPrintable(error));
    {
      std::ofstream out((lesson.path() + "/deep.pwb").toStdString());
      out << "{\"format\": \"x\", \"experiment\": " << std::string(200000, '[') << std::string(200000, ']') << "}";
    }
    QVERIFY(!w.openSession(lesson.path() + "/deep.pwb", &error));
    QVERIFY2(error.contains("deep.pwb") && error.contains("nested more than"), qPrintable(error));
    QVERIFY(w.switchDatabase(db_, &error));
  }

  void exportedAdaptersReloadToTheSameOutputs() {
    MainWindow w(db_);
    w.show();
    const std::vector<std::string> texts = {"A fox seen near the river.", "notes on the fern, briefly"};
    for (qint64 id : trained_) {
      w.runsPanel()->selectRuns({id});
      w.updateExportAdapterAction();
      QVERIFY2(w.exportAdapterAction()->isEnabled(), qPrintable(w.exportAdapterAction()->toolTip()));
      const QString out = dir_.path() + QString("/exported/run-%1").arg(id);
      QString error;
      QVERIFY2(w.exportRunAdapter(id, out, &error), qPrintable(error));
      QVERIFY(QFile::exists(out + "/adapter_config.json"));
      const auto* r = record(w, id);
      const pw::TrainConfig config = pw::TrainConfig::fromJson(r->config);
      pw::SavedRun original(config, r->adapterDir), exported(config, out.toStdString());
      const auto a = original.probabilities(texts), b = exported.probabilities(texts);
      QVERIFY(a == b);  // the same files: the same numbers, exactly
      if (r->method == "lora") {  // and the PEFT folder loads onto a plain base model with loadAdapter
        QVERIFY(QFile::exists(out + "/adapter_model.safetensors"));
        pw::LoadedModel base = pw::loadModel(model_.toStdString());
        auto method = pw::loadAdapter(*base.model, out.toStdString());
        pw::EncodedSplit split = pw::encodeSplit(*base.tokenizer, {{texts[0], 0}, {texts[1], 0}}, config.maxLength);
        pw::PrecisionScope scope(pw::resolvePrecision(config.precision));  // as the saved run predicts
        const auto c = pw::classProbabilities(*base.model, *method, split);
        for (size_t i = 0; i < texts.size(); ++i)
          for (size_t k = 0; k < 2; ++k) QVERIFY(std::abs(c[i][k] - a[i][k]) < 1e-6);
      }
    }
    // A run without saved state, and a multi-run selection: disabled, and the tooltip says why.
    w.runsPanel()->selectRuns({stateless_});
    w.updateExportAdapterAction();
    QVERIFY(!w.exportAdapterAction()->isEnabled());
    QVERIFY(w.exportAdapterAction()->toolTip().contains("kept no method state"));
    w.runsPanel()->setGroupSeeds(false);
    w.runsPanel()->selectRuns({trained_[0], trained_[1]});
    w.updateExportAdapterAction();
    QVERIFY(!w.exportAdapterAction()->isEnabled());
    QString error;
    QVERIFY(!w.exportRunAdapter(stateless_, dir_.path() + "/exported/none", &error));
  }

  void deletingARunDeletesItsAdapterFolder() {
    MainWindow w(db_);
    const qint64 victim = trained_.last();
    const QString folder = pw::ui::runAdapterFolder(db_, victim);
    QVERIFY(QFileInfo(folder).isDir());
    // An export of the victim made here (not the previous test's), so this test holds alone.
    QTemporaryDir exports;
    const QString exported = exports.path() + "/run-" + QString::number(victim);
    QString error;
    QVERIFY2(w.exportRunAdapter(victim, exported, &error), qPrintable(error));
    w.deleteRuns({victim}, false);
    QVERIFY(!QFileInfo::exists(folder));
    QVERIFY(QFileInfo(pw::ui::runAdapterFolder(db_, trained_.first())).isDir());  // the others stay
    QVERIFY(QFileInfo(exported).isDir());  // exports are the user's
  }
};

QTEST_MAIN(TestGuiTeach)
#include "tst_gui_teach.moc"
