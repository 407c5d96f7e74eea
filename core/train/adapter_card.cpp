// Model cards for saved folders (see adapter_card.h).
#include "train/adapter_card.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "methods/catalog.h"
#include "methods/default_rates.h"
#include "methods/knob_label.h"
#include "models/model_paths.h"
#include "util/error.h"
#include "util/stats.h"

namespace pw {
namespace fs = std::filesystem;

std::string baseModelReference(const std::string& modelAsGiven, const std::string& baseFolder,
                               const std::string& savedFolder) {
  for (const std::string& name : shippedModelNames())
    if (name == modelAsGiven) return name;
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(baseFolder.empty() ? modelAsGiven : baseFolder, ec);
  const fs::path saved = fs::weakly_canonical(savedFolder, ec);
  const fs::path relative = base.lexically_relative(saved);
  return relative.empty() ? modelAsGiven : relative.generic_string();
}

namespace {

// "87.6 % [85.6, 89.4] (1,051 / 1,200; Wilson 95 %)", or "" for an absent split.
std::string accuracyText(const SplitMetrics& m) {
  if (m.accuracy < 0 || m.examples <= 0) return "";
  const Interval w = wilsonInterval(m.correctCount(), m.examples);
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.1f %% [%.1f, %.1f] (%lld of %lld correct; 95 %% Wilson interval)", 100 * m.accuracy,
                100 * w.low, 100 * w.high, static_cast<long long>(m.correctCount()), static_cast<long long>(m.examples));
  return buf;
}

std::string yamlString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// The card's warning, and where its reason ends (transformersWarning reads it back from a saved folder).
const std::string kNotSameLogits = "**Not the same logits in transformers**: ";
const std::string kNotSameLogitsEnd = ", so loading this folder there gives other";

}  // namespace

std::string transformersCompatibility(const ModelConfig& model, const std::string& method) {
  const bool bert = model.family == Family::Bert;
  std::string why;
  if (model.pooling == "mean")
    why = std::string("this run classified the mean of the real tokens' outputs (classifier_pooling \"mean\"), a key "
                      "transformers does not read: its ") +
          (model.roberta      ? "RobertaForSequenceClassification puts a new dense + tanh + out_proj head on <s>"
           : model.distilbert ? "DistilBertForSequenceClassification classifies ReLU(pre_classifier([CLS]))"
           : bert             ? "BertForSequenceClassification classifies tanh(pooler([CLS]))"
                              : "GPT2ForSequenceClassification classifies the last real token");
  else if (model.roberta)
    why = "transformers' RobertaForSequenceClassification has a two-layer head (dense + out_proj) where this folder has "
          "one linear layer";
  if (!why.empty())
    return kNotSameLogits + why + kNotSameLogitsEnd + " predictions. PEFT Workbench (`peft-workbench-cli predict`, "
           "the window's Try it) reproduces them.";
  std::string same = "transformers computes the same features (" +
                     std::string(model.distilbert ? "ReLU(pre_classifier([CLS]))"
                                 : bert           ? "tanh(pooler([CLS]))"
                                                  : "the last real token") +
                     ") and head";
  if (method == "prompt" && bert)
    same += "; with prompt tuning this run pooled the real [CLS] after the virtual tokens, where PEFT pools position 0 "
            "(the first virtual token), so PEFT's logits differ";
  return same + ".";
}

