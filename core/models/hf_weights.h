// Maps a TransformerModel's tensors to and from Hugging Face weight names (BERT: bert.embeddings...,
// encoder.layer.N..., LayerNorm.gamma/beta accepted; GPT-2: wte, h.N.attn.c_attn as fused Conv1D [in, out]).
#pragma once
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "models/transformer.h"

namespace pw {

struct LoadReport {
  std::vector<std::string> unused;   // names in the file that the model has no place for
  std::vector<std::string> missingOptional;  // optional tensors not in the file (pooler, heads): left initialised
  bool classifierLoaded = false;
  bool mlmHeadLoaded = false;
};

// Copies the file's tensors into the model. Throws pw::Error naming `file` on a missing weight or a shape
// that disagrees with the config.
LoadReport loadHuggingFaceWeights(TransformerModelImpl& model, const io::TensorMap& weights, const std::string& file);

// The model's base weights and heads under Hugging Face names (prefixed "bert." / "transformer.").
io::TensorMap toHuggingFaceWeights(TransformerModelImpl& model);

}  // namespace pw
