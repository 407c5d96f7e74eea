// The knob form (see knob_editor.h).
#include "knob_editor.h"

#include "methods/default_rates.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <cmath>

namespace pw::ui {
namespace {

// A spin box whose arrows double and halve (LoRA ranks, prompt lengths, adapter sizes go in powers of two).
class PowerOfTwoSpinBox : public QSpinBox {
 public:
  using QSpinBox::QSpinBox;
  void stepBy(int steps) override {
    int v = value();
    for (; steps > 0; --steps) v = v < 1 ? 1 : v * 2;
    for (; steps < 0; ++steps) v = v / 2;
    setValue(std::clamp(v, minimum(), maximum()));
  }
};

std::string listText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  std::string out;
  if (v.is_array())
    for (const auto& item : v) out += (out.empty() ? "" : ",") + (item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

}  // namespace

nlohmann::json withDefaults(const MethodDescriptor& method, const nlohmann::json& given, const std::string& preset) {
  const nlohmann::json values = withPresetFactors(method.name, preset, given.is_object() ? given : nlohmann::json::object());
  nlohmann::json out = nlohmann::json::object();
  for (const auto& k : method.knobs)
    out[k.key] = values.is_object() && values.contains(k.key) ? values.at(k.key) : k.defaultValue;
  return out;
}

KnobEditor::KnobEditor(QWidget* parent) : QWidget(parent) {
  form_ = new QFormLayout(this);
  form_->setContentsMargins(0, 0, 0, 0);
  form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void KnobEditor::setMethod(const MethodDescriptor& method, const nlohmann::json& values, const std::string& preset) {
  while (form_->rowCount() > 0) form_->removeRow(0);
  editors_.clear();
  method_ = QString::fromStdString(method.name);
  specs_ = method.knobs;
  const nlohmann::json v = withDefaults(method, values, preset);
  if (specs_.empty()) {
    auto* none = new QLabel("No knobs: this method has nothing to size.");
    none->setStyleSheet("color: #666;");
    form_->addRow(none);
  }
  for (const KnobSpec& spec : specs_) {
    QWidget* editor = nullptr;
    const nlohmann::json& value = v.at(spec.key);
    switch (spec.kind) {
      case KnobSpec::Kind::Integer: {
        QSpinBox* box = spec.logScale ? new PowerOfTwoSpinBox : new QSpinBox;
        box->setRange(int(spec.min), int(std::min(spec.max, 1e9)));
        box->setValue(value.is_number() ? value.get<int>() : int(spec.defaultValue.get<int64_t>()));
        connect(box, &QSpinBox::valueChanged, this, &KnobEditor::changed);
        editor = box;
        break;
      }
      case KnobSpec::Kind::Number: {
        auto* box = new QDoubleSpinBox;
        box->setDecimals(3);
        box->setRange(spec.min, spec.max);
        box->setSingleStep(spec.max <= 1 ? 0.05 : 1.0);
        box->setValue(value.is_number() ? value.get<double>() : spec.defaultValue.get<double>());
        connect(box, &QDoubleSpinBox::valueChanged, this, &KnobEditor::changed);
        editor = box;
        break;
      }
      case KnobSpec::Kind::Choice: {
        auto* box = new QComboBox;
        for (const auto& c : spec.choices) box->addItem(QString::fromStdString(c));
        box->setCurrentText(QString::fromStdString(value.is_string() ? value.get<std::string>() : ""));
        connect(box, &QComboBox::currentTextChanged, this, &KnobEditor::changed);
        editor = box;
        break;
      }
      case KnobSpec::Kind::Flag: {
        auto* box = new QCheckBox;
        box->setChecked(value.is_boolean() && value.get<bool>());
        connect(box, &QCheckBox::toggled, this, &KnobEditor::changed);
        editor = box;
        break;
      }
      case KnobSpec::Kind::List: {
        auto* edit = new QLineEdit(QString::fromStdString(listText(value)));
        connect(edit, &QLineEdit::editingFinished, this, &KnobEditor::changed);
        editor = edit;
        break;
      }
    }
    editor->setToolTip(QString::fromStdString(spec.help));
    editor->setObjectName(QString::fromStdString(spec.key));
    auto* label = new QLabel(QString::fromStdString(spec.label) + ":");
    label->setToolTip(QString::fromStdString(spec.help));
    form_->addRow(label, editor);
    editors_.push_back(editor);
  }
}

nlohmann::json KnobEditor::values() const {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < specs_.size(); ++i) {
    const KnobSpec& spec = specs_[i];
    QWidget* e = editors_[i];
    switch (spec.kind) {
      case KnobSpec::Kind::Integer: out[spec.key] = static_cast<QSpinBox*>(e)->value(); break;
      case KnobSpec::Kind::Number: out[spec.key] = static_cast<QDoubleSpinBox*>(e)->value(); break;
      case KnobSpec::Kind::Choice: out[spec.key] = static_cast<QComboBox*>(e)->currentText().toStdString(); break;
      case KnobSpec::Kind::Flag: out[spec.key] = static_cast<QCheckBox*>(e)->isChecked(); break;
      case KnobSpec::Kind::List: {
        nlohmann::json items = nlohmann::json::array();
        for (const QString& s : static_cast<QLineEdit*>(e)->text().split(',', Qt::SkipEmptyParts))
          items.push_back(s.trimmed().toStdString());
        out[spec.key] = items;
        break;
      }
    }
  }
  return out;
}

bool KnobEditor::setValue(const QString& key, const nlohmann::json& value) {
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (QString::fromStdString(specs_[i].key) != key) continue;
    QWidget* e = editors_[i];
    switch (specs_[i].kind) {
      case KnobSpec::Kind::Integer: static_cast<QSpinBox*>(e)->setValue(value.get<int>()); break;
      case KnobSpec::Kind::Number: static_cast<QDoubleSpinBox*>(e)->setValue(value.get<double>()); break;
      case KnobSpec::Kind::Choice: static_cast<QComboBox*>(e)->setCurrentText(QString::fromStdString(value.get<std::string>())); break;
      case KnobSpec::Kind::Flag: static_cast<QCheckBox*>(e)->setChecked(value.get<bool>()); break;
      case KnobSpec::Kind::List: {
        static_cast<QLineEdit*>(e)->setText(QString::fromStdString(listText(value)));
        Q_EMIT changed();
        break;
      }
    }
    return true;
  }
  return false;
}

}  // namespace pw::ui
