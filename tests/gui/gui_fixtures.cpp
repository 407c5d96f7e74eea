// GUI test fixtures (see gui_fixtures.h). Torch headers first, then Qt.
#include "models/config.h"
#include "models/model_folder.h"
#include "models/transformer.h"

#include "gui_fixtures.h"

#include "experiment_panel.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <QTextStream>

namespace pw::testing {

QString makeTinyModel(const QString& folder) {
  QDir().mkpath(folder);
  const std::string tokenizer = resolveModelFolder("tiny-bert");
  const ModelConfig shipped = readConfigFile(tokenizer + "/config.json");
  TransformerModel model(makeConfig(Family::Bert, shipped.vocabSize, 2, 16, 2, 128));
  initialiseWeights(*model, 7);
  saveModel(*model, folder.toStdString(), io::StoreDtype::F32, tokenizer);
  return folder;
}

QString makeTinyTask(const QString& folder, int trainPerClass) {
  QDir().mkpath(folder);
  const QStringList animals = {"fox", "whale", "sparrow", "horse", "beetle", "salmon", "rabbit", "owl"};
  const QStringList plants = {"oak", "fern", "tulip", "cactus", "moss", "willow", "rose", "bamboo"};
  const QStringList idTemplates = {"A %1 seen near the river.", "The %1 grows or moves in spring.",
                                   "Every %1 needs water to live.", "My neighbour found a %1 today."};
  const QStringList oodTemplates = {"%1?", "notes on the %1, briefly", "%1 %1 %1"};
  auto write = [&](const QString& name, int perClass, const QStringList& templates, int offset) {
    QFile f(folder + "/" + name + ".csv");
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    QTextStream out(&f);
    out << "text,label\n";
    for (int i = 0; i < perClass; ++i) {
      const QString t = templates[(i + offset) % templates.size()];
      out << '"' << t.arg(animals[(i + offset) % animals.size()]) << "\",animal\n";
      out << '"' << t.arg(plants[(i + 3 * offset) % plants.size()]) << "\",plant\n";
    }
  };
  write("train", trainPerClass, idTemplates, 0);
  write("validation", 8, idTemplates, 1);
  write("test", 8, idTemplates, 2);
  write("ood", 8, oodTemplates, 3);
  return folder;
}

bool chooseTinyExperiment(ui::ExperimentPanel* panel, const QString& model, const QString& task,
                          const QStringList& methods, int epochs) {
  panel->setModelSource(model);
  panel->setTaskSource(task);
  panel->setRandomInit(false);
  panel->setPreset("quick");
  panel->setEpochs(epochs);
  panel->setSeeds(1);
  panel->setFirstSeed(1);
  panel->setCheckedMethods(methods);
  return QTest::qWaitFor([panel] { return !panel->isLoading() && panel->taskClasses() == 2; }, 30000);
}

}  // namespace pw::testing
