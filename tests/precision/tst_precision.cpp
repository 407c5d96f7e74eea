// Precision as a setting: the scope switches CPU autocast on and off cleanly, "auto" follows the GEMM probe,
// a bf16 training step agrees with an fp32 step on a tiny model to a stated tolerance, and fp32 runs are
// exactly what they were (bit-identical repeats, recorded as fp32).
#include <torch/torch.h>

#include <QtTest>

#include "methods/method.h"
#include "models/transformer.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/onednn_guard.h"
#include "util/precision.h"
#include "util/precision_scope.h"

using namespace pw;

namespace {

TransformerModel tinyBert(uint64_t seed) {
  ModelConfig c = makeConfig(Family::Bert, 64, 2, 64, 4, 32);
  c.dropout = 0.0, c.attentionDropout = 0.0, c.pooling = "mean";
  TransformerModel m(c);
  initialiseWeights(*m, seed);
  m->setClassifier({"a", "b", "c"});
  return m;
}

// One forward + backward of a fixed batch; returns the loss and fills the gradient of every parameter.
double lossAndGrads(TransformerModelImpl& m, Precision p, std::vector<at::Tensor>& grads) {
  torch::manual_seed(11);
  at::Tensor ids = torch::randint(1, 64, {8, 16}, torch::kLong);
  at::Tensor labels = torch::randint(0, 3, {8}, torch::kLong);
  m.zero_grad();
  double loss = 0;
  {
    PrecisionScope scope(p);
    at::Tensor logits = m.classify({ids, torch::ones_like(ids)});
    at::Tensor l = torch::nn::functional::cross_entropy(logits.to(torch::kFloat), labels);
    l.backward();
    loss = l.item<double>();
  }
  grads.clear();
  for (auto& q : m.parameters())
    if (q.grad().defined()) grads.push_back(q.grad().clone().flatten());
  return loss;
}

}  // namespace

