// Model folder summary (see model_summary.h).
#include "models/model_summary.h"

#include <sstream>

#include "models/model_folder.h"

namespace pw {

ModelSummary summarizeModel(const std::string& nameOrPath) {
  LoadedModel m = loadModel(nameOrPath);
  const ModelConfig& c = m.model->config();
  ModelSummary s;
  s.folder = m.folder;
  s.family = c.familyName();
  s.pooling = c.pooling;
  s.activation = c.activation;
  s.tokenizer = m.tokenizer ? m.tokenizer->kind() : "none";
  s.layers = c.layers;
  s.hidden = c.hidden;
  s.heads = c.heads;
  s.intermediate = c.intermediate;
  s.vocabSize = c.vocabSize;
  s.maxPositions = c.maxPositions;
  s.parameters = m.model->baseParameterCount();
  s.classifierClasses = m.model->numClasses();
  s.unusedTensors = m.report.unused;
  return s;
}

nlohmann::json ModelSummary::toJson() const {
  return {{"folder", folder}, {"family", family}, {"layers", layers}, {"hidden_size", hidden},
          {"heads", heads}, {"intermediate_size", intermediate}, {"vocab_size", vocabSize},
          {"max_positions", maxPositions}, {"activation", activation}, {"pooling", pooling},
          {"parameters", parameters}, {"classifier_classes", classifierClasses}, {"tokenizer", tokenizer},
          {"unused_tensors", unusedTensors}};
}

std::string ModelSummary::toText() const {
  std::ostringstream o;
  o << "folder:         " << folder << "\n"
    << "family:         " << family << (family == "bert" ? " (encoder)" : " (decoder)") << "\n"
    << "layers:         " << layers << "\n"
    << "hidden size:    " << hidden << "\n"
    << "heads:          " << heads << "\n"
    << "feed-forward:   " << intermediate << " (" << activation << ")\n"
    << "vocabulary:     " << vocabSize << "\n"
    << "max positions:  " << maxPositions << "\n"
    << "pooling:        " << pooling
    << (pooling == "mean" ? " (mean of the token outputs)"
                          : pooling == "cls" ? " ([CLS] through the pooler)" : " (last real token)") << "\n"
    << "parameters:     " << parameters << " (base model, without heads)\n"
    << "classifier:     " << (classifierClasses ? std::to_string(classifierClasses) + " classes" : "none") << "\n"
    << "tokenizer:      " << tokenizer << "\n";
  if (!unusedTensors.empty())
    o << "unused tensors: " << unusedTensors.size() << " (e.g. " << unusedTensors[0] << ")\n";
  return o.str();
}

}  // namespace pw
