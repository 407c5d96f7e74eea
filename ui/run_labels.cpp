// Run labels (see run_labels.h).
#include "run_labels.h"

#include <cmath>

#include "method_colors.h"
#include "methods/catalog.h"

namespace pw::ui {
namespace {

QString valueText(const nlohmann::json& v) {
  if (v.is_string()) return QString::fromStdString(v.get<std::string>());
  if (v.is_number_integer()) return QString::number(v.get<int64_t>());
  if (v.is_number()) return QString::number(v.get<double>(), 'g', 4);
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return QString::fromStdString(v.dump());
}

}  // namespace

QString knobSummary(const QString& method, const nlohmann::json& knobs) {
  for (const auto& m : methodCatalog()) {
    if (QString::fromStdString(m.name) != method || m.sizeKnob.empty()) continue;
    static const std::map<std::string, QString> symbols = {{"rank", "r"}, {"length", "k"}, {"adapter_size", "m"}};
    auto sym = symbols.find(m.sizeKnob);
    const QString name = sym != symbols.end() ? sym->second : QString::fromStdString(m.sizeKnob);
    nlohmann::json v;
    if (knobs.is_object() && knobs.contains(m.sizeKnob)) v = knobs.at(m.sizeKnob);
    else
      for (const auto& k : m.knobs)
        if (k.key == m.sizeKnob) v = k.defaultValue;
    return v.is_null() ? QString() : name + "=" + valueText(v);
  }
  return QString();
}

QString groupLabel(const QString& method, const nlohmann::json& knobs) {
  const QString knob = knobSummary(method, knobs);
  return knob.isEmpty() ? methodTitle(method) : methodTitle(method) + " " + knob;
}

QString runLabel(const results::RunRecord& run, bool withSeed) {
  QString label = groupLabel(QString::fromStdString(run.method), run.knobs);
  if (run.randomInit) label += " (random weights)";
  if (withSeed) label += QString(" (seed %1)").arg(run.seed);
  return label;
}

QString shortCount(double n) {
  const double a = std::fabs(n);
  if (a >= 1e9) return QString::number(n / 1e9, 'g', 3) + "G";
  if (a >= 1e6) return QString::number(n / 1e6, 'g', 3) + "M";
  if (a >= 1e3) return QString::number(n / 1e3, 'g', 3) + "k";
  return QString::number(n, 'g', 4);
}

QString durationText(double seconds) {
  if (!(seconds >= 0)) return "-";
  const qint64 s = qint64(std::llround(seconds));
  if (s >= 3600) return QString("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'));
  return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

}  // namespace pw::ui
