// Writes a task as a plain CSV folder that loadTask reads back: train.csv, validation.csv, test.csv and
// ood.csv, each "text,label" with every field quoted. The import dialog saves what it previewed this way.
#pragma once
#include <string>

#include "data/task.h"

namespace pw::data {

// Creates `folder` if needed; a split with no examples gets no file (an old one of that name is removed).
// Further named OOD sets (Task::moreOod) are not written. Throws pw::Error naming the folder or file.
void writeTaskCsvFolder(const Task& task, const std::string& folder);

}  // namespace pw::data
