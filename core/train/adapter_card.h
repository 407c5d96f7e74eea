// The README.md a saved adapter (or whole-model) folder carries: YAML front matter as the Hugging Face Hub
// reads it (library_name, pipeline_tag, base_model, tags, license) and a body a person reads (what was
// trained, on what, how, and the accuracy with its interval). Torch-free.
#pragma once
#include <string>

#include "models/config.h"
#include "train/trainer.h"

namespace pw {

// How a saved folder names its base model: a shipped model by its name ("tiny-bert"); a folder by its path
// relative to the saved folder ("../models/my-bert"), so the pair moves together and no absolute path of this
// machine is written.
std::string baseModelReference(const std::string& modelAsGiven, const std::string& baseFolder,
                               const std::string& savedFolder);

// The card's text. `peftType` is the folder's adapter_config.json type ("LORA", "FULL", ...); `standardPeft`
// says whether the PEFT library itself defines it (library_name peft, else peft-workbench / transformers).
// `model` is the base model's architecture as it ran (its pooling decides whether transformers would reproduce
// the logits; the card says so either way).
std::string adapterCard(const TrainConfig& config, const RunResult& result, const std::string& baseModel,
                        const std::string& peftType, bool standardPeft, const ModelConfig& model);

// One paragraph: does transformers (and PEFT) compute the same logits from this folder, and if not, why.
std::string transformersCompatibility(const ModelConfig& model, const std::string& method);

// Why transformers computes other logits from a saved FOLDER, as its README.md says ("" when the card says
// they are the same, or the folder has no card): what the CLI and the window repeat when they save one.
std::string transformersWarning(const std::string& folder);

// Writes FOLDER/README.md; throws pw::Error naming the file.
void writeAdapterCard(const std::string& folder, const std::string& card);

}  // namespace pw
