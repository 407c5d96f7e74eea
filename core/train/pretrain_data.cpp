// Pretraining data (see pretrain_data.h).
#include "train/pretrain_data.h"

#include <fstream>

#include "util/error.h"

namespace pw {

PretrainCorpus buildPretrainCorpus(const std::string& corpusFile, const tok::Tokenizer& tokenizer, bool bert,
                                   int seq, int64_t maxDocuments) {
  std::ifstream in(corpusFile);
  if (!in) throw fileError(corpusFile, "cannot open the corpus");
  const int64_t cls = tokenizer.tokenToId("[CLS]"), sep = tokenizer.tokenToId("[SEP]");
  const int64_t eos = tokenizer.tokenToId("<|endoftext|>");
  if (bert && (cls < 0 || sep < 0)) throw Error("the vocabulary has no [CLS]/[SEP] tokens: not a BERT vocabulary");
  if (!bert && eos < 0) throw Error("the vocabulary has no <|endoftext|> token: not a GPT-2 vocabulary");
  PretrainCorpus c;
  std::string line;
  std::vector<int32_t> stream;
  while (std::getline(in, line)) {
    if (maxDocuments > 0 && int64_t(c.docs.size()) >= maxDocuments) break;
    if (line.empty()) continue;
    std::vector<int64_t> ids = tokenizer.encode(line, false);
    if (ids.empty()) continue;
    c.docs.emplace_back(ids.begin(), ids.end());
    c.tokens += ids.size();
    stream.insert(stream.end(), ids.begin(), ids.end());
    stream.push_back(int32_t(bert ? sep : eos));
  }
  if (c.docs.empty()) throw fileError(corpusFile, "the corpus is empty");
  const int64_t body = bert ? seq - 2 : seq;
  const int64_t n = int64_t(stream.size()) / body;
  if (n < 2) throw fileError(corpusFile, "the corpus is too small for even two sequences of " + std::to_string(seq));
  at::Tensor all = torch::empty({n, seq}, torch::kLong);
  auto a = all.accessor<int64_t, 2>();
  for (int64_t i = 0; i < n; ++i) {
    int64_t t = 0;
    if (bert) a[i][t++] = cls;
    for (int64_t j = 0; j < body; ++j) a[i][t++] = stream[i * body + j];
    if (bert) a[i][t++] = sep;
  }
  at::Tensor isVal = torch::arange(n, torch::kLong).remainder(100) == 99;
  c.validation = all.index({isVal}).contiguous();
  c.train = all.index({isVal.logical_not()}).contiguous();
  return c;
}

at::Tensor EpochSampler::batchIndices(int64_t step, int64_t batch) {
  at::Tensor idx = torch::empty({batch}, torch::kLong);
  for (int64_t i = 0; i < batch; ++i) {
    int64_t g = step * batch + i;
    int64_t epoch = g / size_;
    if (epoch != epoch_) {
      auto gen = at::make_generator<at::CPUGeneratorImpl>(seed_ * 7919 + uint64_t(epoch));
      order_ = torch::randperm(size_, gen, torch::kLong);
      epoch_ = epoch;
    }
    idx[i] = order_[g % size_];
  }
  return idx;
}

MaskedBatch maskForMlm(const at::Tensor& ids, const tok::Tokenizer& tokenizer, at::Generator& gen) {
  const int64_t maskId = tokenizer.tokenToId("[MASK]");
  if (maskId < 0) throw Error("the vocabulary has no [MASK] token");
  at::Tensor special = torch::zeros_like(ids, torch::kBool);
  for (const char* s : {"[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"}) {
    int64_t id = tokenizer.tokenToId(s);
    if (id >= 0) special = special.logical_or(ids == id);
  }
  at::Tensor u = at::rand(ids.sizes(), gen);
  at::Tensor selected = (u < 0.15).logical_and(special.logical_not());
  if (selected.sum().item<int64_t>() == 0) {
    // Always predict something: the first ordinary token.
    at::Tensor ordinary = special.logical_not().flatten().nonzero();
    if (ordinary.numel() > 0) selected.view(-1)[ordinary[0][0]] = true;
  }
  MaskedBatch m;
  m.positions = selected.flatten().nonzero().squeeze(1);
  m.targets = ids.flatten().index_select(0, m.positions);
  at::Tensor flat = ids.flatten().clone();
  at::Tensor r = at::rand({m.positions.size(0)}, gen);
  at::Tensor random = at::randint(5, tokenizer.vocabSize(), {m.positions.size(0)}, gen, torch::kLong);
  at::Tensor replacement = torch::where(r < 0.8, torch::full_like(m.targets, maskId),
                                        torch::where(r < 0.9, random, m.targets));
  flat.index_put_({m.positions}, replacement);
  m.ids = flat.view(ids.sizes());
  return m;
}

}  // namespace pw
