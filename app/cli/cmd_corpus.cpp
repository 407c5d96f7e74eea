// `corpus --out FILE`: writes the pretraining corpus (one document per line) without any test or OOD
// text of any built-in task, and reports its size.
#include <iostream>

#include "command.h"
#include "data/corpus.h"
#include "data/task.h"

namespace pw::cli {
namespace {

int runCorpus(const Args& a) {
  std::string out = a.require("out");
  data::TaskOptions topts;
  topts.useCache = !a.flags.count("no-cache");
  data::CorpusOptions opts;
  opts.shuffle = !a.flags.count("keep-order");
  std::string list = a.get("sources");
  for (size_t pos = 0; pos < list.size();) {
    size_t comma = list.find(',', pos);
    std::string name = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (!name.empty()) opts.sources.push_back(name);
    pos = comma == std::string::npos ? list.size() : comma + 1;
  }
  if (!a.json()) opts.progress = [](const std::string& line) { std::cerr << "  " << line << "\n"; };
  std::vector<std::string> heldOut = data::builtinHeldOutTexts(topts);
  data::CorpusStats s = data::writeCorpus(out, heldOut, opts);
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& src : s.sources)
    sources.push_back({{"name", src.name}, {"package", src.package}, {"available", src.available},
                       {"documents", src.documents}, {"words", src.words}, {"chars", src.chars},
                       {"excluded_held_out", src.excluded}, {"duplicates", src.duplicates}});
  nlohmann::json j = {{"out", out},         {"documents", s.documents}, {"words", s.words},
                      {"chars", s.chars},   {"bytes", s.bytes},         {"excluded_held_out", s.excluded},
                      {"held_out_texts", heldOut.size()}, {"held_out_tasks", data::builtinTaskNames()},
                      {"duplicates", s.duplicates},
                      {"seconds", s.seconds}, {"shuffled", opts.shuffle}, {"sources", sources}};
  if (a.json()) {
    printJson(j);
    return 0;
  }
  std::cerr << "corpus: " << out << ": " << s.documents << " documents, " << s.words << " words, " << s.chars
            << " characters (" << s.bytes << " bytes) in " << s.seconds << " s; " << s.excluded
            << " documents dropped for holding one of " << heldOut.size() << " test/OOD texts of the built-in tasks\n";
  return 0;
}

PW_COMMAND("corpus", "--out FILE [--sources gcide,wordnet,...] [--keep-order] [--no-cache] [--json]",
           "write the pretraining corpus (unlabeled English, one document per line, no test/OOD text)",
           {"out", "sources"}, {"keep-order", "no-cache"}, 0, 0, runCorpus,
           {{"out", {"FILE", "the corpus file to write, one document per line"}},
            {"sources", {"A,B,...", "text sources to include (default: all installed)"}},
            {"keep-order", {"", "do not shuffle the documents"}},
            {"no-cache", {"", "rebuild the built-in tasks instead of reading their cache"}}});

}  // namespace
}  // namespace pw::cli
