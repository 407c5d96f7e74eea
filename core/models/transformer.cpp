// TransformerModel (see transformer.h).
#include "models/transformer.h"

#include <cmath>

#include "util/error.h"

namespace pw {

TransformerModelImpl::TransformerModelImpl(const ModelConfig& c) : config_(c) {
  const int64_t d = c.hidden;
  word_embeddings = register_module("word_embeddings", torch::nn::Embedding(c.vocabSize, d));
  position_embeddings = register_module("position_embeddings", torch::nn::Embedding(c.maxPositions, d));
  auto ln = torch::nn::LayerNormOptions({d}).eps(c.layerNormEps);
  if (isBert()) {
    if (c.typeVocabSize > 0)  // DistilBERT has no token types
      token_type_embeddings = register_module("token_type_embeddings", torch::nn::Embedding(c.typeVocabSize, d));
    embeddings_norm = register_module("embeddings_norm", torch::nn::LayerNorm(ln));
  }
  BlockOptions bo;
  bo.hidden = d;
  bo.heads = c.heads;
  bo.intermediate = c.intermediate;
  bo.layerNormEps = c.layerNormEps;
  bo.dropout = c.dropout;
  bo.attentionDropout = c.attentionDropout;
  bo.activation = c.activation;
  bo.preNorm = !isBert();
  dropoutRng_ = std::make_shared<DropoutRng>(0);
  bo.dropoutRng = dropoutRng_;
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.layers; ++i) {
    blocks.push_back(TransformerBlock(bo));
    layers->push_back(blocks.back());
  }
  if (isBert()) {
    pooler = register_module("pooler", torch::nn::Linear(d, d));
  } else {
    final_norm = register_module("final_norm", torch::nn::LayerNorm(ln));
  }
  dropout_ = register_module("dropout", SeededDropout(c.dropout, dropoutRng_));
  if (!c.labels.empty()) setClassifier(c.labels);
  initialiseWeights(*this, 0);
}

void TransformerModelImpl::seedDropout(uint64_t seed) { dropoutRng_->reseed(seed); }

EncoderOutput TransformerModelImpl::encode(const ModelInputs& in) {
  TORCH_CHECK(in.ids.dim() == 2, "ids must be (B, T)");
  const int64_t B = in.ids.size(0), T = in.ids.size(1);
  at::Tensor x = word_embeddings(in.ids);  // (B, T, d)
  at::Tensor mask = in.mask.defined() ? in.mask : torch::ones({B, T}, torch::kLong);
  int64_t k = 0;
  if (in.virtualTokens.defined()) {
    at::Tensor v = in.virtualTokens.dim() == 2 ? in.virtualTokens.unsqueeze(0).expand({B, -1, -1})
                                               : in.virtualTokens;
    k = v.size(1);
    x = torch::cat({v, x}, 1);  // (B, k + T, d)
    mask = torch::cat({torch::ones({B, k}, mask.options()), mask}, 1);
  }
  const int64_t S = k + T;
  // A prefix acts like cached past keys/values (as in Hugging Face and PEFT): positions start after it.
  const int64_t past = !in.prefixKeys.empty() && in.prefixKeys[0].defined() ? in.prefixKeys[0].size(2) : 0;
  // RoBERTa: real positions start after the padding index (positionOffset = pad_token_id + 1).
  const int64_t first = config_.positionOffset + past;
  if (first + S > config_.maxPositions)
    throw Error("sequence of " + std::to_string(past + S) + " tokens (prefix and virtual tokens included) " +
                "exceeds the model's " + std::to_string(config_.maxPositions - config_.positionOffset) + " positions");
  at::Tensor positions = torch::arange(first, first + S, torch::kLong);
  x = x + position_embeddings(positions).unsqueeze(0);
  if (isBert()) {
    if (!token_type_embeddings.is_empty()) {
      at::Tensor types = in.tokenTypes.defined() ? in.tokenTypes : torch::zeros({B, T}, torch::kLong);
      if (k > 0) types = torch::cat({torch::zeros({B, k}, torch::kLong), types}, 1);
      x = x + token_type_embeddings(types);
    }
    x = embeddings_norm(x);
  }
  x = dropout_(x);
  const bool causal = !isBert();
  for (size_t i = 0; i < blocks.size(); ++i) {
    at::Tensor pk = i < in.prefixKeys.size() ? in.prefixKeys[i] : at::Tensor();
    at::Tensor pv = i < in.prefixValues.size() ? in.prefixValues[i] : at::Tensor();
    x = blocks[i]->forward(x, mask, causal, pk, pv);
  }
  if (!isBert()) x = final_norm(x);
  return {x, mask, k};
}

