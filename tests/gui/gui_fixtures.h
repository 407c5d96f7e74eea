// Fixtures for the GUI tests: a tiny BERT-style model folder (random weights, the shipped tiny-bert
// tokenizer) and a tiny two-class task as a CSV folder with train / validation / test / ood splits.
#pragma once
#include <QString>

namespace pw::testing {

QString makeTinyModel(const QString& folder);  // returns the folder
QString makeTinyTask(const QString& folder, int trainPerClass = 24);

}  // namespace pw::testing
