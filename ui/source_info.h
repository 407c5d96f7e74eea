// Facts about a model or a task, loaded off the GUI thread (QtConcurrent) for the experiment panel:
// a model's summary, a task's classes and split sizes. Also the list of shipped models.
#pragma once
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace pw::ui {

struct ModelInfo {
  QString source;
  QString error;  // empty on success
  QString text;   // the full summary ("layers:         4" ...)
  QString oneLine;  // "BERT-style encoder, 4 layers x 256, 6.4M parameters"
  QList<QPair<QString, QString>> rows;  // property / value, for a tooltip or table
};

struct TaskInfo {
  QString source;
  QString error;
  QStringList classes;
  int train = 0, validation = 0, test = 0, ood = 0;
  QStringList notes;
  QString oneLine() const;  // "3 classes; train 900, validation 100, test 300, OOD 300"
};

ModelInfo loadModelInfo(const QString& source);  // blocking: call through QtConcurrent::run
TaskInfo loadTaskInfo(const QString& source);    // blocking

QStringList shippedModels();
QStringList cachedHubModels();  // "ORG/NAME" of every model in the Hugging Face cache (no network)
QStringList builtinTasks();

}  // namespace pw::ui
