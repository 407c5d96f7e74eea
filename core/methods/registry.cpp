// The method registry (see catalog.h): the built-in methods, one line each, and methods registered at run time.
// Listed explicitly (static self-registration would be dropped by the linker from a static library).
#include "methods/adapter.h"
#include "methods/bitfit.h"
#include "methods/full_finetune.h"
#include "methods/ia3.h"
#include "methods/linear_probe.h"
#include "methods/lora.h"
#include "methods/lp_ft.h"
#include "methods/method.h"
#include "methods/prefix.h"
#include "methods/prompt.h"
#include "util/error.h"

namespace pw {
namespace {

std::deque<MethodDescriptor>& registry() {
  static std::deque<MethodDescriptor> methods = {
      linearProbeDescriptor(), fullFineTuneDescriptor(), lpFtDescriptor(), promptDescriptor(),
      prefixDescriptor(),      adapterDescriptor(),      loraDescriptor(), bitFitDescriptor(),
      ia3Descriptor(),
  };
  return methods;
}

std::string nameList() {
  std::string list;
  for (const auto& m : registry()) list += (list.empty() ? "" : ", ") + m.name;
  return list;
}

}  // namespace

const std::deque<MethodDescriptor>& methodCatalog() { return registry(); }

const MethodDescriptor& methodDescriptor(const std::string& name) {
  for (const auto& m : registry())
    if (m.name == name) return m;
  throw Error("unknown method '" + name + "' (methods: " + nameList() + ")");
}

std::vector<std::string> methodNames() {
  std::vector<std::string> names;
  for (const auto& m : registry()) names.push_back(m.name);
  return names;
}

std::string methodHelp(const std::string& name) { return methodDescriptor(name).help; }

void registerMethod(MethodDescriptor d) {
  if (d.name.empty() || d.title.empty()) throw Error("a method needs a name and a title");
  for (const auto& m : registry())
    if (m.name == d.name) throw Error("method '" + d.name + "' is already registered");
  if (!d.make) throw Error("method '" + d.name + "' has no factory");
  if (d.plan.empty()) throw Error("method '" + d.name + "' has no training plan");
  if (d.hasRates() && d.ratesOf.empty() && d.rates.empty())
    throw Error("method '" + d.name + "' trains by gradient but has no default learning rates");
  if (d.peftType.empty()) throw Error("method '" + d.name + "' has no adapter-file type (peft_type)");
  if (d.shortTitle.empty()) d.shortTitle = d.title;
  defaultKnobs(d);  // every default must pass its own spec
  registry().push_back(std::move(d));
}

std::unique_ptr<Method> createMethod(const std::string& name, const nlohmann::json& knobs) {
  const MethodDescriptor& d = methodDescriptor(name);
  nlohmann::json resolved = resolveKnobs(d, knobs);
  std::unique_ptr<Method> m = d.make(resolved);
  m->descriptor_ = &d;
  m->knobs_ = std::move(resolved);
  return m;
}

}  // namespace pw
