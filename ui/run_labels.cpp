// Run labels (see run_labels.h).
#include "run_labels.h"

#include <cmath>

#include "method_colors.h"
#include "methods/catalog.h"
#include "methods/knob_label.h"

namespace pw::ui {
QString knobSummary(const QString& method, const nlohmann::json& knobs) {
  return QString::fromStdString(knobLabel(method.toStdString(), knobs, KnobLabel::SizeOnly));
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