std::string adapterCard(const TrainConfig& c, const RunResult& r, const std::string& baseModel,
                        const std::string& peftType, bool standardPeft, const ModelConfig& model) {
  const MethodDescriptor& m = methodDescriptor(c.method);
  // A built-in task by its name; an imported one by its file or folder name (not this machine's path).
  fs::path taskPath = fs::path(c.task).lexically_normal();
  if (taskPath.filename().empty()) taskPath = taskPath.parent_path();  // "folder/"
  const std::string task = c.task.find('/') == std::string::npos ? c.task : taskPath.filename().string();
  const bool full = peftType == "FULL";
  const std::string library = full ? "transformers" : standardPeft ? "peft" : "peft-workbench";
  std::ostringstream s;
  s << "---\n"
    << "library_name: " << library << "\n"
    << "pipeline_tag: text-classification\n"
    << "base_model: " << yamlString(baseModel) << "\n"
    << "license: other\n"
    << "tags:\n  - peft-workbench\n  - " << m.name << "\n"
    << "---\n\n";
  s << "# " << m.title << " on " << baseModel << ": " << task << "\n\n";
  s << (full ? "A whole model folder (every weight of the base model, fine-tuned, with its classification head)"
             : "An adapter (only what " + m.title + " trains, with the classification head)")
    << ", trained and saved by PEFT Workbench. " << m.title << ": " << m.summary << ".\n\n";
  s << "| | |\n|---|---|\n";
  s << "| base model | `" << baseModel << "`" << (c.randomInit ? " (random weights of its architecture)" : "") << " |\n";
  s << "| method | " << m.title << " (`" << m.name << "`), " << knobLabel(c.method, withPresetFactors(c.method, c.preset, c.knobs), KnobLabel::All) << " |\n";
  s << "| adapter type | `" << peftType << "`" << (standardPeft ? " (as the PEFT library saves it)" : "") << " |\n";
  char buf[200];
  std::snprintf(buf, sizeof buf, "| trainable parameters | %lld of %lld (%.2f %%) |\n",
                static_cast<long long>(r.params.trainable), static_cast<long long>(r.params.total), r.params.percent);
  s << buf;
  std::string classes;
  for (const auto& label : r.classes) classes += (classes.empty() ? "" : ", ") + label;
  s << "| task | `" << task << "`, " << r.classes.size() << " classes: " << classes << " |\n";
  std::snprintf(buf, sizeof buf, "| training | preset %s, %d epoch%s, batch %d, seed %llu, %s, %lld steps |\n",
                c.preset.c_str(), c.epochs, c.epochs == 1 ? "" : "s", c.batchSize,
                static_cast<unsigned long long>(c.seed), r.precision.c_str(), static_cast<long long>(r.steps));
  s << buf;
  std::snprintf(buf, sizeof buf, "| learning rates | body %g, head %g |\n", c.effectiveLr(), c.effectiveHeadLr());
  s << buf;
  if (const std::string v = accuracyText(r.validation); !v.empty()) s << "| validation accuracy | " << v << " |\n";
  if (const std::string v = accuracyText(r.idTest); !v.empty()) s << "| ID test accuracy | " << v << " |\n";
  for (const NamedMetrics& o : r.oodSets())
    if (const std::string v = accuracyText(o.metrics); !v.empty()) s << "| OOD accuracy: " << o.name << " | " << v << " |\n";
  s << "\n" << transformersCompatibility(model, c.method) << "\n";
  s << "\nThe saved state is the one at the end of training (no checkpoint was picked), and the shipped default "
       "rates were tuned on the validation split only: no test number chose anything. This is one run of one seed: "
       "compare methods over several seeds (`peft-workbench-cli compare --seeds 3`) before drawing a conclusion.\n\n";
  s << "`base_model` names the base model as PEFT Workbench found it: a shipped model by name, a folder by its path "
       "relative to this one. License: the base model's and the training data's terms apply; PEFT Workbench sets "
       "none of its own for trained weights.\n";
  return s.str();
}

void writeAdapterCard(const std::string& folder, const std::string& card) {
  const std::string path = (fs::path(folder) / "README.md").string();
  std::ofstream out(path, std::ios::binary);
  if (!out) throw fileError(path, "cannot write the model card");
  out << card;
  if (!out) throw fileError(path, "cannot write the model card");
}

std::string transformersWarning(const std::string& folder) {
  std::ifstream in(folder + "/README.md");
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  const std::string card = text.str();
  const size_t at = card.find(kNotSameLogits);
  if (at == std::string::npos) return "";
  const size_t from = at + kNotSameLogits.size();
  size_t end = card.find(kNotSameLogitsEnd, from);
  if (end == std::string::npos) end = card.find('\n', from);
  return card.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

}  // namespace pw
