// Cache of a built-in task's splits: one JSON Lines file per split and per named OOD set, plus meta.json
// holding the builder version, the source files' sizes and times, the set names and the notes.
#pragma once
#include <string>
#include <vector>

#include "data/task.h"

namespace pw::data {

// $XDG_CACHE_HOME or ~/.cache (or /tmp/.cache), then peft-workbench/tasks/<task>.
std::string builtinTaskCacheDir(const std::string& task);

// Reads the cached task `name` from `dir`; false (nothing changed) when the cache is missing, was written
// by another builder `version`, the `sourceFiles` changed size or time since, or anything is unreadable.
bool readTaskCache(const std::string& dir, const std::string& name, int version,
                   const std::vector<std::string>& sourceFiles, Task& out);

// Writes `task` to `dir` (each file under a temporary name, renamed; meta.json last, so an interrupted
// write leaves no valid cache). A folder that cannot be written is not an error: the task is just not cached.
void writeTaskCache(const std::string& dir, int version, const std::vector<std::string>& sourceFiles,
                    const Task& task);

}  // namespace pw::data
