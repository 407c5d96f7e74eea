// Trains an uncased WordPiece vocabulary (BERT style) from a text corpus: writes vocab.txt and
// tokenizer_config.json, which loadTokenizer and Hugging Face's BertTokenizer read.
#pragma once
#include "tokenizers/train_common.h"

namespace pw::tok {

// [PAD] [UNK] [CLS] [SEP] [MASK] get ids 0-4, then every kept character and its "##" form, then merged
// pieces (most frequent adjacent pair first, BPE style) until opt.vocabSize entries.
VocabTrainResult trainWordPiece(const VocabTrainOptions& opt);

}  // namespace pw::tok
