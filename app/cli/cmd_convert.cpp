// `convert MODEL --out DIR [--dtype f32|f16|bf16]`: rewrite a model folder (e.g. a pretraining checkpoint)
// as a clean Hugging Face folder, optionally storing the weights in half precision to ship it small.
#include <iostream>

#include "command.h"
#include "models/model_folder.h"

namespace pw::cli {
namespace {

int runConvert(const Args& a) {
  std::string dtypeName = a.get("dtype", "f32");
  io::StoreDtype dtype = io::StoreDtype::F32;
  if (dtypeName == "f16") dtype = io::StoreDtype::F16;
  else if (dtypeName == "bf16") dtype = io::StoreDtype::BF16;
  else if (dtypeName != "f32") throw Error("--dtype must be f32, f16 or bf16");
  LoadOptions lo;
  lo.withTokenizer = false;
  lo.withMlmHead = !a.flags.count("drop-lm-head");
  LoadedModel m = loadModel(a.positional[0], lo);
  std::string out = a.require("out");
  saveModel(*m.model, out, dtype, m.folder);
  nlohmann::json j = {{"from", m.folder}, {"out", out}, {"dtype", dtypeName},
                      {"parameters", m.model->baseParameterCount()}};
  if (a.json()) printJson(j);
  else std::cout << "wrote " << out << " (" << dtypeName << ", " << m.model->baseParameterCount() << " parameters)\n";
  return 0;
}

PW_COMMAND("convert", "MODEL --out DIR [--dtype f32|f16|bf16] [--drop-lm-head] [--json]",
           "rewrite a model folder as a clean Hugging Face folder (optionally F16 to ship it small)",
           {"out", "dtype"}, {"drop-lm-head"}, 1, 1, runConvert,
           {{"out", {"DIR", "the folder to write (config.json, model.safetensors, the tokenizer files)"}},
            {"dtype", {"TYPE", "f32 (default), f16 or bf16 for the written weights"}},
            {"drop-lm-head", {"", "leave out the language-modelling head (a classifier does not use it)"}}});

}  // namespace
}  // namespace pw::cli
