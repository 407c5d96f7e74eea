// LP-FT (Kumar et al.): stage 1 fits the head as a linear probe, stage 2 fine-tunes everything from that head
// at FT's rates times lr_factor, so the pretrained features are distorted less.
#pragma once
#include "methods/method.h"

namespace pw {

class LpFtMethod : public Method {
 public:
  std::string groupOf(const std::string& parameterName) const override;

 protected:
  void create(TransformerModelImpl&, const InitContext&) override {}
};

const MethodDescriptor& lpFtDescriptor();

}  // namespace pw
