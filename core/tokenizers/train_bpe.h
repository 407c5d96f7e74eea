// Trains a byte-level BPE vocabulary (GPT-2 style) from a text corpus: writes vocab.json, merges.txt and
// tokenizer_config.json, which loadTokenizer and Hugging Face's GPT2Tokenizer read.
#pragma once
#include "tokenizers/train_common.h"

namespace pw::tok {

// The 256 byte symbols first (GPT-2's order), then merges by pair frequency, then "<|endoftext|>" as the
// last id, opt.vocabSize entries in all (fewer when the corpus runs out of pairs).
VocabTrainResult trainByteBpe(const VocabTrainOptions& opt);

}  // namespace pw::tok
