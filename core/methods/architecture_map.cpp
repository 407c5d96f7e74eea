// Architecture view (see architecture_map.h).
#include "methods/architecture_map.h"

#include "methods/catalog.h"
#include "methods/method.h"
#include "models/transformer.h"
#include "util/error.h"

namespace pw {
namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The drawn part a parameter of the live model belongs to.
std::string partOf(const std::string& name) {
  if (has(name, "adapter_attention")) return "adapter_attn";
  if (has(name, "adapter_ffn")) return "adapter_ffn";
  if (has(name, "embeddings")) return "embeddings";
  if (has(name, "attention.query")) return "q";
  if (has(name, "attention.key")) return "k";
  if (has(name, "attention.value")) return "v";
  if (has(name, "attention.output")) return "o";
  if (has(name, "attn_norm")) return "attn_norm";
  if (has(name, "intermediate")) return "ffn_up";
  if (has(name, "activation_scale")) return "ffn_act";
  if (has(name, ".output.")) return "ffn_down";
  if (has(name, "ffn_norm")) return "ffn_norm";
  if (has(name, "final_norm")) return "final_norm";
  if (has(name, "pooler")) return "pooler";
  if (name.rfind("classifier", 0) == 0) return "head";
  return "";
}

// Method-added tensors are those that are not base tensors: slot modules and scales.
bool isAdded(const std::string& name) {
  return has(name, ".delta.") || has(name, "output_scale") || has(name, "activation_scale") || has(name, "adapter_");
}

std::vector<ArchPart> emptyParts() {
  const std::vector<std::pair<std::string, std::string>> p = {
      {"prompt", "Soft prompt"},   {"embeddings", "Embeddings"}, {"prefix", "Prefix keys/values"},
      {"q", "W_q"},                {"k", "W_k"},                 {"v", "W_v"},
      {"o", "W_o"},                {"adapter_attn", "Adapter (attention)"},
      {"attn_norm", "Add & LayerNorm"},
      {"ffn_up", "FFN W_1"},       {"ffn_act", "Activation"},    {"ffn_down", "FFN W_2"},
      {"adapter_ffn", "Adapter (FFN)"}, {"ffn_norm", "Add & LayerNorm"},
      {"final_norm", "Final LayerNorm"}, {"pooler", "Pooler"},   {"head", "Classifier head"}};
  std::vector<ArchPart> parts;
  for (const auto& [key, label] : p) parts.push_back({key, label});
  return parts;
}

}  // namespace

const ArchPart* ArchitectureView::part(const std::string& key) const {
  for (const auto& p : parts)
    if (p.key == key) return &p;
  return nullptr;
}

ArchitectureView architectureView(const ModelConfig& config, const std::string& method, const nlohmann::json& knobs,
                                  int64_t classes) {
  auto m = createMethod(method, knobs.is_object() ? knobs : nlohmann::json::object());
  TransformerModel model(config);
  std::vector<std::string> labels;
  for (int64_t c = 0; c < std::max<int64_t>(1, classes); ++c) labels.push_back("class " + std::to_string(c));
  model->setClassifier(labels);
  InitContext shapes;
  shapes.shapesOnly = true;  // drawn and counted, never run: no tokenizer needed
  applyMethod(*model, *m, shapes);
  if (m->stageCount() > 1) m->setStage(*model, m->stageCount());

  ArchitectureView view;
  view.method = method;
  view.title = methodDescriptor(method).title;
  view.formula = methodDescriptor(method).formula;
  view.layers = config.layers;
  view.pooling = config.pooling;
  view.parts = emptyParts();
  if (config.distilbert)  // its [CLS] layer: pre_classifier + ReLU, held as the pooler
    for (auto& p : view.parts)
      if (p.key == "pooler") p.label = "pre_classifier";
  auto find = [&](const std::string& key) -> ArchPart& {
    for (auto& p : view.parts)
      if (p.key == key) return p;
    throw Error("internal: no architecture part " + key);
  };
  for (const auto& item : model->named_parameters()) {
    const std::string& name = item.key();
    std::string key = partOf(name);
    if (key.empty()) continue;  // MLM head tensors are not part of a classifier
    ArchPart& p = find(key);
    const int64_t n = item.value().numel();
    const bool added = isAdded(name);
    if (!added) {
      p.baseTotal += n;
      view.total += n;  // base model + head, as ParamBreakdown counts it
    }
    if (item.value().requires_grad()) {
      p.trainable += n;
      view.trainable += n;
      (added ? p.added : p.unfrozen) = true;
    }
  }
  for (const auto& [name, t] : m->ownParameters()) {
    ArchPart& p = find(m->ownGroup() == "prefix" ? "prefix" : "prompt");
    p.trainable += t.numel();
    p.added = true;
    view.trainable += t.numel();
  }
  return view;
}

}  // namespace pw
