// Model and task facts (see source_info.h): model lookup and summaries through torch-free core headers.
#include "models/model_paths.h"
#include "models/model_summary.h"
#include "data/task.h"
#include "hub/hub_cache.h"

#include "source_info.h"

#include <QFileInfo>
#include <QLocale>

#include "run_labels.h"
#include "util/error_text.h"

namespace pw::ui {

QString TaskInfo::oneLine() const {
  if (!error.isEmpty()) return QString();
  QString s = QString("%1 classes; train %2, val %3, test %4").arg(classes.size()).arg(train).arg(validation).arg(test);
  s += ood > 0 ? QString(", OOD %1").arg(ood) : QString(", no OOD split");
  return s;
}

ModelInfo loadModelInfo(const QString& source) {
  ModelInfo r;
  r.source = source;
  try {
    ModelSummary s = summarizeModel(source.toStdString());
    r.text = QString::fromStdString(s.toText());
    const QString family = s.family == "bert" ? "BERT-style encoder" : "GPT-2-style decoder";
    r.oneLine = QString("%1, %2 layers x %3, %4 parameters").arg(family).arg(s.layers).arg(s.hidden).arg(shortCount(double(s.parameters)));
    auto add = [&](const QString& k, const QString& v) { r.rows.append({k, v}); };
    add("Folder", QString::fromStdString(s.folder));
    add("Family", s.family == "bert" ? "BERT-style encoder (bidirectional attention)"
                                     : "GPT-2-style decoder (causal attention)");
    if (s.modelType != s.family) add("Model type", QString::fromStdString(s.modelType));
    add("Layers", QString::number(s.layers));
    add("Hidden size", QString::number(s.hidden));
    add("Attention heads", QString::number(s.heads));
    add("Feed-forward size", QString("%1 (%2)").arg(s.intermediate).arg(QString::fromStdString(s.activation)));
    add("Vocabulary", QString::number(s.vocabSize));
    add("Max positions", QString::number(s.maxPositions));
    add("Classifier input", QString::fromStdString(s.poolingText));
    add("Parameters", QLocale().toString(qlonglong(s.parameters)) + " (base model, without heads)");
    add("Tokenizer", QString::fromStdString(s.tokenizer));
  } catch (const std::exception& e) {
    r.error = QString::fromStdString(pw::errorText(e));
  }
  return r;
}

TaskInfo loadTaskInfo(const QString& source) {
  TaskInfo r;
  r.source = source;
  try {
    data::Task t = data::loadTask(source.toStdString());
    for (const auto& c : t.classes) r.classes << QString::fromStdString(c);
    r.train = int(t.train.size());
    r.validation = int(t.validation.size());
    r.test = int(t.test.size());
    r.ood = int(t.ood.size());
    for (const auto& n : t.notes) r.notes << QString::fromStdString(n);
  } catch (const std::exception& e) {
    r.error = QString::fromStdString(pw::errorText(e));
  }
  return r;
}

QStringList shippedModels() {
  QStringList out;
  try {
    for (const auto& n : shippedModelNames()) out << QString::fromStdString(n);
  } catch (const std::exception&) {
    // no search path readable: the panel offers "Open model folder..." instead
  }
  return out;
}

QStringList cachedHubModels() {
  QStringList out;
  for (const auto& r : hub::cachedRepos()) {
    if (r.find('/') == std::string::npos) continue;  // a bare NAME may be a shipped model's name
    const auto snapshot = hub::cachedSnapshot(r);
    // Base models only: an adapter repository (adapter_config.json) is not one.
    if (snapshot && QFileInfo::exists(QString::fromStdString(*snapshot) + "/config.json"))
      out << QString::fromStdString(r);
  }
  return out;
}

QStringList builtinTasks() {
  QStringList out;
  for (const auto& n : data::builtinTaskNames()) out << QString::fromStdString(n);
  return out;
}

}  // namespace pw::ui
