// The few facts the GUI needs from core headers that pull in torch (method.h, model_folder.h), behind a
// torch-free header so only core_facts.cpp pays for compiling them.
#pragma once
#include <QString>

#include <string>

#include "models/config.h"

namespace pw::ui {

// The method's help paragraph from the registry (methodHelp): what trains, the knobs, the counts.
QString methodHelpParagraph(const QString& method);
// The config.json of a shipped model name or a model folder, read again only when the file changes.
// Thread-safe. Throws pw::Error naming what is missing.
ModelConfig modelConfigOf(const QString& source);

}  // namespace pw::ui
