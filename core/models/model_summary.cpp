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
  s.modelType = c.modelType();
  s.pooling = c.pooling;
  s.poolingText = c.pooling == "mean"  ? "mean of the token outputs"
                  : c.pooling == "last" ? "last real token"
                  : c.distilbert        ? "[CLS] through pre_classifier and ReLU"
                                        : "[CLS] through the pooler";
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
  return {{"folder", folder}, {"family", family}, {"model_type", modelType}, {"layers", layers},
          {"hidden_size", hidden}, {"heads", heads}, {"intermediate_size", intermediate}, {"vocab_size", vocabSize},
          {"max_positions", maxPositions}, {"activation", activation}, {"pooling", pooling},
          {"parameters", parameters}, {"classifier_classes", classifierClasses}, {"tokenizer", tokenizer},
          {"unused_tensors", unusedTensors}};
}

std::string ModelSummary::toText() const {
  std::ostringstream o;
  o << "folder:         " << folder << "\n"
    << "family:         " << family << (family == "bert" ? " (encoder" : " (decoder")
    << (modelType.empty() || modelType == family ? "" : ", " + modelType) << ")\n"
    << "layers:         " << layers << "\n"
    << "hidden size:    " << hidden << "\n"
    << "heads:          " << heads << "\n"
    << "feed-forward:   " << intermediate << " (" << activation << ")\n"
    << "vocabulary:     " << vocabSize << "\n"
    << "max positions:  " << maxPositions << "\n"
    << "pooling:        " << pooling << " (" << poolingText << ")\n"
    << "parameters:     " << parameters << " (base model, without heads)\n"
    << "classifier:     " << (classifierClasses ? std::to_string(classifierClasses) + " classes" : "none") << "\n"
    << "tokenizer:      " << tokenizer << "\n";
  if (!unusedTensors.empty())
    o << "unused tensors: " << unusedTensors.size() << " (e.g. " << unusedTensors[0] << ")\n";
  return o.str();
}

}  // namespace pw
