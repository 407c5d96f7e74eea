// Datasets users bring: finds the split files (or a split column), the text and label columns, reads
// CSV / TSV / JSON Lines, checks everything, and only then hands back a Task.
#include "data/dataset_import.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "data/per_class.h"
#include "data/raw_table.h"
#include "data/text.h"
#include "util/error.h"

namespace pw::data {

namespace fs = std::filesystem;

namespace {

struct Item {
  std::string text, label, where;  // where: "file:line" for messages
};

// "train", "validation", "test", "ood" for a file stem or split value, "ood:NAME" for a named OOD set
// ("ood_other_source" -> "ood:other source"); empty if not a split name.
std::string canonicalSplit(std::string s) {
  std::string original = s;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if ((s.rfind("ood_", 0) == 0 || s.rfind("ood-", 0) == 0) && s != "ood_test" && s.size() > 4) {
    std::string name = original.substr(4);
    std::replace(name.begin(), name.end(), '_', ' ');
    return "ood:" + name;
  }
  if (s == "train" || s == "training") return "train";
  if (s == "validation" || s == "valid" || s == "val" || s == "dev") return "validation";
  if (s == "test" || s == "id_test" || s == "test_id") return "test";
  if (s == "ood" || s == "ood_test" || s == "test_ood") return "ood";
  return "";
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Reads one file's examples into `out` by split (the file's own split, or its split column).
void readItems(const std::string& path, const std::string& fileSplit, const TaskOptions& opt,
               std::map<std::string, std::vector<Item>>& out) {
  RawTable t = readRawTable(path);
  std::string textCol = t.resolveColumn(opt.textColumn, {"text", "sentence"}, "text", "--text-column");
  std::string labelCol = t.resolveColumn(opt.labelColumn, {"label", "target"}, "label", "--label-column");
  if (textCol == labelCol)
    throw fileError(path, "the text and label columns are the same column ('" + textCol + "')");
  std::string splitCol;
  if (fileSplit.empty()) splitCol = t.findColumn("split");
  for (size_t r = 0; r < t.rowCount(); ++r) {
    std::string where = path + ":" + std::to_string(t.line(r));
    Item it{trim(t.cell(r, textCol)), trim(t.cell(r, labelCol)), where};
    if (it.text.empty()) throw fileError(where, "empty text in column '" + textCol + "'");
    if (it.label.empty()) throw fileError(where, "empty label in column '" + labelCol + "'");
    std::string split = fileSplit.empty() ? "train" : fileSplit;
    if (!splitCol.empty()) {
      std::string v = trim(t.cell(r, splitCol));
      split = canonicalSplit(v);
      if (split.empty())
        throw fileError(where, "unknown split '" + v + "' in column '" + splitCol +
                                   "' (expected train, validation/dev, test, ood/ood_test or ood_NAME for a named OOD set)");
    }
    out[split].push_back(std::move(it));
  }
}

bool isSupportedFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".csv" || ext == ".tsv" || ext == ".jsonl" || ext == ".ndjson" || ext == ".json";
}

bool isInteger(const std::string& s) {
  size_t i = s[0] == '-' ? 1 : 0;
  if (i >= s.size() || s.size() > 18) return false;
  for (; i < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Moves ~10% of each class (at least one of any class with two or more) from `from` into a new split.
std::vector<Example> carve(std::vector<Example>& from, int numClasses, uint64_t seed) {
  const std::vector<bool> take = pickPerClass(
      from, numClasses, [](size_t n) { return n < 2 ? size_t(0) : std::max<size_t>(1, n / 10); },
      [&](int c) { return seed + static_cast<uint64_t>(c); });
  std::vector<Example> carved, kept;
  for (size_t i = 0; i < from.size(); ++i) (take[i] ? carved : kept).push_back(std::move(from[i]));
  from.swap(kept);
  return carved;
}

}  // namespace

Task importDataset(const std::string& path, const TaskOptions& opt) {
  std::map<std::string, std::vector<Item>> items;
  std::vector<std::string> notes;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::map<std::string, fs::path> files;
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(path, ec)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& p : entries) {
      if (!fs::is_regular_file(p, ec) || !isSupportedFile(p)) continue;
      std::string split = canonicalSplit(p.stem().string());
      if (split.empty()) continue;
      if (files.count(split))
        throw fileError(path, "two files for the " + split + " split: " + files[split].filename().string() +
                                  " and " + p.filename().string() + " (keep one)");
      files[split] = p;
    }
    if (!files.count("train"))
      throw fileError(path, "no training file found (expected train.csv, train.tsv or train.jsonl, plus "
                            "optional validation / test / ood files)");
    for (const auto& [split, p] : files) readItems(p.string(), split, opt, items);
  } else if (fs::is_regular_file(path, ec)) {
    if (!isSupportedFile(path)) throw fileError(path, "unsupported file type (use .csv, .tsv or .jsonl)");
    readItems(path, "", opt, items);
  } else {
    throw fileError(path, "no such file or folder");
  }
  if (items["train"].empty()) throw fileError(path, "no training examples (nothing in the train split)");

