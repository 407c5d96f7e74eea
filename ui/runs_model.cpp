// The runs table's model (see runs_model.h).
#include "runs_model.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QSet>

#include "method_colors.h"
#include "run_labels.h"
#include "run_metrics.h"

namespace pw::ui {
namespace {

// "82.3 [78.2, 85.7]": the accuracy and its 95 % Wilson interval over the split's examples.
QVariant accuracyCell(double fraction, qint64 examples, const QString& what, int role) {
  if (fraction < 0) return role == Qt::DisplayRole ? QVariant("-") : QVariant();
  if (role == Qt::UserRole) return 100.0 * fraction;
  const AccuracySummary s = singleRunSummary(fraction, examples);
  if (role == Qt::ToolTipRole) return "Accuracy [95 % interval]: " + intervalDescription(s, examples, what);
  return accuracyWithInterval(s);
}

QColor statusColour(RunStatus status) {
  if (status == RunStatus::Finished) return QColor(0x1e, 0x7b, 0x34);
  if (status == RunStatus::Running) return QColor(0x1a, 0x5f, 0xb4);
  if (status == RunStatus::Failed) return QColor(0xb0, 0x24, 0x18);
  return QColor(0x8a, 0x6d, 0x00);  // cancelled, interrupted
}

}  // namespace

RunsModel::RunsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsModel::setRuns(std::vector<results::RunRecord> runs) {
  beginResetModel();
  runs_ = std::move(runs);
  facts_.assign(runs_.size(), Facts{});
  QSet<QString> oodNames;
  for (size_t i = 0; i < runs_.size(); ++i) {
    Facts& f = facts_[i];
    f.idExamples = idTestScore(runs_[i]).examples;
    const QList<SplitScore> ood = oodScores(runs_[i]);
    if (!ood.isEmpty()) f.oodExamples = ood.first().examples, f.oodName = ood.first().name, oodNames << f.oodName;
    f.precision = runPrecision(runs_[i]);
  }
  sharedOod_ = oodNames.size() == 1 && *oodNames.begin() != "OOD" ? *oodNames.begin() : QString();
  for (auto it = progress_.begin(); it != progress_.end();)
    it = rowOfRun(it.key()) < 0 || run(rowOfRun(it.key())).status != RunStatus::Running ? progress_.erase(it) : std::next(it);
  endResetModel();
}

int RunsModel::rowOfRun(qint64 id) const {
  for (size_t i = 0; i < runs_.size(); ++i)
    if (runs_[i].id == id) return int(i);
  return -1;
}

void RunsModel::setProgress(qint64 id, int percent, const QString& phase) {
  const int row = rowOfRun(id);
  if (row < 0) return;
  const QString text = phase.isEmpty() ? QString("running %1%").arg(percent) : QString("%1 %2%").arg(phase).arg(percent);
  if (progress_.value(id) == text) return;
  progress_[id] = text;
  Q_EMIT dataChanged(index(row, Status), index(row, Status));
}

int RunsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(runs_.size()); }
int RunsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(runs_.size())) return {};
  const results::RunRecord& r = runs_[size_t(index.row())];
  const QString method = QString::fromStdString(r.method);
  const bool done = r.status != RunStatus::Running;
  if (role == Qt::DecorationRole && index.column() == Method) return methodColor(method);
  if (role == Qt::ForegroundRole && index.column() == Status) return QBrush(statusColour(r.status));
  if (role == Qt::TextAlignmentRole)
    return index.column() >= Trainable && index.column() <= WallTime ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                     : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
  const Facts& facts = facts_[size_t(index.row())];
  if (role == Qt::ToolTipRole) {
    if (index.column() == Status && !r.error.empty()) return QString::fromStdString(r.error);
    if (index.column() == IdAccuracy) return accuracyCell(r.idAccuracy, facts.idExamples, "ID test", role);
    if (index.column() == OodAccuracy && r.oodAccuracy >= 0)
      return accuracyCell(r.oodAccuracy, facts.oodExamples, "OOD (" + facts.oodName + ")", role);
    if (index.column() == Precision && facts.precision.isEmpty()) return "Not recorded (a run from an older version)";
    if (index.column() == Knob) return QString::fromStdString(r.knobs.dump());
    if (index.column() == Model) return QString::fromStdString(r.model) + (r.randomInit ? " (random weights)" : "");
    return {};
  }
  if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
  const bool exact = role == Qt::UserRole;
  switch (index.column()) {
    case Id: return qlonglong(r.id);
    case Method: return methodTitle(method) + (r.randomInit && !exact ? " (random)" : "");
    case Knob: {
      const QString k = knobSummary(method, r.knobs);
      return k.isEmpty() && !exact ? QString("-") : k;
    }
    case Trainable:
      if (r.trainable <= 0) return exact ? QVariant() : QVariant("-");
      return exact ? QVariant(qlonglong(r.trainable)) : QVariant(QLocale().toString(qlonglong(r.trainable)));
    case Percent: {
      const double pct = r.params.is_object() ? r.params.value("percent", -1.0) : -1.0;
      if (pct < 0 || r.trainable <= 0) return exact ? QVariant() : QVariant("-");
      return exact ? QVariant(pct) : QVariant(QString::number(pct, 'f', pct >= 10 ? 1 : pct >= 0.1 ? 2 : 3));
    }
    case IdAccuracy: return accuracyCell(r.idAccuracy, facts.idExamples, "ID test", role);
    case OodAccuracy: return accuracyCell(r.oodAccuracy, facts.oodExamples, "OOD", role);
    case WallTime:
      if (!done) return exact ? QVariant() : QVariant("-");
      return exact ? QVariant(r.wallSeconds) : QVariant(durationText(r.wallSeconds));
    case Status:
      if (!exact && !done && progress_.contains(r.id)) return progress_.value(r.id);
      return QString(statusName(r.status));
    case Seed: return qulonglong(r.seed);
    case Precision: return facts.precision.isEmpty() && !exact ? QString("-") : facts.precision;
    case Model: return QString::fromStdString(r.model) + (r.randomInit && !exact ? " (random)" : "");
    case Task: return QString::fromStdString(r.task);
  }
  return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case Knob: return "The method's size knob (LoRA rank r, prompt/prefix length k, adapter size m)";
      case Percent: return "Trainable parameters as a percentage of the whole model (base model + head)";
      case IdAccuracy: return "Accuracy on the in-distribution test split [95 % Wilson interval over its examples]";
      case OodAccuracy:
        return QString("Accuracy on the %1 [95 % Wilson interval over its examples]; further OOD sets are in the "
                       "ID vs OOD tab")
            .arg(sharedOod_.isEmpty() ? QString("first out-of-distribution test set")
                                      : "out-of-distribution set \u201c" + sharedOod_ + "\u201d");
      case Precision: return "What the run computed in (fp32, or bf16 autocast)";
      case WallTime: return "Loading + training + evaluation, minutes:seconds";
      default: return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  if (section == OodAccuracy && !sharedOod_.isEmpty()) return QString("OOD: %1 (%)").arg(sharedOod_);
  static const char* names[ColumnCount] = {"#",         "Method",       "Knob",      "Trainable", "% of model",
                                           "ID acc. (%)", "OOD acc. (%)", "Wall time", "Status",    "Seed",
                                           "Precision", "Model",        "Task"};
  return section >= 0 && section < ColumnCount ? QVariant(names[section]) : QVariant();
}

}  // namespace pw::ui
