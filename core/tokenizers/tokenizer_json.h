// Hugging Face tokenizers' single-file format (tokenizer.json): WordPiece or byte-level BPE models.
#pragma once
#include <memory>
#include <string>

#include "tokenizers/tokenizer.h"

namespace pw::tok {

// `lowercaseFallback` applies when the file has no BertNormalizer saying otherwise.
std::unique_ptr<Tokenizer> loadTokenizerJson(const std::string& path, bool lowercaseFallback);

}  // namespace pw::tok