  // Classes come from train; integers sort numerically, names alphabetically.
  std::set<std::string> trainLabels;
  for (const Item& it : items["train"]) trainLabels.insert(it.label);
  std::vector<std::string> classes(trainLabels.begin(), trainLabels.end());
  bool numeric = std::all_of(classes.begin(), classes.end(), isInteger);
  if (numeric)
    std::sort(classes.begin(), classes.end(), [](const std::string& a, const std::string& b) {
      return std::stoll(a) < std::stoll(b);
    });
  if (classes.size() < 2)
    throw fileError(items["train"].front().where.substr(0, items["train"].front().where.rfind(':')),
                    "only one class ('" + classes[0] + "') in the training data; a classifier needs at least two");
  std::map<std::string, int> index;
  for (size_t i = 0; i < classes.size(); ++i) index[classes[i]] = static_cast<int>(i);

  Task task;
  task.name = fs::path(path).filename().string();
  if (task.name.empty()) task.name = fs::path(path).parent_path().filename().string();
  if (!fs::is_directory(path, ec)) task.name = fs::path(path).stem().string();
  task.source = path;
  task.classes = classes;
  for (const std::string& split : splitNames()) {
    std::vector<Example>& dst = split == "train" ? task.train
                                : split == "validation" ? task.validation
                                : split == "test" ? task.test : task.ood;
    for (const Item& it : items[split]) {
      auto c = index.find(it.label);
      if (c == index.end())
        throw fileError(it.where, "label '" + it.label + "' appears in the " + split +
                                      " split but never in train (the model could not learn it)");
      dst.push_back({it.text, c->second});
    }
  }
  for (const auto& [split, list] : items) {
    if (split.rfind("ood:", 0) != 0) continue;
    OodSet set{split.substr(4), {}};
    for (const Item& it : list) {
      auto c = index.find(it.label);
      if (c == index.end())
        throw fileError(it.where, "label '" + it.label + "' appears in the OOD set '" + set.name +
                                      "' but never in train (the model could not learn it)");
      set.examples.push_back({it.text, c->second});
    }
    task.moreOod.push_back(std::move(set));
  }
  if (task.ood.empty() && !task.moreOod.empty()) {  // no plain ood file: the first named set leads
    task.oodName = task.moreOod.front().name;
    task.ood = std::move(task.moreOod.front().examples);
    task.moreOod.erase(task.moreOod.begin());
  }
  std::string seedText = "seed " + std::to_string(opt.seed);
  if (task.validation.empty()) {
    task.validation = carve(task.train, task.numClasses(), opt.seed);
    notes.push_back("no validation split: carved " + std::to_string(task.validation.size()) +
                    " examples (~10% per class) from train with " + seedText);
  }
  if (task.test.empty()) {
    task.test = carve(task.train, task.numClasses(), opt.seed ^ 0x5EED7E57ull);
    notes.push_back("no test split: carved " + std::to_string(task.test.size()) +
                    " examples (~10% per class) from train with " + seedText);
  }
  // A split carved empty (every class has one example) would train without checkpoints or score 0 of 0.
  for (const auto& [split, examples] : {std::pair<const char*, const std::vector<Example>*>{"validation", &task.validation},
                                        {"test", &task.test}})
    if (examples->empty())
      throw fileError(path, std::string("too few examples to carve a ") + split + " split from train (" +
                                std::to_string(task.train.size()) + " training examples left; a class gives one away "
                                "once it has two): add examples, or a " + split + " file");
  if (task.ood.empty()) notes.push_back("no OOD split: in-distribution evaluation only");
  // Texts shared between splits inflate scores; tell the user (their data, their call).
  std::map<std::string, std::set<int>> splitsOf;
  int s = 0;
  std::vector<const std::vector<Example>*> all = {&task.train, &task.validation, &task.test, &task.ood};
  for (const OodSet& set : task.moreOod) all.push_back(&set.examples);
  for (const auto* v : all) {
    for (const Example& e : *v) splitsOf[matchKey(e.text)].insert(s);
    ++s;
  }
  size_t shared = std::count_if(splitsOf.begin(), splitsOf.end(), [](const auto& kv) { return kv.second.size() > 1; });
  if (shared) notes.push_back(std::to_string(shared) + " texts appear in more than one split");
  task.notes = notes;
  return task;
}

}  // namespace pw::data
