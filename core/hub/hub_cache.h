// The Hugging Face Hub's local cache, read and laid out as huggingface_hub does it, so a model downloaded by
// Python loads here by name and the other way round:
//   <cache>/models--ORG--NAME/{blobs/<etag>, snapshots/<commit>/<file> -> ../../blobs/<etag>, refs/<revision>}
// No network and no torch here: the model lookup (models/model_paths.cpp) and the window use it offline.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace pw::hub {

// "NAME" or "ORG/NAME" as the Hub allows them (letters, digits, '-', '_', '.'; no "..", no "--" edges).
bool isRepoId(const std::string& s);
// $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
std::string cacheDir();
// $HF_ENDPOINT without a trailing '/', else https://huggingface.co.
std::string endpoint();
// $HF_TOKEN, else the first line of $HF_TOKEN_PATH or $HF_HOME/token (huggingface-cli login writes it); "" if none.
std::string token();
// $HF_HUB_OFFLINE set to 1 / true / yes / on: nothing may reach the network.
bool offline();
// "models--ORG--NAME": the repository's folder in the cache.
std::string repoFolderName(const std::string& repoId);
// The snapshot folder of a cached repository at a revision (a branch or tag through refs/, or a commit hash),
// if it is there and holds a config.json or adapter_config.json.
std::optional<std::string> cachedSnapshot(const std::string& repoId, const std::string& revision = "main",
                                          const std::string& cache = cacheDir());
// Every model repository in the cache with a usable snapshot at "main", as "ORG/NAME", sorted.
std::vector<std::string> cachedRepos(const std::string& cache = cacheDir());

}  // namespace pw::hub
