// The experiment panel's fields as TrainConfigs, the parameter budget they imply (from the model's config,
// before anything trains), and the fields remembered between launches (QSettings). See experiment_panel.h.
#include "experiment_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include "charts/budget_chart.h"
#include "core_facts.h"
#include "knob_editor.h"
#include "method_colors.h"
#include "methods/catalog.h"
#include "train/experiment.h"
#include "train/run_pool.h"
#include "run_labels.h"
#include "util/error_text.h"

namespace pw::ui {

bool ExperimentPanel::setKnob(const QString& method, const QString& key, const nlohmann::json& value) {
  selectMethod(method);
  return knobEditor_->setValue(key, value);
}

nlohmann::json ExperimentPanel::knobs(const QString& method) const {
  return withDefaults(methodDescriptor(method.toStdString()), knobValues_.value(method), preset().toStdString());
}

void ExperimentPanel::setPreset(const QString& preset) {
  const int i = preset_->findData(preset);
  if (i < 0) return;
  if (preset_->currentIndex() == i) Q_EMIT preset_->currentIndexChanged(i);  // re-apply the preset's values
  else preset_->setCurrentIndex(i);
}

QString ExperimentPanel::preset() const { return preset_->currentData().toString(); }
void ExperimentPanel::setEpochs(int epochs) { epochs_->setValue(epochs); }
void ExperimentPanel::setTrainPerClass(int perClass) { perClass_->setValue(perClass); }
void ExperimentPanel::setSeeds(int seeds) { seeds_->setValue(seeds); }
void ExperimentPanel::setFirstSeed(int seed) { firstSeed_->setValue(seed); }
int ExperimentPanel::firstSeed() const { return firstSeed_->value(); }

void ExperimentPanel::setRates(double lr, double headLr) {
  lr_->setValue(lr);
  headLr_->setValue(headLr);
}
void ExperimentPanel::setParallelRuns(int runs) { parallel_->setCurrentIndex(std::max(0, parallel_->findData(runs))); }
int ExperimentPanel::parallelRuns(int runs) const {
  const int chosen = parallel_->currentData().toInt();
  return chosen > 0 ? std::min(chosen, std::max(1, runs)) : autoParallelRuns(size_t(std::max(1, runs)));
}
double ExperimentPanel::rate() const { return lr_->value(); }
double ExperimentPanel::headRate() const { return headLr_->value(); }

TrainConfig ExperimentPanel::configFor(const QString& method, uint64_t seed) const {
  TrainConfig c;
  c.model = modelSource().toStdString();
  c.randomInit = randomInit();
  c.task = taskSource().toStdString();
  c.method = method.toStdString();
  c.knobs = knobs(method);
  c = applyPreset(c, preset().toStdString());
  c.epochs = epochs_->value();
  c.batchSize = batchSize_->value();
  c.trainPerClass = perClass_->value();
  c.precision = precision_->currentData().toString().toStdString();
  c.lr = lr_->value();
  c.headLr = headLr_->value();
  c.seed = seed;
  return c;
}

std::vector<TrainConfig> ExperimentPanel::runConfigs() const {
  std::vector<TrainConfig> configurations;
  for (const QString& m : checkedMethods()) configurations.push_back(configFor(m, uint64_t(firstSeed_->value())));
  return allRuns(expandArms(configurations, seeds_->value()));  // core's expansion, as the CLI's compare
}

void ExperimentPanel::setRunning(bool running) {
  runButton_->setText(running ? "Add checked methods to the queue" : "Run checked methods  (Ctrl+R)");
}

void ExperimentPanel::scheduleBudget() {
  if (!budgetTimer_.isActive()) budgetTimer_.start();
}

void ExperimentPanel::updateBudget() {
  QList<BudgetEntry> entries;
  QStringList errors;
  const int classes = taskClasses();
  if (classes == 0) {
    budget_->setEntries({});
    budget_->setHint(taskInfo_.error == "loading" ? "Loading the task..." : "Choose a task that loads.");
  } else {
    for (const QString& m : checkedMethods()) {
      try {
        const TrainConfig c = configFor(m, 1);
        QString label = methodShortTitle(m);
        const QString knob = knobSummary(m, c.knobs);
        if (!knob.isEmpty()) label += " " + knob;
        const ModelConfig model = modelConfigOf(QString::fromStdString(c.model));  // cached, not re-read
        entries << BudgetEntry{label, m, parameterBudget(model, c.method, c.knobs, classes)};
      } catch (const std::exception& e) {
        errors << methodTitle(m) + ": " + QString::fromStdString(pw::errorText(e));
      }
    }
    budget_->setHint("No methods checked.");
    budget_->setEntries(entries);
  }
  budgetError_->setText(errors.join("\n"));
  budgetError_->setVisible(!errors.isEmpty());
  Q_EMIT budgetUpdated();
}

void ExperimentPanel::saveSettings() const {
  QSettings s;
  s.beginGroup("experiment");
  s.setValue("model", modelSource());
  s.setValue("randomInit", randomInit());
  s.setValue("task", taskSource());
  QStringList models, tasks;
  for (int i = 0; i < modelBox_->count(); ++i)
    if (modelBox_->itemData(i).toString().contains('/')) models << modelBox_->itemData(i).toString();
  for (int i = 0; i < taskBox_->count(); ++i)
    if (taskBox_->itemData(i).toString().contains('/')) tasks << taskBox_->itemData(i).toString();
  s.setValue("modelFolders", models);
  s.setValue("taskFolders", tasks);
  s.setValue("checked", checkedMethods());
  s.setValue("selected", selectedMethod());
  for (auto it = knobValues_.begin(); it != knobValues_.end(); ++it)
    s.setValue("knobs/" + it.key(), QString::fromStdString(it.value().dump()));
  s.setValue("preset", preset());
  s.setValue("epochs", epochs_->value());
  s.setValue("batchSize", batchSize_->value());
  s.setValue("lr", lr_->value());
  s.setValue("headLr", headLr_->value());
  s.setValue("parallel", parallel_->currentData().toInt());
  s.setValue("seeds", seeds_->value());
  s.setValue("firstSeed", firstSeed_->value());
  s.setValue("perClass", perClass_->value());
  s.setValue("precision", precision_->currentData().toString());
  s.endGroup();
}

void ExperimentPanel::restoreSettings() {
  QSettings s;
  s.beginGroup("experiment");
  if (!s.contains("model")) return;  // first launch: keep the defaults
  restoring_ = true;
  for (const QString& f : s.value("modelFolders").toStringList())
    if (QFileInfo::exists(f)) addSourceItem(modelBox_, f);
  for (const QString& f : s.value("taskFolders").toStringList())
    if (QFileInfo::exists(f)) addSourceItem(taskBox_, f);
  s.beginGroup("knobs");
  for (const QString& method : s.childKeys()) {
    try {
      knobValues_[method] = nlohmann::json::parse(s.value(method).toString().toStdString());
    } catch (const std::exception&) {
      // a damaged setting: that method keeps its defaults
    }
  }
  s.endGroup();
  setCheckedMethods(s.value("checked").toStringList());
  preset_->setCurrentIndex(std::max(0, preset_->findData(s.value("preset").toString())));
  epochs_->setValue(s.value("epochs", epochs_->value()).toInt());
  batchSize_->setValue(s.value("batchSize", batchSize_->value()).toInt());
  lr_->setValue(s.value("lr", 0.0).toDouble());
  headLr_->setValue(s.value("headLr", 0.0).toDouble());
  setParallelRuns(s.value("parallel", 0).toInt());
  seeds_->setValue(s.value("seeds", 1).toInt());
  firstSeed_->setValue(s.value("firstSeed", 1).toInt());
  perClass_->setValue(s.value("perClass", perClass_->value()).toInt());
  precision_->setCurrentIndex(std::max(0, precision_->findData(s.value("precision", "auto").toString())));
  randomInit_->setChecked(s.value("randomInit", false).toBool());
  restoring_ = false;
  const QString model = s.value("model").toString(), task = s.value("task").toString();
  if (!model.isEmpty() && model != modelSource() && (QFileInfo::exists(model) || modelBox_->findData(model) >= 0))
    setModelSource(model);
  if (!task.isEmpty() && task != taskSource() && (QFileInfo::exists(task) || taskBox_->findData(task) >= 0))
    setTaskSource(task);
  const QString selected = s.value("selected").toString();
  if (!selected.isEmpty()) selectMethod(selected);
  onMethodSelected();  // the knob form shows the restored values
  s.endGroup();
  scheduleBudget();
}

}  // namespace pw::ui
