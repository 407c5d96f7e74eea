// Shared fixtures of the method tests: tiny random models, inputs, the (family, method, knobs) case table,
// a few optimiser steps, and the closed-form parameter formulas of docs/METHODS.md written out again.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "methods/method.h"
#include "models/transformer.h"

namespace pwtest {

struct MethodCase {
  pw::Family family;
  std::string method;
  nlohmann::json knobs;
  bool distilbert = false;    // a BERT-family case on DistilBERT's layout (names, no token types, pre_classifier)
  std::string label() const;  // "bert lora {"rank":2}"
};

// Every method on both families, some with non-default knobs, and on DistilBERT.
std::vector<MethodCase> methodCases();

// 2 layers, d 16, 4 heads, f 64, 50 tokens, 32 positions, no dropout; weights seeded.
pw::ModelConfig tinyConfig(pw::Family family, int64_t hidden = 16);
pw::TransformerModel tinyModel(pw::Family family, int64_t hidden = 16, uint64_t seed = 7);
// The case's model: tinyConfig(family), or the same sizes as a DistilBERT with [CLS] pooling.
pw::ModelConfig tinyConfig(const MethodCase& c);
pw::TransformerModel tinyModel(const MethodCase& c);

// A right-padded batch: rows of token ids.
pw::ModelInputs makeInputs(const std::vector<std::vector<int64_t>>& rows, int64_t pad = 0);
pw::ModelInputs sampleBatch();  // 3 sequences of different lengths

// Runs `steps` Adam steps on a cross-entropy loss over the trainable tensors. Returns false when a tensor
// that does not require a gradient got one (or a trainable one got none) after a backward pass.
bool trainSteps(pw::TransformerModelImpl& model, const pw::Method& method, int steps, std::string* problem = nullptr);

// Every named tensor of the model and the method, cloned.
std::map<std::string, at::Tensor> snapshot(pw::TransformerModelImpl& model, const pw::Method& method);

// docs/METHODS.md's closed forms: the parameters the method trains beside the head, from the sizes alone.
int64_t closedFormTrainable(const pw::ModelConfig& c, const std::string& method, const nlohmann::json& knobs);
int64_t closedFormBaseTotal(const pw::ModelConfig& c);

}  // namespace pwtest