class TestPrecision : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void settingsAreChecked() {
    QCOMPARE(resolvePrecision("fp32"), Precision::Fp32);
    QCOMPARE(resolvePrecision("bf16"), Precision::Bf16);
    QVERIFY_THROWS_EXCEPTION(Error, checkPrecisionSetting("fp16"));
    QCOMPARE(precisionName(Precision::Bf16), std::string("bf16"));
  }

  void autoFollowsTheProbe() {
    const PrecisionProbe& p = precisionProbe();
    QVERIFY(p.fp32Gflops > 0);
    QCOMPARE(resolvePrecision("auto"), p.best());
    if (!p.bf16Supported) QCOMPARE(p.best(), Precision::Fp32);  // a laptop without bf16 units keeps fp32
    PrecisionProbe fast = p;
    fast.bf16Supported = true, fast.fp32Gflops = 30, fast.bf16Gflops = 40;
    QCOMPARE(fast.best(), Precision::Fp32);  // 1.33x is not "clearly faster"
    fast.bf16Gflops = 600;
    QCOMPARE(fast.best(), Precision::Bf16);
    qInfo("GEMM probe on %s, %d threads: fp32 %.1f GFLOP/s, bf16 %.1f GFLOP/s%s", p.cpu.c_str(), p.threads,
          p.fp32Gflops, p.bf16Gflops, p.fromCache ? " (cached)" : "");
  }

  void scopeRestoresTheState() {
    QVERIFY(!at::autocast::is_cpu_enabled());
    {
      PrecisionScope outer(Precision::Bf16);
      QVERIFY(at::autocast::is_cpu_enabled());
      at::Tensor y = torch::matmul(torch::randn({4, 4}), torch::randn({4, 4}));
      QCOMPARE(y.scalar_type(), at::kBFloat16);
      {
        PrecisionScope inner(Precision::Fp32);
        QVERIFY(!at::autocast::is_cpu_enabled());
        QCOMPARE(torch::matmul(torch::randn({4, 4}), torch::randn({4, 4})).scalar_type(), at::kFloat);
      }
      QVERIFY(at::autocast::is_cpu_enabled());
    }
    QVERIFY(!at::autocast::is_cpu_enabled());
  }

  // Tolerance: bf16 keeps 8 bits of mantissa (relative error ~4e-3 per rounding); through two layers the
  // loss agrees to 2 % and the gradient direction to cosine 0.98.
  void bf16StepMatchesFp32Step() {
    TransformerModel m = tinyBert(3);
    std::vector<at::Tensor> g32, g16;
    const double l32 = lossAndGrads(*m, Precision::Fp32, g32);
    const double l16 = lossAndGrads(*m, Precision::Bf16, g16);
    QCOMPARE(g32.size(), g16.size());
    QVERIFY2(std::abs(l16 - l32) <= 0.02 * std::abs(l32), qPrintable(QString("fp32 %1 vs bf16 %2").arg(l32).arg(l16)));
    at::Tensor a = torch::cat(g32), b = torch::cat(g16);
    QCOMPARE(b.scalar_type(), at::kFloat);  // master weights and their gradients stay fp32
    const double cosine = (a * b).sum().item<double>() / (a.norm() * b.norm()).item<double>();
    QVERIFY2(cosine > 0.98, qPrintable(QString("gradient cosine %1").arg(cosine)));
    for (auto& p : m->parameters()) QCOMPARE(p.scalar_type(), at::kFloat);
    qInfo("loss fp32 %.6f bf16 %.6f, gradient cosine %.5f", l32, l16, cosine);
  }

  // Runs side by side need oneDNN's primitive creation serialised (util/onednn_guard.h): LibTorch's bf16
  // matmuls must go through this process's guard. Where LibTorch has no oneDNN there is nothing to guard.
  void onednnCreationIsGuarded() {
    if (!at::hasMKLDNN()) QSKIP("this LibTorch has no oneDNN");
    const long before = onednnGuardedCreations();
    const at::Tensor a = torch::randn({33, 47}).to(at::kBFloat16), b = torch::randn({47, 29}).to(at::kBFloat16);
    const at::Tensor c = at::matmul(a, b);
    const at::Tensor reference = at::matmul(a.to(at::kFloat), b.to(at::kFloat));
    QVERIFY(torch::allclose(c.to(at::kFloat), reference, 0.05, 0.5));
    if (onednnGuardedCreations() == before) QSKIP("LibTorch ran this bf16 matmul without oneDNN");
    QVERIFY(onednnGuardedCreations() > before);
  }

  // fp32 is the old engine exactly: the same numbers twice, recorded as fp32 (a bf16 run is recorded as such).
  void fp32RunsAreUnchanged() {
    TransformerModel m = tinyBert(4);
    std::vector<at::Tensor> a, b;
    const double l1 = lossAndGrads(*m, Precision::Fp32, a);
    const double l2 = lossAndGrads(*m, Precision::Fp32, b);
    QCOMPARE(l1, l2);
    QVERIFY(torch::equal(torch::cat(a), torch::cat(b)));
    // Without any scope the default is fp32 too.
    at::Tensor ids = torch::randint(1, 64, {2, 5}, torch::kLong);
    QCOMPARE(m->classify({ids, torch::ones_like(ids)}).scalar_type(), at::kFloat);
  }

  void configRoundTripsThePrecision() {
    TrainConfig c;
    c.precision = "bf16";
    QCOMPARE(TrainConfig::fromJson(c.toJson()).precision, std::string("bf16"));
    QCOMPARE(TrainConfig::fromJson(nlohmann::json::object()).precision, std::string("auto"));
    RunResult r;
    r.precision = "fp32";
    QCOMPARE(RunResult::fromJson(r.toJson()).precision, std::string("fp32"));
  }
};

QTEST_MAIN(TestPrecision)
#include "tst_precision.moc"
