// Linear probing (head only), full fine-tuning (everything) and LP-FT (stage 1 linear probe, stage 2 full
// fine-tune from that head with a smaller learning rate). These add no tensors; they only choose what trains.
#pragma once
#include "methods/method.h"

namespace pw {

class LinearProbeMethod : public Method {
 public:
  explicit LinearProbeMethod(const nlohmann::json& knobs);
  std::string name() const override { return "lp"; }
  nlohmann::json knobs() const override { return nlohmann::json::object(); }
  std::string groupOf(const std::string&) const override { return ""; }
  std::string peftType() const override { return "LINEAR_PROBE"; }

 protected:
  void create(TransformerModelImpl&, const InitContext&) override {}
};

struct FullFineTuneConfig {
  double lrFactor = 0.1;  // LP-FT stage 2: learning rate = factor * the run's rate (Kumar et al.: ~10x smaller)
};

// "ft" (one stage, everything trains) and "lp-ft" (two stages).
class FullFineTuneMethod : public Method {
 public:
  FullFineTuneMethod(const nlohmann::json& knobs, bool lpFirst);
  std::string name() const override { return lpFirst_ ? "lp-ft" : "ft"; }
  nlohmann::json knobs() const override;
  std::string groupOf(const std::string& parameterName) const override;
  int stageCount() const override { return lpFirst_ ? 2 : 1; }
  double learningRateFactor() const override { return lpFirst_ && stage() == 2 ? config_.lrFactor : 1.0; }
  // Full weights are not an adapter: a full model folder is saved (see adapter_folder.h). In stage 1 of
  // LP-FT only the head has changed, so the head alone is saved, as for "lp".
  std::string peftType() const override { return lpFirst_ && stage() == 1 ? "LINEAR_PROBE" : "FULL"; }

 protected:
  void create(TransformerModelImpl&, const InitContext&) override {}

 private:
  FullFineTuneConfig config_;
  bool lpFirst_;
};

}  // namespace pw
