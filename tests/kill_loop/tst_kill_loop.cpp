// kill -9 at random moments during `compare` (issue #13): after each kill the database passes SQLite's
// integrity check, every run the dead process finished is intact, and the runs it was training read as
// interrupted once a process opens the database again. Twenty kills, at moments drawn from a fixed seed.
#include <QtTest>
#include <sqlite3.h>

#include <fstream>
#include <random>

#include "models/model_folder.h"
#include "results/results_db.h"

namespace {

// A 2-layer model with an 11-token vocabulary, and a two-class task it trains on in well under a second.
void writeFixtures(const std::string& model, const std::string& task) {
  pw::TransformerModel m(pw::makeConfig(pw::Family::Bert, 11, 2, 16, 4, 64));
  pw::saveModel(*m, model);
  std::ofstream v(model + "/vocab.txt");
  for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "heart", "pump", "##s", "blood", "."})
    v << t << "\n";
  QDir().mkpath(QString::fromStdString(task));
  for (const char* split : {"train", "validation", "test", "ood_test"}) {
    std::ofstream f(task + "/" + split + ".csv");
    f << "text,label\n";
    const int n = std::string(split) == "train" ? 40 : 8;
    for (int i = 0; i < n; ++i) f << (i % 2 ? "the heart pumps blood .,a\n" : "blood . the,b\n");
  }
}

std::string integrity(const QString& path) {
  sqlite3* db = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return result;
}

}  // namespace

class TestKillLoop : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private Q_SLOTS:
  void killedComparesLoseNoFinishedRun() {
    const QString model = dir_.path() + "/model", task = dir_.path() + "/task", db = dir_.path() + "/results.sqlite";
    writeFixtures(model.toStdString(), task.toStdString());
    std::mt19937 rng(13);
    int finished = 0, interrupted = 0, kills = 0;
    std::map<int64_t, double> finishedBefore;  // run id -> ID accuracy, as first seen
    qint64 wholeMs = 0;                        // how long one compare takes here, from round 0
    // Rounds until 20 kills landed (a compare that finishes before its kill time is no kill: on a busy machine
    // the first, timed round can be slower than the later ones), at most 40.
    int round = 0;
    for (; round <= 40 && kills < 20; ++round) {
      QProcess p;
      QElapsedTimer timer;
      timer.start();
      p.start(PW_CLI_PATH, {"compare", "--model", model, "--task", task, "--methods", "lp,bitfit,lora", "--seeds", "2",
                            "--epochs", "20", "--db", db, "--out", dir_.path() + QString("/out%1").arg(round)});
      QVERIFY(p.waitForStarted());
      if (round == 0) {  // runs to the end: the kills below fall anywhere in a compare of this length
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        wholeMs = timer.elapsed();
      } else {
        const int delay = std::uniform_int_distribution<int>(int(wholeMs / 20), int(wholeMs * 4 / 5))(rng);
        if (!p.waitForFinished(delay)) {
          p.kill();  // SIGKILL: no handler, no flush, no destructor runs
          p.waitForFinished();
          ++kills;
        }
      }
      QCOMPARE(integrity(db), std::string("ok"));
      pw::results::ResultsDb results(db.toStdString());  // opening marks the dead process's rows interrupted
      for (const pw::results::RunRecord& r : results.listRuns()) {
        QVERIFY2(r.status != pw::RunStatus::Running, qPrintable(QString("run %1 still running").arg(r.id)));
        if (r.status != pw::RunStatus::Finished) continue;
        QVERIFY(r.idAccuracy >= 0 && r.idAccuracy <= 1);
        QVERIFY(!results.curve(r.id, "train_loss").empty());
        // A run finished once stays exactly as it was, whatever later kills hit.
        if (finishedBefore.count(r.id)) QCOMPARE(r.idAccuracy, finishedBefore[r.id]);
        finishedBefore[r.id] = r.idAccuracy;
      }
    }
    pw::results::ResultsDb results(db.toStdString());
    for (const pw::results::RunRecord& r : results.listRuns()) {
      finished += r.status == pw::RunStatus::Finished;
      interrupted += r.status == pw::RunStatus::Interrupted;
    }
    qInfo("a whole compare: %lld ms; %d kills in %d rounds: %d runs finished, %d interrupted", wholeMs, kills,
          round - 1, finished, interrupted);
    QCOMPARE(kills, 20);
    QVERIFY(finished > 0);
    QVERIFY(interrupted > 0);
  }
};

QTEST_MAIN(TestKillLoop)
#include "tst_kill_loop.moc"
