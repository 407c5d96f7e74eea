// No method classifies through a frozen untrained layer: with mean pooling BERT's features reach the head
// directly (the pooler is unused, untrainable and in no budget); with [CLS] pooling the pooler is used as
// in Hugging Face BERT.
#include <torch/torch.h>

#include <QtTest>

#include "methods/catalog.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "models/transformer.h"

using namespace pw;

namespace {

TransformerModel tinyBert(const std::string& pooling) {
  ModelConfig c = makeConfig(Family::Bert, 64, 2, 32, 4, 32);
  c.dropout = 0.0, c.attentionDropout = 0.0, c.pooling = pooling;
  TransformerModel m(c);
  initialiseWeights(*m, 7);
  m->setClassifier({"a", "b"});
  return m;
}

at::Tensor logitsOf(TransformerModelImpl& m, const Method& method) {
  torch::NoGradGuard g;
  m.eval();
  at::Tensor ids = torch::tensor({{2, 5, 9, 11, 3}, {2, 7, 7, 3, 0}}, torch::kLong);
  at::Tensor mask = torch::tensor({{1, 1, 1, 1, 1}, {1, 1, 1, 1, 0}}, torch::kLong);
  return classifyWith(m, method, {ids, mask});
}

}  // namespace

class TestPooling : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // For every method: scrambling the pooler changes nothing under mean pooling, and no pooler tensor is
  // trainable or counted; the head sees exactly the mean of the real tokens' outputs.
  void meanPoolingBypassesThePooler() {
    for (const auto& info : methodCatalog()) {
      TransformerModel m = tinyBert("mean");
      auto method = createMethod(info.name, nlohmann::json::object());
      applyMethod(*m, *method, InitContext{nullptr, {"a", "b"}, 1});
      if (method->stageCount() == 2) method->setStage(*m, 2);
      at::Tensor before = logitsOf(*m, *method);
      {
        torch::NoGradGuard g;
        m->pooler->weight.normal_(0.0, 3.0);
        m->pooler->bias.fill_(5.0);
      }
      QVERIFY2(torch::equal(before, logitsOf(*m, *method)), info.name.c_str());
      for (const auto& p : m->named_parameters())
        if (p.key().rfind("pooler.", 0) == 0) QVERIFY2(!p.value().requires_grad(), (info.name + " " + p.key()).c_str());
      // The budget from the config alone agrees with the live model, pooler excluded.
      ParamBreakdown live = countParameters(*m, *method);
      ParamBreakdown planned = countParameters(m->config(), *method, 2);
      QCOMPARE(live.trainable, planned.trainable);
    }
  }

  void meanFeaturesAreTheTokenMean() {
    TransformerModel m = tinyBert("mean");
    torch::NoGradGuard g;
    m->eval();
    at::Tensor ids = torch::tensor({{2, 5, 9, 3}}, torch::kLong);
    ModelInputs in{ids, torch::ones_like(ids)};
    at::Tensor expected = m->encode(in).hidden.mean(1);
    QVERIFY(torch::allclose(m->pooledFeatures(in), expected, 1e-6, 1e-6));
  }

  // [CLS] pooling keeps BERT's pooler (pretrained in Hugging Face checkpoints): fine-tuning trains it.
  void clsPoolingUsesThePooler() {
    TransformerModel m = tinyBert("cls");
    auto ft = createMethod("ft", nlohmann::json::object());
    applyMethod(*m, *ft, InitContext{nullptr, {"a", "b"}, 1});
    at::Tensor before = logitsOf(*m, *ft);
    QVERIFY(m->pooler->weight.requires_grad());
    {
      torch::NoGradGuard g;
      m->pooler->weight.normal_(0.0, 3.0);
    }
    QVERIFY(!torch::equal(before, logitsOf(*m, *ft)));
  }

  // The shipped models pool by the mean: their never-trained pooler is out of every path.
  void shippedModelsPoolByTheMean() {
    ModelConfig c = readConfigFile(resolveModelFolder("tiny-bert") + "/config.json");
    QCOMPARE(c.pooling, std::string("mean"));
  }
};

QTEST_MAIN(TestPooling)
#include "tst_pooling.moc"
