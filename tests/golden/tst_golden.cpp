// The engine against a plain-PyTorch reference of the transformers architecture (scripts/make_golden_fixtures.py:
// BertModel, RobertaModel, DistilBertModel and GPT2Model written out, computed in float64): the same tiny random Hugging Face folders must give
// the same last hidden states and pooled features, to 1e-5.
// LibTorch before Qt: Qt's `slots` keyword macro breaks torch headers.
#include <torch/torch.h>

#include <QtTest>

#include "io/safetensors.h"
#include "models/model_folder.h"

using namespace pw;

namespace {

std::string golden(const std::string& name) { return std::string(PW_TEST_DATA) + "/golden/" + name; }

// Largest absolute difference over the real tokens (padded positions are not defined outputs).
double maxDiffOnRealTokens(const at::Tensor& got, const at::Tensor& want, const at::Tensor& mask) {
  const at::Tensor m = mask.unsqueeze(-1).to(at::kFloat);
  return ((got - want) * m).abs().max().item<double>();
}

}  // namespace

class TestGolden : public QObject {
  Q_OBJECT

  void check(const std::string& family, const std::vector<std::pair<std::string, std::string>>& poolings) {
    torch::NoGradGuard noGrad;
    LoadOptions options;
    options.withTokenizer = false;
    LoadedModel m = loadModel(golden(family), options);
    m.model->eval();
    const io::TensorMap e = io::readSafetensors(golden(family) + "/expected.safetensors");
    ModelInputs in;
    in.ids = e.at("ids");
    in.mask = e.at("mask");
    if (e.count("token_types")) in.tokenTypes = e.at("token_types");
    const at::Tensor hidden = m.model->encode(in).hidden;
    QCOMPARE(hidden.sizes(), e.at("hidden").sizes());
    const double d = maxDiffOnRealTokens(hidden, e.at("hidden"), in.mask);
    qInfo("%s: hidden states within %.1e of the reference", family.c_str(), d);
    QVERIFY2(d < 1e-5, (family + " hidden states differ by " + std::to_string(d)).c_str());
    // The outputs are not trivially close: they vary by far more than the tolerance.
    QVERIFY(e.at("hidden").std().item<double>() > 0.1);
    for (const auto& [pooling, key] : poolings) {
      m.model->setPooling(pooling);
      const double p = (m.model->pooledFeatures(in) - e.at(key)).abs().max().item<double>();
      QVERIFY2(p < 1e-5, (family + " " + pooling + " pooling differs by " + std::to_string(p)).c_str());
    }
  }

 private Q_SLOTS:
  void bertMatchesTheReference() { check("bert", {{"mean", "mean"}, {"cls", "pooled_cls"}}); }
  // RoBERTa: BERT's encoder under "roberta." names, positions from the padding index + 1 on, mean pooling by
  // default (its pooler is not for classification).
  void robertaMatchesTheReference() {
    check("roberta", {{"mean", "mean"}, {"cls", "pooled_cls"}});
    LoadOptions options;
    options.withTokenizer = false;
    QCOMPARE(loadModel(golden("roberta"), options).model->config().pooling, std::string("mean"));
  }
  // DistilBERT: its own config keys and weight names, no token types, [CLS] through pre_classifier + ReLU as
  // DistilBertForSequenceClassification; mean pooling by default (pretrained checkpoints lack pre_classifier).
  void distilbertMatchesTheReference() {
    check("distilbert", {{"mean", "mean"}, {"cls", "pooled_cls"}});
    LoadOptions options;
    options.withTokenizer = false;
    LoadedModel m = loadModel(golden("distilbert"), options);
    QCOMPARE(m.model->config().pooling, std::string("mean"));
    QVERIFY(m.report.unused.empty());
    QVERIFY(m.report.missingOptional.empty());  // pre_classifier is in the file
  }
  void gpt2MatchesTheReference() { check("gpt2", {{"mean", "mean"}, {"last", "last"}}); }
};

QTEST_MAIN(TestGolden)
#include "tst_golden.moc"
