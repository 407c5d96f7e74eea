// Reading a stored run's split metrics and precision (see run_metrics.h).
#include "run_metrics.h"

#include <QLocale>

namespace pw::ui {
namespace {

SplitScore readSplit(const nlohmann::json& j, const QString& name, double accuracy) {
  SplitScore s;
  s.name = name;
  s.accuracy = accuracy;
  if (!j.is_object()) return s;
  if (s.accuracy < 0) {
    const auto a = j.find("accuracy");
    if (a != j.end() && a->is_number()) s.accuracy = a->get<double>();
  }
  const auto n = j.find("examples");
  if (n != j.end() && n->is_number_integer()) s.examples = std::max<qint64>(0, n->get<qint64>());
  const auto c = j.find("correct");
  if (c != j.end() && c->is_string()) {
    const std::string& bits = c->get_ref<const std::string&>();
    s.correct.reserve(bits.size());
    for (char b : bits) s.correct.push_back(b == '1' ? 1 : 0);
    if (s.examples == 0) s.examples = qint64(s.correct.size());
  }
  return s;
}

const nlohmann::json& member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json none;
  if (!j.is_object()) return none;
  const auto it = j.find(key);
  return it == j.end() ? none : *it;
}

QString stringMember(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = member(j, key);
  return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
}

}  // namespace

SeedAccuracy SplitScore::seedAccuracy(quint64 seed) const {
  SeedAccuracy a;
  a.seed = seed;
  a.accuracy = accuracy;
  a.examples = examples;
  if (qint64(correct.size()) == examples) a.correct = correct;
  return a;
}

SplitScore idTestScore(const results::RunRecord& run) {
  return readSplit(member(run.result, "id_test"), "ID test", run.idAccuracy);
}

QList<SplitScore> oodScores(const results::RunRecord& run) {
  QList<SplitScore> out;
  const nlohmann::json& first = member(run.result, "ood_test");
  QString name = stringMember(run.result, "ood_name");
  if (name.isEmpty()) name = "OOD";
  SplitScore s = readSplit(first, name, run.oodAccuracy);
  if (s.accuracy >= 0) out << s;
  const nlohmann::json& more = member(run.result, "more_ood");
  if (more.is_array())
    for (const nlohmann::json& m : more) {
      QString n = stringMember(m, "name");
      SplitScore extra = readSplit(member(m, "metrics"), n.isEmpty() ? QString("OOD %1").arg(out.size() + 1) : n, -1);
      if (extra.accuracy >= 0) out << extra;
    }
  return out;
}

QString runPrecision(const results::RunRecord& run) { return stringMember(run.result, "precision"); }

AccuracySummary singleRunSummary(double accuracy, qint64 examples) {
  if (accuracy < 0) return {};
  SeedAccuracy a;
  a.accuracy = accuracy;
  a.examples = examples;
  return summarizeAccuracy({a});
}

QString accuracyWithInterval(const AccuracySummary& s) {
  if (s.n == 0 || s.mean < 0) return "-";
  const QString mean = QString::number(100 * s.mean, 'f', 1);
  if (!s.interval.valid) return mean;
  return QString("%1 [%2, %3]").arg(mean).arg(100 * s.interval.low, 0, 'f', 1).arg(100 * s.interval.high, 0, 'f', 1);
}

QString intervalDescription(const AccuracySummary& s, qint64 examples, const QString& what) {
  if (!s.interval.valid) {
    if (s.n == 1) return "no interval: the run's example count was not recorded";
    return s.n == 0 ? QString("no runs") : QString("no interval");
  }
  if (s.method == "t") return QString("t 95 % over %1 seeds (std %2)").arg(s.n).arg(100 * s.std, 0, 'f', 1);
  return QString("Wilson 95 %, %1 %2examples")
      .arg(QLocale(QLocale::English).toString(examples), what.isEmpty() ? QString() : what + " ");
}

}  // namespace pw::ui
