// A task as a CSV folder (see task_csv_write.h).
#include "data/task_csv_write.h"

#include <filesystem>
#include <fstream>
#include <utility>

#include "util/csv_write.h"
#include "util/error.h"

namespace pw::data {

void writeTaskCsvFolder(const Task& task, const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder)) throw fileError(folder, "cannot create the folder");
  const std::pair<const char*, const std::vector<Example>*> splits[] = {
      {"train", &task.train}, {"validation", &task.validation}, {"test", &task.test}, {"ood", &task.ood}};
  for (const auto& [name, examples] : splits) {
    const std::string file = folder + "/" + name + ".csv";
    if (examples->empty()) {
      fs::remove(file, ec);
      continue;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw fileError(file, "cannot write the file (is the folder writable?)");
    out << "text,label\n";
    for (const Example& e : *examples)
      out << csvRow({e.text, task.classes.at(size_t(e.label))}, CsvQuote::Always) << "\n";
    out.flush();
    if (!out) throw fileError(file, "write failed (is the disk full?)");
  }
}

}  // namespace pw::data
