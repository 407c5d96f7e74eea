// Core facts behind a torch-free header (see core_facts.h). Core headers before Qt's.
#include "methods/method.h"
#include "models/model_paths.h"

#include "core_facts.h"

namespace pw::ui {

QString methodHelpParagraph(const QString& method) { return QString::fromStdString(methodHelp(method.toStdString())); }

ModelConfig modelConfigOf(const QString& source) {
  return readConfigFile(resolveModelFolder(source.toStdString()) + "/config.json");
}

}  // namespace pw::ui
