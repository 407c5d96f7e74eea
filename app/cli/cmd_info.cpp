// `info MODEL` and `encode MODEL TEXT`: what a model folder (or shipped model) holds, and its tokenizer.
#include <iostream>

#include "command.h"
#include "models/model_folder.h"
#include "models/model_summary.h"

namespace pw::cli {
namespace {

int runInfo(const Args& a) {
  ModelSummary s = summarizeModel(a.positional[0]);
  if (a.json()) printJson(s.toJson());
  else std::cout << s.toText();
  return 0;
}

PW_COMMAND("info", "MODEL [--json]", "family, layers, hidden size, heads, vocabulary, positions, parameter count",
           {}, {}, 1, 1, runInfo);

int runEncode(const Args& a) {
  auto tokenizer = tok::loadTokenizer(resolveModelFolder(a.positional[0]));
  std::vector<int64_t> ids = tokenizer->encode(a.positional[1], !a.flags.count("no-special"));
  std::vector<std::string> tokens;
  for (int64_t id : ids) tokens.push_back(tokenizer->idToToken(id));
  if (a.json()) {
    printJson({{"ids", ids}, {"tokens", tokens}, {"count", ids.size()}, {"tokenizer", tokenizer->kind()}});
    return 0;
  }
  std::cout << "ids:    ";
  for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? " " : "") << ids[i];
  std::cout << "\ntokens: ";
  for (size_t i = 0; i < tokens.size(); ++i) std::cout << (i ? " " : "") << tokens[i];
  std::cout << "\ncount:  " << ids.size() << "\n";
  return 0;
}

PW_COMMAND("encode", "MODEL TEXT [--no-special] [--json]", "token ids and tokens of TEXT under MODEL's tokenizer",
           {}, {"no-special"}, 2, 2, runEncode,
           {{"no-special", {"", "leave out [CLS]/[SEP] (or the model's special tokens)"}}});

}  // namespace
}  // namespace pw::cli