at::Tensor TransformerModelImpl::pool(const EncoderOutput& out) {
  const at::Tensor& h = out.hidden;  // (B, S, d)
  at::Tensor feature;
  if (config_.pooling == "mean") {
    // Mean over real input tokens (virtual tokens excluded).
    at::Tensor m = out.mask.narrow(1, out.virtualCount, h.size(1) - out.virtualCount).to(h.scalar_type());
    at::Tensor real = h.narrow(1, out.virtualCount, h.size(1) - out.virtualCount);
    feature = (real * m.unsqueeze(-1)).sum(1) / m.sum(1, true).clamp_min(1.0);
  } else if (isBert()) {
    feature = h.select(1, out.virtualCount);  // the [CLS] token, after any virtual tokens
  } else {
    // Last real token: the highest position whose mask is 1 (right or left padding alike).
    at::Tensor pos = torch::arange(h.size(1), torch::kLong).unsqueeze(0);
    at::Tensor last = (pos * out.mask.to(torch::kLong)).argmax(1);  // (B)
    feature = h.index({torch::arange(h.size(0), torch::kLong), last});
  }
  // BERT's pooler belongs to [CLS] pooling (pretrained with next-sentence prediction in Hugging Face BERTs);
  // DistilBERT's pre_classifier + ReLU sits in the same place. The mean of the token outputs goes to the head
  // as it is: no frozen (possibly untrained) layer between the features and the head.
  if (isBert() && config_.pooling != "mean") {
    feature = pooler(feature);
    feature = config_.distilbert ? torch::relu(feature) : torch::tanh(feature);
  }
  return feature;  // (B, d)
}

at::Tensor TransformerModelImpl::pooledFeatures(const ModelInputs& in) { return pool(encode(in)); }

at::Tensor TransformerModelImpl::classify(const ModelInputs& in) {
  if (!hasClassifier()) throw Error("the model has no classification head");
  return classifier(dropout_(pooledFeatures(in)));
}

at::Tensor TransformerModelImpl::lmLogitsFromHidden(const at::Tensor& hidden) {
  if (isBert()) {
    if (!hasMlmHead()) throw Error("the model has no MLM head");
    // The LayerNorm in fp32 (under bf16 autocast the dense layer's output is bf16; LayerNorm's weights are not).
    at::Tensor h = mlm_norm(activate(mlm_transform(hidden), config_.activation).to(mlm_norm->weight.scalar_type()));
    return torch::nn::functional::linear(h, word_embeddings->weight, mlm_bias);
  }
  return torch::nn::functional::linear(hidden, word_embeddings->weight);
}

at::Tensor TransformerModelImpl::lmLogits(const ModelInputs& in) { return lmLogitsFromHidden(encode(in).hidden); }

void TransformerModelImpl::setClassifier(const std::vector<std::string>& labels, uint64_t seed) {
  if (labels.empty()) throw Error("a classification head needs at least one class");
  if (!classifier.is_empty()) unregister_module("classifier");
  config_.labels = labels;
  classifier = register_module(
      "classifier", torch::nn::Linear(torch::nn::LinearOptions(config_.hidden, labels.size()).bias(isBert())));
  torch::NoGradGuard guard;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed * 1000003ULL + 0xc1a55);
  classifier->weight.normal_(0.0, 0.02, generator);
  if (classifier->bias.defined()) classifier->bias.zero_();
}

void TransformerModelImpl::enableMlmHead() {
  if (!isBert() || hasMlmHead()) return;
  const int64_t d = config_.hidden;
  mlm_transform = register_module("mlm_transform", torch::nn::Linear(d, d));
  mlm_norm = register_module("mlm_norm", torch::nn::LayerNorm(
                                             torch::nn::LayerNormOptions({d}).eps(config_.layerNormEps)));
  mlm_bias = register_parameter("mlm_bias", torch::zeros({config_.vocabSize}));
  torch::NoGradGuard guard;
  mlm_transform->weight.normal_(0.0, 0.02);
  mlm_transform->bias.zero_();
}

void TransformerModelImpl::setPooling(const std::string& pooling) {
  bool ok = pooling == "mean" || pooling == (isBert() ? "cls" : "last");
  if (!ok) throw Error("pooling must be \"" + std::string(isBert() ? "cls" : "last") + "\" or \"mean\"");
  config_.pooling = pooling;
  config_.raw["classifier_pooling"] = pooling;
}

int64_t TransformerModelImpl::baseParameterCount() const {
  int64_t n = 0;
  for (const auto& item : named_parameters()) {
    const std::string& name = item.key();
    if (name.rfind("classifier.", 0) == 0 || name.rfind("mlm_", 0) == 0) continue;
    // Tensors a method plugged into a slot are not part of the base model.
    if (name.find(".delta.") != std::string::npos || name.find("adapter_") != std::string::npos ||
        name.find("output_scale") != std::string::npos || name.find("activation_scale") != std::string::npos)
      continue;
    n += item.value().numel();
  }
  return n;
}

void initialiseWeights(TransformerModelImpl& model, uint64_t seed) {
  torch::NoGradGuard guard;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const double residualStd = 0.02 / std::sqrt(2.0 * model.config().layers);
  for (auto& item : model.named_parameters()) {
    const std::string& name = item.key();
    at::Tensor& p = item.value();
    bool isNorm = name.find("norm") != std::string::npos;
    bool isBias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (isNorm) {
      isBias ? p.zero_() : p.fill_(1.0);
    } else if (isBias) {
      p.zero_();
    } else if (name.find("scale") != std::string::npos) {
      p.fill_(1.0);
    } else {
      bool residual = !model.isBert() && (name.find("attention.output.weight") != std::string::npos ||
                                          name.find(".output.weight") != std::string::npos);
      p.normal_(0.0, residual ? residualStd : 0.02, generator);
    }
  }
}

}  // namespace pw
