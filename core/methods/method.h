// The one interface every fine-tuning method implements (weight-side: lp, ft, lp-ft, adapter, lora, bitfit,
// ia3; input-side: prompt, prefix), creation by name, computed trainability and parameter accounting. What a
// method is (name, knobs, plan, PEFT type, ...) is its descriptor (methods/descriptor.h); the class holds tensors.
#pragma once
#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/safetensors.h"
#include "methods/catalog.h"
#include "methods/param_breakdown.h"
#include "models/config.h"

namespace pw {

class TransformerModelImpl;
struct ModelInputs;
namespace tok {
class Tokenizer;
}

// What a method may need when it creates its tensors (prompt init from label words, seeds).
struct InitContext {
  const tok::Tokenizer* tokenizer = nullptr;  // the base model's tokenizer, if any
  std::vector<std::string> labels;            // class names (prompt init "labels")
  uint64_t seed = 0;
  // The tensors' values do not matter (they are counted, drawn, or about to be read from a file): initialise
  // by shape alone, needing no tokenizer.
  bool shapesOnly = false;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

class Method {
 public:
  virtual ~Method() = default;

  const MethodDescriptor& descriptor() const { return *descriptor_; }
  const std::string& name() const { return descriptor_->name; }  // registry name: "lora", "prompt", ...
  virtual nlohmann::json knobs() const { return knobs_; }        // validated knobs with defaults filled in
  virtual nlohmann::json savedKnobs() const { return knobs(); }  // the knobs that load what exportTensors wrote
  virtual void validate(const ModelConfig&) const {}  // checks against a model; throws pw::Error

  // Validates, creates the method's tensors for this model and plugs them into its slots. Call once.
  void attach(TransformerModelImpl& model, const InitContext& ctx = {});
  // Disabling unplugs everything (the base model's exact output); enabling plugs the same tensors back.
  void setEnabled(TransformerModelImpl& model, bool enabled);
  bool enabled() const { return enabled_; }
  bool attached() const { return attached_; }

  // Input-side methods add virtual tokens or prefix keys/values; weight-side ones leave inputs alone.
  virtual void prepareInputs(ModelInputs&) const {}

  // The group a model parameter trains in under this method ("" = frozen). Covers base tensors (BitFit's
  // biases, FT's everything) and the modules the method plugged into slots. The head is always trained.
  virtual std::string groupOf(const std::string& parameterName) const = 0;
  // Tensors the method holds outside the model (prompt, prefix, reparameterisation MLP) and their group.
  virtual NamedTensors ownParameters() const { return {}; }
  virtual std::string ownGroup() const { return ""; }
  // From a config alone: the parameters the method adds beside the base model, by group.
  virtual std::map<std::string, int64_t> addedParameters(const ModelConfig&) const { return {}; }

  // The stages of the descriptor's plan (LP-FT: 1 = linear probe, 2 = full fine-tune from that head).
  // setStage switches and re-applies trainability.
  int stageCount() const { return int(descriptor_->plan.size()); }
  const TrainingStage& currentStage() const { return descriptor_->plan.at(size_t(stage_ - 1)); }
  int stage() const { return stage_; }
  void setStage(TransformerModelImpl& model, int stage);
  void selectStage(int stage);  // the same without a model (for counting from a config)
  double learningRateFactor() const;  // this stage's factor on both rates (its rateFactorKnob's value, or 1)
  virtual void finishTraining() {}  // prefix with reparameterisation keeps only the produced prefix
  virtual bool canMerge() const { return false; }
  virtual void merge(TransformerModelImpl&) {}
  virtual void unmerge(TransformerModelImpl&) {}

  // Adapter files (see adapter_folder.h). The type name in adapter_config.json, its extra fields, and the
  // method's own tensors under their file names (the head and trained base tensors are handled there).
  std::string peftType() const;  // this stage's, else the descriptor's
  bool promptLearning() const { return descriptor_->peftPromptLearning; }
  virtual nlohmann::json adapterConfig(TransformerModelImpl&) const { return nlohmann::json::object(); }
  virtual io::TensorMap exportTensors(TransformerModelImpl&) const { return {}; }
  // Copies the tensors this method owns from `file` (removing the names it used); throws naming `fileName`
  // when a shape disagrees with the model.
  virtual void importTensors(TransformerModelImpl&, io::TensorMap& /*file*/, const std::string& /*fileName*/) {}

 protected:
  virtual void create(TransformerModelImpl& model, const InitContext& ctx) = 0;
  virtual void plug(TransformerModelImpl&) {}
  virtual void unplug(TransformerModelImpl&) {}

 private:
  friend std::unique_ptr<Method> createMethod(const std::string&, const nlohmann::json&);
  const MethodDescriptor* descriptor_ = nullptr;  // set by createMethod
  nlohmann::json knobs_;
  bool attached_ = false, enabled_ = true;

 protected:
  int stage_ = 1;
};

// --- Creation ---
// Creates a method from knobs (JSON object; values may be numbers/bools or their strings, as the CLI gives),
// checked by its descriptor (resolveKnobs). Unknown method, unknown knob, or a knob out of range: pw::Error.
std::unique_ptr<Method> createMethod(const std::string& name, const nlohmann::json& knobs = nlohmann::json::object());

// --- Trainability ---
// Freezes every model parameter, then unfreezes the head and exactly what the method declares.
void applyTrainability(TransformerModelImpl& model, const Method& method);
// Attaches the method (after model.setClassifier) and applies trainability.
void applyMethod(TransformerModelImpl& model, Method& method, const InitContext& ctx = {});
// What the optimiser sees: every tensor that requires a gradient, named ("own." for the method's own).
NamedTensors trainableParameters(TransformerModelImpl& model, const Method& method);
// Classification logits with the method's inputs (virtual tokens / prefix) added.
at::Tensor classifyWith(TransformerModelImpl& model, const Method& method, ModelInputs inputs);

// --- Parameter accounting ---
ParamBreakdown countParameters(TransformerModelImpl& model, const Method& method);  // live: requires_grad
ParamBreakdown countParameters(const ModelConfig& config, const Method& method, int64_t classes);  // no weights
int64_t headParameterCount(const ModelConfig& config, int64_t classes);

}  // namespace pw
