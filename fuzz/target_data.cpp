// Fuzz targets for what users bring: datasets (CSV / TSV / JSON Lines, one file or a folder of splits) and
// the window's saved sessions (.pwb).
#include "data/dataset_import.h"
#include "fuzz_targets.h"
#include "session.h"

namespace pw::fuzz {

// The first byte picks the layout: one .csv, .tsv or .jsonl file with a split column, or a folder of
// split files; the rest is the content.
void runDataset(const std::string& input) {
  if (input.empty()) return;
  const std::string dir = freshScratchDir(), body = input.substr(1);
  const int layout = (unsigned char)input[0] % 4;
  std::vector<std::string> names;
  std::string path = dir;
  if (layout < 3) {
    names = {std::string("data.") + (layout == 0 ? "csv" : layout == 1 ? "tsv" : "jsonl")};
    path = dir + "/" + names[0];
    writeFile(path, body);
  } else {
    names = {"train.csv", "validation.csv", "test.csv", "ood_test.csv"};
    const std::vector<std::string> parts = splitFiles(body);
    for (size_t i = 0; i < parts.size() && i < names.size(); ++i) writeFile(dir + "/" + names[i], parts[i]);
    names.push_back(dir);  // "no train split" names the folder
  }
  guarded(names, [&] {
    const data::Task task = data::importDataset(path);
    if (task.classes.size() < 2) throw Finding("a task with fewer than two classes was accepted");
    if (task.train.empty() || task.test.empty()) throw Finding("a task without train or test examples was accepted");
    for (const auto* split : {&task.train, &task.validation, &task.test, &task.ood})
      for (const auto& e : *split) {
        if (e.label < 0 || e.label >= task.numClasses()) throw Finding("label index out of range");
        if (e.text.empty()) throw Finding("an empty text was accepted");
      }
  });
}

std::vector<std::string> datasetSeeds() {
  const std::string folder = "tasks/csv_folder/";
  return {std::string(1, '\0') + testData("tasks/csv_folder/train.csv"),
          std::string(1, '\x01') + testData("tasks/tsv_folder/train.tsv"),
          std::string(1, '\x02') + testData("tasks/jsonl_file/data.jsonl"),
          std::string(1, '\x03') + joinFiles({testData(folder + "train.csv"), testData(folder + "validation.csv"),
                                              testData(folder + "test.csv"), testData(folder + "ood_test.csv")}),
          std::string(1, '\x00') + "text,label,split\n\"a \"\"quoted\"\"\nline\",x,train\nb,y,train\nc,x,train\nd,y,train\ne,x,test\nf,y,test\n"};
}

// Any bytes as a session file: read as the window reads it on File > Open session.
void runSession(const std::string& input) {
  const std::string dir = freshScratchDir(), path = dir + "/lesson.pwb";
  writeFile(path, input);
  ui::Session session;
  QString error;
  try {
    const bool read = ui::readSessionFile(QString::fromStdString(path), &session, &error);
    setLastCleanError(read ? "" : error.toStdString());
    if (!read) checkMessage(error.toStdString(), {"lesson.pwb"});
  } catch (const Finding&) {
    throw;
  } catch (const std::exception& e) {
    throw Finding(std::string("readSessionFile threw: ") + e.what());
  }
}

std::vector<std::string> sessionSeeds() {
  return {R"({"format": "peft-workbench-session", "version": 1, "saved_at": "2026-12-01T10:00:00Z",
  "experiment": {"model": "tiny-bert", "task": "dictionary-fields", "methods": ["lp", "lora"],
                 "knobs": {"lora": {"rank": 8}}, "preset": "quick"},
  "relative_paths": {"model": "", "task": ""},
  "window": {"tab": "Compare", "try_it_text": "a small bird"},
  "runs": {"database": "/tmp/results.sqlite", "database_relative": "results.sqlite", "shown": [1, 2, 3]}})",
          R"({"format": "peft-workbench-session", "version": 1, "experiment": {"model": "./models/m", "task": "../t"},
  "relative_paths": {"model": "models/m", "task": "t"}})"};
}

}  // namespace pw::fuzz
