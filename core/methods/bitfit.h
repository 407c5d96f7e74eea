// BitFit (Ben Zaken et al.): every bias of the base model trains (q, k, v, attention output, both FFN
// linears, every LayerNorm bias, BERT's pooler); LayerNorm gains and all weights stay frozen.
#pragma once
#include "methods/method.h"

namespace pw {

class BitFitMethod : public Method {
 public:
  std::string groupOf(const std::string& parameterName) const override;

 protected:
  void create(TransformerModelImpl&, const InitContext&) override {}
};

const MethodDescriptor& bitFitDescriptor();

}  // namespace pw
