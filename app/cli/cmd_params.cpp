// `params (--model MODEL | --config CONFIG_JSON) --method NAME [knobs] [--classes C]`: trainable and total
// parameters of a method, by group. --config counts from the config alone (no weights); --model attaches the
// method to the live model and counts its tensors.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "command.h"
#include "method_args.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "tokenizers/tokenizer.h"
#include "util/error.h"

namespace pw::cli {
namespace {

std::vector<std::string> defaultLabels(int64_t classes, const std::vector<std::string>& known) {
  if (int64_t(known.size()) == classes) return known;
  std::vector<std::string> labels;
  for (int64_t i = 0; i < classes; ++i) labels.push_back("LABEL_" + std::to_string(i));
  return labels;
}

void printBreakdown(const ParamBreakdown& b, const std::string& indent) {
  std::ostringstream pct;
  pct << std::fixed << std::setprecision(4) << b.percent;
  std::cout << indent << "trainable: " << groupDigits(b.trainable) << " of " << groupDigits(b.total) << " ("
            << pct.str() << "%)\n";
  for (const auto& g : parameterGroups())
    if (const int64_t n = b.group(g.key); n > 0)
      std::cout << indent << "  " << std::left << std::setw(10) << g.key << groupDigits(n) << "\n";
}

int runParams(const Args& a) {
  if (a.has("model") == a.has("config")) throw Error("give exactly one of --model MODEL or --config CONFIG_JSON");
  const std::string methodName = a.require("method");
  std::unique_ptr<Method> method = createMethod(methodName, methodKnobsFromArgs(a));
  if (method->stageCount() > 1) method->selectStage(method->stageCount());  // the largest stage

  ParamBreakdown b, stage1;
  ModelConfig config;
  int64_t classes = 0;
  if (a.has("config")) {
    config = readConfigFile(a.get("config"));
    classes = a.getInt("classes", config.labels.empty() ? 2 : int64_t(config.labels.size()));
    if (classes < 0 || classes > 100000) throw Error("--classes must be between 0 and 100000");
    b = countParameters(config, *method, classes);
    if (method->stageCount() > 1) {
      method->selectStage(1);
      stage1 = countParameters(config, *method, classes);
      method->selectStage(method->stageCount());
    }
  } else {
    LoadedModel loaded = loadModel(a.get("model"));
    TransformerModel& model = loaded.model;
    config = model->config();
    const int64_t existing = model->hasClassifier() ? model->numClasses() : 0;
    classes = a.getInt("classes", existing > 0 ? existing : 2);
    if (classes < 0 || classes > 100000) throw Error("--classes must be between 0 and 100000");
    if (classes > 0 && classes != existing) model->setClassifier(defaultLabels(classes, config.labels));
    if (classes == 0 && existing > 0)
      throw Error("this model has a " + std::to_string(existing) + "-class head; --classes 0 cannot remove it");
    InitContext ctx;
    ctx.tokenizer = loaded.tokenizer.get();
    ctx.labels = model->config().labels;
    applyMethod(*model, *method, ctx);
    b = countParameters(*model, *method);
    if (method->stageCount() > 1) {
      method->setStage(*model, 1);
      stage1 = countParameters(*model, *method);
      method->setStage(*model, method->stageCount());
    }
  }

  if (a.json()) {
    nlohmann::json j = b.toJson();
    j["method"] = method->name();
    j["knobs"] = method->knobs();
    j["family"] = config.familyName();
    j["classes"] = classes;
    j["source"] = a.has("config") ? "config" : "model";
    if (method->stageCount() > 1) {
      j["stage"] = method->stageCount();
      j["stage1"] = stage1.toJson();
      j["lr_factor"] = method->learningRateFactor();
    }
    printJson(j);
    return 0;
  }
  std::cout << "method:    " << method->name() << " " << method->knobs().dump() << "\n"
            << "model:     " << config.familyName() << ", " << config.layers << " layers, d = " << config.hidden
            << ", f = " << config.intermediate << ", " << classes << " classes (counted from the "
            << (a.has("config") ? "config alone" : "live model") << ")\n";
  if (method->stageCount() > 1) {
    // Stage 1 and the last stage, each described by the method's plan.
    const auto& plan = method->descriptor().plan;
    std::cout << "stage 1 (" << plan.front().label << "):\n";
    printBreakdown(stage1, "  ");
    std::cout << "stage " << plan.size() << " (" << plan.back().label << ", learning rate x "
              << method->learningRateFactor() << "):\n";
    printBreakdown(b, "  ");
  } else {
    printBreakdown(b, "");
  }
  std::cout << "about:     " << methodHelp(method->name()) << "\n";
  return 0;
}

PW_COMMAND("params",
           "(--model MODEL | --config CONFIG_JSON) --method NAME [method knobs: params --help] [--classes C] [--json]",
           "trainable and total parameters of a fine-tuning method, by group (from a config alone or a live model)",
           withKnobOptions({"model", "config", "method", "classes"}), {}, 0, 0, runParams);

}  // namespace
}  // namespace pw::cli
