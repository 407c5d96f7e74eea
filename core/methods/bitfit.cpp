// BitFit (see bitfit.h). The biases are base tensors: adapter_folder saves them under Hugging Face names.
#include "methods/bitfit.h"

#include "methods/knobs.h"

namespace pw {

BitFitMethod::BitFitMethod(const nlohmann::json& knobs) { KnobReader(knobs, "bitfit").finish(); }

std::string BitFitMethod::groupOf(const std::string& n) const {
  const std::string tail = ".bias";
  bool bias = n.size() > tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0;
  return bias && n.rfind("classifier.", 0) != 0 ? "bias" : "";
}

}  // namespace pw
