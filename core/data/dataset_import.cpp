// (stub, replaced below)
#include "data/dataset_import.h"
#include "util/error.h"
namespace pw::data {
Task importDataset(const std::string& path, const TaskOptions&) { throw Error(path + ": import not ready"); }
}
