// The experiment panel's whole state as JSON and back, for saved sessions (see experiment_panel.h and
// session.h). Unlike restoreSettings it applies every field, defaults included, so a session opens the
// same on any machine.
#include "experiment_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSpinBox>

#include "knob_editor.h"
#include "methods/catalog.h"

namespace pw::ui {

nlohmann::json ExperimentPanel::state() const {
  nlohmann::json knobs = nlohmann::json::object();
  for (const auto& m : methodCatalog()) knobs[m.name] = this->knobs(QString::fromStdString(m.name));
  nlohmann::json checked = nlohmann::json::array();
  for (const QString& m : checkedMethods()) checked.push_back(m.toStdString());
  return {{"model", modelSource().toStdString()},
          {"random_init", randomInit()},
          {"task", taskSource().toStdString()},
          {"checked_methods", checked},
          {"selected_method", selectedMethod().toStdString()},
          {"knobs", knobs},
          {"preset", preset().toStdString()},
          {"epochs", epochs_->value()},
          {"batch_size", batchSize_->value()},
          {"learning_rate", lr_->value()},
          {"head_learning_rate", headLr_->value()},
          {"side_by_side", parallel_->currentData().toInt()},
          {"seeds", seeds_->value()},
          {"first_seed", firstSeed()},
          {"train_per_class", perClass_->value()},
          {"precision", precision_->currentData().toString().toStdString()}};
}

void ExperimentPanel::setState(const nlohmann::json& s) {
  if (!s.is_object()) return;
  auto text = [&](const char* key) {
    return s.contains(key) && s[key].is_string() ? QString::fromStdString(s[key].get<std::string>()) : QString();
  };
  auto integer = [&](const char* key, QSpinBox* box) {
    if (s.contains(key) && s[key].is_number()) box->setValue(s[key].get<int>());
  };
  restoring_ = true;  // the preset box must not overwrite the training fields set below
  if (s.contains("knobs") && s["knobs"].is_object())
    for (const auto& [method, values] : s["knobs"].items())
      if (values.is_object()) knobValues_[QString::fromStdString(method)] = values;
  if (s.contains("checked_methods") && s["checked_methods"].is_array()) {
    QStringList checked;
    for (const auto& m : s["checked_methods"])
      if (m.is_string()) checked << QString::fromStdString(m.get<std::string>());
    setCheckedMethods(checked);
  }
  const int presetIndex = preset_->findData(text("preset"));
  if (presetIndex >= 0) preset_->setCurrentIndex(presetIndex);
  integer("epochs", epochs_);
  integer("batch_size", batchSize_);
  integer("seeds", seeds_);
  if (s.contains("first_seed") && s["first_seed"].is_number()) setFirstSeed(s["first_seed"].get<int>());
  integer("train_per_class", perClass_);
  if (const int p = precision_->findData(text("precision")); p >= 0) precision_->setCurrentIndex(p);
  if (s.contains("learning_rate") && s["learning_rate"].is_number()) lr_->setValue(s["learning_rate"].get<double>());
  if (s.contains("side_by_side") && s["side_by_side"].is_number_integer()) setParallelRuns(s["side_by_side"].get<int>());
  if (s.contains("head_learning_rate") && s["head_learning_rate"].is_number())
    headLr_->setValue(s["head_learning_rate"].get<double>());
  if (s.contains("random_init") && s["random_init"].is_boolean()) randomInit_->setChecked(s["random_init"].get<bool>());
  restoring_ = false;
  const QString model = text("model"), task = text("task");
  if (!model.isEmpty() && model != modelSource()) setModelSource(model);
  if (!task.isEmpty() && task != taskSource()) setTaskSource(task);
  const QString selected = text("selected_method");
  if (!selected.isEmpty()) selectMethod(selected);
  onMethodSelected();  // the knob form shows the session's values
  scheduleBudget();
}

}  // namespace pw::ui
