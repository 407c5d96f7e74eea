// `vocab`: trains a WordPiece or byte-level BPE vocabulary from a text corpus into a tokenizer folder.
#include <iostream>

#include "command.h"
#include "tokenizers/train_bpe.h"
#include "tokenizers/train_wordpiece.h"
#include "util/error.h"

namespace pw::cli {
namespace {

int runVocab(const Args& a) {
  const std::string kind = a.require("kind");
  if (kind != "wordpiece" && kind != "bpe") throw Error("--kind must be wordpiece or bpe, got '" + kind + "'");
  tok::VocabTrainOptions opt;
  opt.corpus = a.require("corpus");
  opt.outDir = a.require("out");
  opt.vocabSize = a.getInt("size", 16000);
  opt.limitAlphabet = static_cast<int>(a.getInt("limit-alphabet", 1000));
  if (opt.limitAlphabet < 1) throw Error("--limit-alphabet must be at least 1");
  opt.progress = true;
  const tok::VocabTrainResult r = kind == "bpe" ? tok::trainByteBpe(opt) : tok::trainWordPiece(opt);
  if (r.invalidUtf8 > 0) {
    std::cerr << "vocab: warning: " << r.invalidUtf8 << " invalid UTF-8 sequences in " << opt.corpus
              << " were read as U+FFFD\n";
  }
  if (a.json()) {
    printJson({{"kind", r.kind},
               {"size", r.vocabSize},
               {"requested_size", opt.vocabSize},
               {"out", r.outDir},
               {"files", r.files},
               {"merges", r.merges},
               {"alphabet", r.alphabet},
               {"corpus_bytes", r.corpusBytes},
               {"words", r.totalWords},
               {"unique_words", r.uniqueWords},
               {"skipped_words", r.skippedWords},
               {"invalid_utf8", r.invalidUtf8},
               {"count_seconds", r.countSeconds},
               {"merge_seconds", r.mergeSeconds}});
  } else {
    std::cout << "wrote a " << r.kind << " vocabulary of " << r.vocabSize << " entries (" << r.merges
              << " merges) to " << r.outDir << "\n";
  }
  return 0;
}

}  // namespace

PW_COMMAND(Command{"vocab",
                   "--kind wordpiece|bpe --corpus FILE --size N --out DIR [--limit-alphabet N]",
                   "train a WordPiece (vocab.txt) or byte-level BPE (vocab.json + merges.txt) vocabulary",
                   {"kind", "corpus", "size", "out", "limit-alphabet"},
                   {},
                   0,
                   0,
                   runVocab,
                   {{"kind", {"KIND", "wordpiece (BERT: vocab.txt) or bpe (GPT-2: vocab.json + merges.txt)"}},
                    {"corpus", {"FILE", "training text, one document per line"}},
                    {"size", {"N", "vocabulary size (default 16000)"}},
                    {"out", {"DIR", "the folder to write the vocabulary files into"}},
                    {"limit-alphabet", {"N", "wordpiece: at most this many distinct characters (default 1000)"}}}});

}  // namespace pw::cli
