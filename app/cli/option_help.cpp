// Option help (see option_help.h).
#include "option_help.h"

#include <map>
#include <sstream>

#include "methods/catalog.h"
#include "methods/knobs.h"

namespace pw::cli {

namespace {

// The meaning an option has in every command that takes it, unless the command says otherwise.
const std::map<std::string, OptionHelp>& sharedHelp() {
  static const std::map<std::string, OptionHelp> h = {
      {"model", {"MODEL", "base model: a shipped name (tiny-bert, tiny-gpt2) or a Hugging Face model folder"}},
      {"task", {"TASK", "task: a built-in name (dictionary-fields, wordnet-subgroups), a dataset folder or a CSV file"}},
      {"method", {"NAME", "fine-tuning method:"}},  // + the registered names
      {"methods", {"A,B,...", "methods, comma-separated, of:"}},
      {"preset", {"NAME", "training budget: quick (80 per class, 3 epochs), standard (all, 3 epochs) or thorough (8 epochs)"}},
      {"epochs", {"E", "passes over the training split (overrides the preset)"}},
      {"lr", {"X", "learning rate of what the method trains besides the head (default: the method's tuned rate)"}},
      {"head-lr", {"X", "learning rate of the classification head (default: the method's tuned rate)"}},
      {"batch", {"B", "examples per training step"}},
      {"seed", {"S", "random seed: initialisation, dropout, batch order and which examples a subset preset takes"}},
      {"seeds", {"N", "seeds 1..N per configuration; intervals and paired tests are over them"}},
      {"max-length", {"T", "tokens per text; longer texts are cut"}},
      {"warmup", {"F", "fraction of the steps over which the learning rate rises linearly from 0"}},
      {"weight-decay", {"X", "AdamW weight decay"}},
      {"clip", {"X", "gradient-norm clipping threshold (0: none)"}},
      {"evals-per-epoch", {"N", "validation evaluations per epoch (the validation curve's points; the run keeps its final weights)"}},
      {"per-class", {"N", "training examples per class (0: all)"}},
      {"eval-per-class", {"N", "validation examples per class (0: all); test and OOD splits are always whole"}},
      {"db", {"FILE", "results database (default: the user's results.sqlite)"}},
      {"no-db", {"", "do not record the run"}},
      {"tensorboard", {"DIR", "also write each run's curves and results as a TensorBoard log, one folder per run in DIR"}},
      {"save-adapter", {"DIR", "write the trained method as a PEFT-style adapter folder"}},
      {"precision", {"P", "auto (bf16 where the CPU has bf16 units), fp32 or bf16"}},
      {"random-init", {"", "start from random weights of the same architecture instead of the pretrained ones"}},
      {"cosine", {"", "cosine learning-rate decay after warmup (default: linear)"}},
      {"out", {"DIR", "folder for the results CSVs"}},
      {"plots", {"", "also write the charts as PNG files into --out"}},
      {"parallel", {"N", "runs at the same time, each on its share of the threads (auto: by cores and memory)"}},
      {"json", {"", "print one JSON object instead of the table"}},
      {"classes", {"C", "number of classes of the head"}},
      {"config", {"FILE", "a Hugging Face config.json: count parameters without loading weights"}},
      {"run", {"ID", "a run's id in the results database (see `runs`)"}},
  };
  return h;
}

std::string number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

// Every method that has a knob behind this option, in one sentence each.
OptionHelp knobHelp(const std::string& name) {
  OptionHelp h;
  for (const auto& m : methodCatalog())
    for (const auto& k : m.knobs) {
      if (knobFlag(k.key) != "--" + name) continue;
      if (h.metavar.empty() && k.kind != KnobSpec::Kind::Flag)
        h.metavar = k.kind == KnobSpec::Kind::Integer ? "N"
                    : k.kind == KnobSpec::Kind::Number ? "X"
                    : k.kind == KnobSpec::Kind::List   ? "A,B,..."
                                                        : "CHOICE";
      std::string range;
      if (k.kind == KnobSpec::Kind::Integer) range = number(k.min) + " to " + number(k.max);
      if (k.kind == KnobSpec::Kind::Number) range = "above " + number(k.min) + ", at most " + number(k.max);
      if (k.kind == KnobSpec::Kind::Choice) {
        for (const auto& c : k.choices) range += (range.empty() ? "" : "|") + c;
      }
      std::string def = k.defaultValue.is_string() ? k.defaultValue.get<std::string>() : k.defaultValue.dump();
      if (!h.text.empty()) h.text += " ";
      h.text += m.name + ": " + k.label + (range.empty() ? "" : " (" + range + ")") + ", default " + def + ". " + k.help;
    }
  return h;
}

}  // namespace

OptionHelp optionHelp(const Command& c, const std::string& name) {
  OptionHelp h;
  if (auto it = sharedHelp().find(name); it != sharedHelp().end()) h = it->second;
  if (name == "method" || name == "methods") {
    std::string names;
    for (const auto& m : methodCatalog()) names += (names.empty() ? " " : ", ") + m.name;
    h.text += names;
  }
  if (h.text.empty()) h = knobHelp(name);
  if (auto it = c.help.find(name); it != c.help.end()) {
    h.text = it->second.text;
    if (!it->second.metavar.empty()) h.metavar = it->second.metavar;
  }
  return h;
}

}  // namespace pw::cli
