// Full fine-tuning: every parameter trains. Saved as a whole model folder, not an adapter.
#pragma once
#include "methods/method.h"

namespace pw {

class FullFineTuneMethod : public Method {
 public:
  std::string groupOf(const std::string& parameterName) const override;

 protected:
  void create(TransformerModelImpl&, const InitContext&) override {}
};

const MethodDescriptor& fullFineTuneDescriptor();
ParamGroupSpec backboneGroup();  // "backbone": every base weight (FT and LP-FT's stage 2)

}  // namespace pw
