// Linear-probe tests: separable data is learned, the chosen L2 comes from the grid, and the folded head on raw
// features gives the same predictions as the standardised fit; metrics are right on a hand-made case.
// pw-test-libs: pw_train pw_models pw_io pw_tokenizers pw_data pw_util
#include <torch/torch.h>

#include <QtTest>

#include "train/linear_probe.h"

using namespace pw;

class TestProbe : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void learnsSeparableClasses() {
    torch::manual_seed(3);
    const int64_t n = 300, d = 8, C = 3;
    at::Tensor y = torch::arange(n, torch::kLong).remainder(C);
    at::Tensor centers = torch::randn({C, d}) * 3;
    // Features on wildly different scales and offsets: standardisation must handle them.
    at::Tensor scale = torch::logspace(-3, 3, d);
    at::Tensor x = (centers.index_select(0, y) + torch::randn({n, d})) * scale + 100;
    at::Tensor vy = torch::arange(90, torch::kLong).remainder(C);
    at::Tensor vx = (centers.index_select(0, vy) + torch::randn({90, d})) * scale + 100;
    ProbeResult p = trainLinearProbe(x, y, vx, vy, C);
    QVERIFY2(p.validationAccuracy > 0.9, qPrintable(QString::number(p.validationAccuracy)));
    QVERIFY(p.trainAccuracy > 0.9);
    QVERIFY(p.l2 >= 1e-5 && p.l2 <= 1.0);
    // The folded head works on raw features.
    at::Tensor logits = torch::addmm(p.bias, vx, p.weight.t());
    QCOMPARE(accuracy(logits, vy), p.validationAccuracy);
  }

  void metrics() {
    at::Tensor logits = torch::tensor({{2.0, 0.0}, {0.0, 1.0}, {3.0, 0.0}, {0.0, 2.0}});
    at::Tensor labels = torch::tensor({0, 1, 1, 1}, torch::kLong);
    QCOMPARE(accuracy(logits, labels), 0.75);
    // class 0: tp 1, fp 1, fn 0 -> F1 2/3; class 1: tp 2, fp 0, fn 1 -> F1 4/5.
    QVERIFY(std::abs(macroF1(logits, labels, 2) - (2.0 / 3 + 0.8) / 2) < 1e-12);
  }
};

QTEST_MAIN(TestProbe)
#include "tst_probe.moc"
