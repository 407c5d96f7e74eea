// A form for one method's knobs, built from the catalogue's KnobSpecs: spin boxes (powers of two step by
// doubling), choices, flags and comma-separated lists, each with its tooltip. Emits changed() on every edit.
#pragma once
#include <nlohmann/json.hpp>

#include <QWidget>

#include "methods/catalog.h"

class QFormLayout;

namespace pw::ui {

class KnobEditor : public QWidget {
  Q_OBJECT
 public:
  explicit KnobEditor(QWidget* parent = nullptr);

  // Rebuilds the form for `method` showing `values` (missing keys: the defaults).
  // `preset` picks the default of a rate-factor knob (LP-FT's lr_factor is tuned per preset).
  void setMethod(const MethodDescriptor& method, const nlohmann::json& values, const std::string& preset);
  nlohmann::json values() const;  // every knob of the method, edited or default
  QString method() const { return method_; }
  // Sets one knob's editor (as a user would); false if the method has no such knob.
  bool setValue(const QString& key, const nlohmann::json& value);

 Q_SIGNALS:
  void changed();

 private:
  QFormLayout* form_ = nullptr;
  QString method_;
  std::vector<KnobSpec> specs_;
  std::vector<QWidget*> editors_;
};

// A method's knobs with the catalogue defaults filled in under `values`.
nlohmann::json withDefaults(const MethodDescriptor& method, const nlohmann::json& values, const std::string& preset);

}  // namespace pw::ui
