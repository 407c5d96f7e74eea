// Fixtures for the GUI tests: a tiny BERT-style model folder (random weights, the shipped tiny-bert
// tokenizer) and a tiny two-class task as a CSV folder with train / validation / test / ood splits.
#pragma once
#include <QString>
#include <QStringList>

namespace pw::ui {
class ExperimentPanel;
}

namespace pw::testing {

QString makeTinyModel(const QString& folder);  // returns the folder
QString makeTinyTask(const QString& folder, int trainPerClass = 24);

// The experiment panel set up as a user would: this model and task, the quick preset with `epochs`, one seed
// starting at 1, these methods checked. Returns once the panel has loaded the task (false after 30 s).
bool chooseTinyExperiment(ui::ExperimentPanel* panel, const QString& model, const QString& task,
                          const QStringList& methods, int epochs);

}  // namespace pw::testing
