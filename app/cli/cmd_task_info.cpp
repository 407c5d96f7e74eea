// `task-info TASK`: classes, split sizes (overall and per class), text lengths in words, and three
// examples per split and per named OOD set, for a built-in task or a user's dataset folder / file.
#include <algorithm>
#include <iomanip>
#include <iostream>

#include "command.h"
#include "data/task.h"
#include "data/text.h"

namespace pw::cli {
namespace {

nlohmann::json splitSummary(const data::Task& t, const std::vector<data::Example>& split) {
  std::vector<int> counts = data::classCounts(t, split);
  nlohmann::json perClass = nlohmann::json::object();
  for (size_t c = 0; c < t.classes.size(); ++c) perClass[t.classes[c]] = counts[c];
  size_t total = 0, longest = 0;
  for (const auto& e : split) {
    size_t w = data::wordCount(e.text);
    total += w;
    longest = std::max(longest, w);
  }
  nlohmann::json examples = nlohmann::json::array();
  for (size_t i = 0; i < split.size() && i < 3; ++i)
    examples.push_back({{"text", split[i].text}, {"label", t.classes[split[i].label]}});
  return {{"size", split.size()},
          {"per_class", perClass},
          {"mean_words", split.empty() ? 0.0 : static_cast<double>(total) / split.size()},
          {"max_words", longest},
          {"examples", examples}};
}

int runTaskInfo(const Args& a) {
  data::TaskOptions opts;
  opts.textColumn = a.get("text-column");
  opts.labelColumn = a.get("label-column");
  opts.seed = static_cast<uint64_t>(a.getInt("seed", static_cast<long long>(opts.seed)));
  data::Task t = data::loadTask(a.positional[0], opts);
  if (a.has("quick")) t = data::quickSubset(t, static_cast<int>(a.getInt("quick", 100)));
  nlohmann::json splits = nlohmann::json::object();
  for (const std::string& s : data::splitNames()) splits[s] = splitSummary(t, data::splitByName(t, s));
  nlohmann::json oodSets = nlohmann::json::array();  // every named OOD set, the first ("ood" split) first
  for (const data::OodSet& set : t.oodSets()) {
    nlohmann::json j = splitSummary(t, set.examples);
    j["name"] = set.name;
    oodSets.push_back(j);
  }
  if (a.json()) {
    printJson({{"name", t.name}, {"source", t.source}, {"classes", t.classes}, {"has_ood", t.hasOod()},
               {"ood_name", t.oodName}, {"splits", splits}, {"ood_sets", oodSets}, {"notes", t.notes}});
    return 0;
  }
  std::cout << "task:    " << t.name << "\nsource:  " << t.source << "\nclasses: " << t.classes.size() << " (";
  for (size_t c = 0; c < t.classes.size(); ++c) std::cout << (c ? ", " : "") << t.classes[c];
  std::cout << ")\n";
  for (const auto& n : t.notes) std::cout << "note:    " << n << "\n";
  if (!oodSets.empty()) {
    std::cout << "OOD sets:";
    for (size_t i = 0; i < oodSets.size(); ++i)
      std::cout << (i ? "," : "") << " '" << oodSets[i]["name"].get<std::string>() << "' ("
                << oodSets[i]["size"].get<size_t>() << ")";
    std::cout << "\n";
  }
  std::vector<std::pair<std::string, nlohmann::json>> sections;
  for (const std::string& s : data::splitNames()) {
    std::string title = s == "test" ? "test (ID)" : s == "ood" ? "ood (OOD test '" + t.oodName + "')" : s;
    sections.push_back({title, splits[s]});
  }
  for (size_t i = t.hasOod() ? 1 : 0; i < oodSets.size(); ++i)
    sections.push_back({"OOD test '" + oodSets[i]["name"].get<std::string>() + "'", oodSets[i]});
  for (const auto& [title, j] : sections) {
    std::cout << "\n" << title << ": " << j["size"].get<size_t>()
              << " examples, mean " << std::fixed << std::setprecision(1) << j["mean_words"].get<double>()
              << " words, max " << j["max_words"].get<size_t>() << "\n  per class:";
    for (const auto& c : t.classes) std::cout << " " << c << "=" << j["per_class"][c].get<int>();
    std::cout << "\n";
    for (const auto& e : j["examples"]) {
      std::string text = e["text"].get<std::string>();
      if (text.size() > 160) {
        size_t cut = 157;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
        text = text.substr(0, cut) + "...";
      }
      std::cout << "  [" << e["label"].get<std::string>() << "] " << text << "\n";
    }
  }
  return 0;
}

PW_COMMAND("task-info", "TASK [--text-column C] [--label-column C] [--seed N] [--quick N] [--json]",
           "classes, split sizes per class, text lengths and examples of a built-in task or a dataset folder/file",
           {"text-column", "label-column", "seed", "quick"}, {}, 1, 1, runTaskInfo,
           {{"text-column", {"NAME", "a CSV's text column (default: text, or the first text-like one)"}},
            {"label-column", {"NAME", "a CSV's label column (default: label)"}},
            {"seed", {"S", "the seed that splits a single CSV into train, validation and test"}},
            {"quick", {"N", "show the quick preset's subset: N training examples per class"}}});

}  // namespace
}  // namespace pw::cli
