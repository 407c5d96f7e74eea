// Chart inputs from stored runs (see chart_feed.h).
#include "chart_feed.h"

#include <QMap>
#include <QSet>

#include "charts/loss_chart.h"
#include "method_colors.h"
#include "results/seed_group.h"
#include "run_labels.h"

namespace pw::ui {

ShownRuns::ShownRuns(QList<const results::RunRecord*> runs) : runs_(std::move(runs)) {
  QSet<quint64> seeds;
  QSet<QString> models;
  for (const auto* r : runs_) seeds << r->seed, models << QString::fromStdString(r->model);
  seedsDiffer_ = seeds.size() > 1;
  modelsDiffer_ = models.size() > 1;
  // Seeds group by results::seedGroupKey, as in the runs table. Groups that would share a label (say, two
  // learning rates of one method) get the settings that tell them apart: "LoRA r=8 (lr=0.001)".
  QMap<QString, QStringList> keysOfLabel;
  QMap<QString, nlohmann::json> fields;
  for (const auto* r : runs_) {
    const QString key = QString::fromStdString(results::seedGroupKey(*r));
    keyOf_[r] = key;  // once per run: the labels below ask for it on every chart refresh
    if (fields.contains(key)) continue;
    fields[key] = results::seedGroupFields(*r);
    keysOfLabel[baseLabel(*r, false)] << key;
  }
  for (const QStringList& keys : keysOfLabel) {
    if (keys.size() < 2) continue;
    std::vector<nlohmann::json> groups;
    for (const QString& k : keys) groups.push_back(fields[k]);
    const std::vector<std::string> words = results::distinguishingFields(groups);
    for (int i = 0; i < keys.size(); ++i) suffix_[keys[i]] = " (" + QString::fromStdString(words[size_t(i)]) + ")";
  }
}

QString ShownRuns::baseLabel(const results::RunRecord& run, bool withSeed) const {
  const QString l = runLabel(run, withSeed);
  return modelsDiffer_ ? l + " \u00b7 " + QString::fromStdString(run.model) : l;
}

QString ShownRuns::keyOf(const results::RunRecord& run) const {
  auto it = keyOf_.find(&run);
  return it != keyOf_.end() ? *it : QString::fromStdString(results::seedGroupKey(run));
}

QString ShownRuns::label(const results::RunRecord& run) const {
  return baseLabel(run, seedsDiffer_) + suffix_.value(keyOf(run));
}

QString ShownRuns::groupLabel(const results::RunRecord& run) const {
  return baseLabel(run, false) + suffix_.value(keyOf(run));
}

QList<BudgetEntry> ShownRuns::budgetEntries() const {
  QList<BudgetEntry> out;
  for (const auto* r : runs_) {
    if (r->trainable <= 0) continue;
    try {
      out << BudgetEntry{label(*r), QString::fromStdString(r->method), ParamBreakdown::fromJson(r->params)};
    } catch (const std::exception&) {
      // a row from another version with groups this one does not know: left out of the chart, kept in the table
    }
  }
  return out;
}

QList<RunSummary> ShownRuns::summaries() const {
  QList<RunSummary> out;
  for (const auto* r : runs_) {
    if (r->status != RunStatus::Finished) continue;
    const QString method = QString::fromStdString(r->method);
    RunSummary s;
    s.id = r->id;
    s.method = method;
    // Seeds of one configuration form one group (mean and interval); nothing else mixes in.
    s.group = groupLabel(*r);
    const QString knob = knobSummary(method, r->knobs);
    s.shortLabel = methodShortTitle(method) + (knob.isEmpty() ? "" : "\n" + knob) + (r->randomInit ? "\n(random)" : "");
    s.trainable = double(r->trainable);
    s.percent = r->params.is_object() ? r->params.value("percent", 0.0) : 0.0;
    s.seed = r->seed;
    s.idAccuracy = r->idAccuracy;
    s.oodAccuracy = r->oodAccuracy;
    const SplitScore id = idTestScore(*r);
    s.idExamples = id.examples;
    s.idCorrect = id.correct;
    s.oodSets = oodScores(*r);
    out << s;
  }
  return out;
}

void addRunCurves(LossChart& chart, const results::RunRecord& run, const std::vector<results::CurvePoint>& curve,
                  const QString& label) {
  chart.addRun(run.id, label, QString::fromStdString(run.method));
  QMap<qint64, std::pair<results::CurvePoint, double>> evals;  // step -> (val_loss point, val_acc)
  for (const results::CurvePoint& p : curve) {
    if (p.series == "train_loss") chart.addStep(run.id, p.step, p.epoch, p.stage, p.value);
    else if (p.series == "val_loss") evals[p.step].first = p;
    else if (p.series == "val_acc") evals[p.step].second = p.value;
  }
  for (auto it = evals.begin(); it != evals.end(); ++it) {
    const results::CurvePoint& p = it.value().first;
    chart.addEval(run.id, it.key(), p.epoch, p.stage, p.value, it.value().second);
  }
}

}  // namespace pw::ui
