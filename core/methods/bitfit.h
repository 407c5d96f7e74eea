// BitFit (Ben Zaken et al.): every bias of the base model trains (q, k, v, attention output, both FFN
// linears, every LayerNorm bias, BERT's pooler); LayerNorm gains and all weights stay frozen.
#pragma once
#include "methods/method.h"

namespace pw {

class BitFitMethod : public Method {
 public:
  explicit BitFitMethod(const nlohmann::json& knobs);
  std::string name() const override { return "bitfit"; }
  nlohmann::json knobs() const override { return nlohmann::json::object(); }
  std::string groupOf(const std::string& parameterName) const override;
  std::string peftType() const override { return "BITFIT"; }

 protected:
  void create(TransformerModelImpl&, const InitContext&) override {}
};

}  // namespace pw
