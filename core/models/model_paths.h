// Where model folders are: the shipped models by name (tiny-bert, tiny-gpt2) and a folder path as given.
// No torch here, so the window's files can name and find models without the tensor headers.
#pragma once
#include <string>
#include <vector>

namespace pw {

// A folder path as given, the folder of a shipped model of that name, or the cached snapshot ("main") of a
// Hugging Face Hub repository ORG/NAME (hub/hub_cache.h; never the network). Throws if none exists.
std::string resolveModelFolder(const std::string& nameOrPath);
// Names of the shipped models found on this installation.
std::vector<std::string> shippedModelNames();
// Directories searched for shipped models: $PW_MODELS_DIR, <exe>/../share/peft-workbench/models,
// <exe>/../../resources/models, the source tree's resources/models.
std::vector<std::string> modelSearchPath();

}  // namespace pw
