// Linear probing: only the classification head trains, on features of the frozen model computed once.
#pragma once
#include "methods/method.h"

namespace pw {

class LinearProbeMethod : public Method {
 public:
  std::string groupOf(const std::string&) const override { return ""; }

 protected:
  void create(TransformerModelImpl&, const InitContext&) override {}
};

const MethodDescriptor& linearProbeDescriptor();

}  // namespace pw
