// Datasets users bring: CSV (RFC 4180), TSV and JSON Lines with a text and a label column; splits as
// files (train / validation / test / ood) in a folder, or one file with a "split" column.
#pragma once
#include <string>

#include "data/task.h"

namespace pw::data {

// Loads a folder or a single file. Throws pw::Error naming the file and line; nothing half-loaded.
Task importDataset(const std::string& path, const TaskOptions& options = {});

}  // namespace pw::data
