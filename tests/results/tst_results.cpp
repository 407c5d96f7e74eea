// Results database tests: every field round-trips, curves come back in step order and by series, points are
// buffered and flushed by count, time, flush() and the destructor, a second connection sees what the first
// wrote, a crashed writer's run reads as "interrupted" with the points it flushed, deletion cascades, and
// unreadable files (newer schema, not SQLite) are refused with an error naming them. Then the `runs` CLI
// command against a database filled here.
// pw-test-libs: pw_results pw_util
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>

#include "results/csv_export.h"
#include "results/results_db.h"
#include "results/schema.h"
#include "results/seed_group.h"
#include "util/error.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using pw::results::CurvePoint;
using pw::results::ResultsDb;
using pw::results::RunRecord;
using pw::RunStatus;
using pw::results::distinguishingFields;
using pw::results::seedGroupFields;
using pw::results::seedGroupKey;

namespace {

RunRecord sampleRun(const std::string& method = "lora") {
  RunRecord r;
  r.batch = "batch-ä-1";
  r.model = "tiny-bert";
  r.task = "dictionary-fields";
  r.method = method;
  r.randomInit = true;
  r.knobs = {{"rank", 8}, {"alpha", 16}, {"targets", "query,value"}};
  r.config = {{"epochs", 3}, {"lr", 5e-4}, {"nested", {{"list", {1, 2, 3}}}}};
  r.seed = 0xFFFFFFFFFFFFFFF0ull;  // above INT64_MAX: must survive sqlite's signed integers
  r.adapterDir = "/tmp/adapter dir";
  return r;
}

void finishSample(RunRecord& r) {
  r.status = RunStatus::Finished;
  r.error = "";
  r.finishedAt = "2026-11-23T10:05:00Z";
  r.wallSeconds = 123.25;
  r.params = {{"trainable", 1234567}, {"total", 4567890}, {"percent", 27.027},
              {"groups", {{"head", 130}, {"lora", 1234437}}}};
  r.trainable = 1234567;
  r.total = 4567890;
  r.idAccuracy = 0.875;
  r.oodAccuracy = 0.5;
  r.idMacroF1 = 0.86;
  r.oodMacroF1 = 0.45;
  r.validationAccuracy = 0.9;
  r.result = {{"classes", {"cat", "dog"}},
              {"id_test", {{"accuracy", 0.875}, {"confusion", {{5, 1}, {0, 2}}}}},
              {"ood_test", {{"accuracy", 0.5}, {"confusion", {{1, 1}, {1, 1}}}}}};
}

std::vector<CurvePoint> points(const std::string& series, int64_t from, int64_t to, double scale = 1.0) {
  std::vector<CurvePoint> p;
  for (int64_t s = from; s < to; ++s) p.push_back({series, s, double(s) / 100.0, s < 50 ? 1 : 2, scale * double(s)});
  return p;
}

// A raw connection, to look at the file behind the store's back.
struct Raw {
  sqlite3* db = nullptr;
  explicit Raw(const QString& path) { sqlite3_open(path.toUtf8().constData(), &db); }
  ~Raw() { sqlite3_close(db); }
  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
  QString text(const char* sql) {
    sqlite3_stmt* s = nullptr;
    QString out;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      out = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    return out;
  }
};

// A child process that begins a run, writes 50 points, buffers 10 more and dies without finishing
// (_exit: no destructors, like a crash or a kill). `whileAlive` runs here while the child, having flushed,
// waits to die. No connection is open across fork() (sqlite forbids using one in the child).
// Returns whether everything got that far.
bool crashingWriter(const QString& path, const std::function<void()>& whileAlive = {}) {
  int ready[2], go[2];
  if (pipe(ready) != 0 || pipe(go) != 0) return false;
  pid_t child = fork();
  if (child == 0) {
    close(ready[0]);
    close(go[1]);
    try {
      ResultsDb db(path.toStdString());
      RunRecord r = sampleRun();
      db.beginRun(r);
      db.appendCurve(r.id, points("train_loss", 0, 50));
      db.flush();
      db.appendCurve(r.id, points("train_loss", 50, 60));  // buffered only: lost
      char c = 1;
      if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1) _exit(3);
      _exit(0);
    } catch (...) {
      _exit(2);
    }
  }
  close(ready[1]);
  close(go[0]);
  bool ok = child > 0;
  char c = 0;
  ok = ok && read(ready[0], &c, 1) == 1;
  if (ok && whileAlive) whileAlive();
  ok = write(go[1], &c, 1) == 1 && ok;
  close(ready[0]);
  close(go[1]);
  int status = 0;
  // Reaped before anyone looks: a zombie would still answer kill(pid, 0).
  return child > 0 && waitpid(child, &status, 0) == child && ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

struct CliResult {
  int code;
  QString out, err;
};

CliResult runCli(const QStringList& args) {
  QProcess p;
  p.start(PW_CLI_PATH, args);
  if (!p.waitForFinished(60000)) return {-1, "", "timeout"};
  return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class TestResults : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  int files_ = 0;

  // A fresh database path per test.
  QString newPath() { return dir_.path() + QString("/db%1/results.sqlite").arg(++files_); }

 private Q_SLOTS:
  // One key groups seeds everywhere: runs differing only in seed (and the adapter folder naming it) share it;
  // a different rate makes another group, and the words name what tells the groups apart.
  void seedGroupsDifferInEverythingButTheSeed() {
    RunRecord a;
    a.batch = "b1", a.model = "tiny-bert", a.task = "t", a.method = "lora";
    a.knobs = {{"rank", 8}};
    a.config = {{"lr", 1e-3}, {"epochs", 3}, {"seed", 1}, {"adapter_dir", "out/seed1"}, {"knobs", a.knobs}};
    RunRecord b = a;
    b.seed = 2;
    b.config["seed"] = 2, b.config["adapter_dir"] = "out/seed2";
    QCOMPARE(seedGroupKey(a), seedGroupKey(b));
    RunRecord c = a;
    c.config["lr"] = 3e-3;
    QVERIFY(seedGroupKey(a) != seedGroupKey(c));
    RunRecord d = a;
    d.knobs["rank"] = 16;
    QVERIFY(seedGroupKey(a) != seedGroupKey(d));
    const auto words = distinguishingFields({seedGroupFields(a), seedGroupFields(c), seedGroupFields(d)});
    QCOMPARE(words.size(), size_t(3));
    QCOMPARE(words[0], std::string("rank=8, lr=0.001"));
    QCOMPARE(words[1], std::string("rank=8, lr=0.003"));
    QCOMPARE(words[2], std::string("rank=16, lr=0.001"));
    QCOMPARE(distinguishingFields({seedGroupFields(a), seedGroupFields(b)})[0], std::string(""));
  }

  // A lesson's database on read-only media opens to read: everything reads, each write says why not, and the
  // file is left byte for byte as it was.
  void readOnlyDatabaseReadsAndRefusesWrites() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/lesson.sqlite";
    {
      ResultsDb db(path);
      RunRecord r = sampleRun();
      db.beginRun(r);
      r.status = RunStatus::Finished;
      db.finishRun(r);
    }
    auto bytes = [&] {
      std::ifstream in(path, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string before = bytes();
    ResultsDb db(path, ResultsDb::OpenMode::ReadOnly);
    QVERIFY(db.readOnly());
    QCOMPARE(db.listRuns().size(), size_t(1));
    QVERIFY(db.listRuns()[0].status == RunStatus::Finished);
    QCOMPARE(db.markInterruptedRuns(), 0);
    RunRecord another = sampleRun();
    std::string message;
    try {
      db.beginRun(another);
    } catch (const pw::Error& e) {
      message = e.what();
    }
    QVERIFY2(message.find("read-only") != std::string::npos && message.find("lesson.sqlite") != std::string::npos,
             message.c_str());
    QVERIFY_THROWS_EXCEPTION(pw::Error, db.deleteAll());
    QCOMPARE(bytes(), before);
    // A file that is not there is not created by a read-only open.
    QVERIFY_THROWS_EXCEPTION(pw::Error, ResultsDb(dir.path().toStdString() + "/none.sqlite", ResultsDb::OpenMode::ReadOnly));
    QVERIFY(!QFile::exists(dir.path() + "/none.sqlite"));
  }

  void roundTripOfEveryField() {
    const QString path = newPath();  // its folder does not exist yet: the store creates it
    ResultsDb db(path.toStdString());
    RunRecord r = sampleRun();
    const int64_t id = db.beginRun(r);
    QVERIFY(id > 0);
    QCOMPARE(r.id, id);
    QVERIFY(r.status == RunStatus::Running);
    QVERIFY(QRegularExpression("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")
                .match(QString::fromStdString(r.startedAt)).hasMatch());

    std::optional<RunRecord> running = db.getRun(id);
    QVERIFY(running);
    QCOMPARE(std::string(pw::statusName(running->status)), std::string("running"));
    QCOMPARE(running->idAccuracy, -1.0);
    QCOMPARE(running->oodAccuracy, -1.0);
    QCOMPARE(running->finishedAt, std::string());

    finishSample(r);
    db.finishRun(r);
    std::optional<RunRecord> g = db.getRun(id);
    QVERIFY(g);
    QCOMPARE(g->id, id);
    QCOMPARE(g->batch, r.batch);
    QCOMPARE(g->model, r.model);
    QCOMPARE(g->task, r.task);
    QCOMPARE(g->method, r.method);
    QCOMPARE(g->randomInit, true);
    QCOMPARE(g->knobs, r.knobs);
    QCOMPARE(g->config, r.config);
    QCOMPARE(g->seed, r.seed);
    QCOMPARE(std::string(pw::statusName(g->status)), std::string("finished"));
    QCOMPARE(g->error, std::string());
    QCOMPARE(g->startedAt, r.startedAt);
    QCOMPARE(g->finishedAt, r.finishedAt);
    QCOMPARE(g->wallSeconds, 123.25);
    QCOMPARE(g->params, r.params);
    QCOMPARE(g->trainable, int64_t(1234567));
    QCOMPARE(g->total, int64_t(4567890));
    QCOMPARE(g->idAccuracy, 0.875);
    QCOMPARE(g->oodAccuracy, 0.5);
    QCOMPARE(g->idMacroF1, 0.86);
    QCOMPARE(g->oodMacroF1, 0.45);
    QCOMPARE(g->validationAccuracy, 0.9);
    QCOMPARE(g->result, r.result);
    QCOMPARE(g->adapterDir, r.adapterDir);
    QVERIFY(!db.getRun(id + 1000));

    // A failed run keeps its reason; finishedAt defaults to now; trainable/total come from params when 0.
    RunRecord f = sampleRun("prompt");
    db.beginRun(f);
    f.status = RunStatus::Failed;
    f.error = "loss became NaN at step 12";
    f.params = {{"trainable", 42}, {"total", 1000}};
    db.finishRun(f);
    std::optional<RunRecord> gf = db.getRun(f.id);
    QCOMPARE(std::string(pw::statusName(gf->status)), std::string("failed"));
    QCOMPARE(gf->error, f.error);
    QVERIFY(!gf->finishedAt.empty());
    QCOMPARE(gf->trainable, int64_t(42));
    QCOMPARE(gf->total, int64_t(1000));
    QCOMPARE(pw::results::trainablePercent(*gf), 4.2);

    std::vector<RunRecord> all = db.listRuns();
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[0].id, id);  // oldest first
    QCOMPARE(all[1].id, f.id);

    // Finishing a run that is not there is an error naming the file.
    RunRecord ghost = f;
    ghost.id = 999;
    try {
      db.finishRun(ghost);
      QFAIL("finishing a missing run must throw");
    } catch (const pw::Error& e) {
      QVERIFY(QString(e.what()).contains(path));
      QVERIFY(QString(e.what()).contains("999"));
    }
  }

  void curvesInStepOrderAndBySeries() {
    ResultsDb db(newPath().toStdString());
    RunRecord r = sampleRun();
    db.beginRun(r);
    // Interleaved series, steps out of order within a call.
    db.appendCurve(r.id, points("train_loss", 60, 100));
    db.appendCurve(r.id, points("val_acc", 0, 100, 0.01));
    db.appendCurve(r.id, points("train_loss", 0, 60));
    db.flush();

    std::vector<CurvePoint> loss = db.curve(r.id, "train_loss");
    QCOMPARE(loss.size(), size_t(100));
    for (size_t i = 0; i < loss.size(); ++i) {
      QCOMPARE(loss[i].series, std::string("train_loss"));
      QCOMPARE(loss[i].step, int64_t(i));
      QCOMPARE(loss[i].value, double(i));
      QCOMPARE(loss[i].epoch, double(i) / 100.0);
      QCOMPARE(loss[i].stage, i < 50 ? 1 : 2);
    }
    std::vector<CurvePoint> acc = db.curve(r.id, "val_acc");
    QCOMPARE(acc.size(), size_t(100));
    QCOMPARE(acc[10].value, 0.1);

    std::vector<CurvePoint> both = db.curve(r.id);
    QCOMPARE(both.size(), size_t(200));
    for (size_t i = 1; i < both.size(); ++i) QVERIFY(both[i - 1].step <= both[i].step);

    auto counts = db.curveCounts(r.id);
    QCOMPARE(counts.size(), size_t(2));
    QCOMPARE(counts["train_loss"], int64_t(100));
    QCOMPARE(counts["val_acc"], int64_t(100));
    QVERIFY(db.curve(r.id, "lr").empty());
    QVERIFY(db.curve(r.id + 1).empty());
  }

  void bufferingAndFlush() {
    const std::string path = newPath().toStdString();
    ResultsDb writer(path);
    ResultsDb reader(path);
    RunRecord r = sampleRun();
    writer.beginRun(r);
    auto seen = [&] { return reader.curve(r.id).size(); };

    writer.appendCurve(r.id, points("train_loss", 0, 10));
    QCOMPARE(seen(), size_t(0));  // buffered
    writer.flush();
    QCOMPARE(seen(), size_t(10));

    writer.appendCurve(r.id, points("train_loss", 10, 199));  // 189 pending
    QCOMPARE(seen(), size_t(10));
    writer.appendCurve(r.id, points("train_loss", 199, 210));  // 200 pending: written
    QCOMPARE(seen(), size_t(210));

    writer.appendCurve(r.id, points("lr", 0, 1));
    QCOMPARE(seen(), size_t(210));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    writer.appendCurve(r.id, points("lr", 1, 2));  // a second since the last write: written
    QCOMPARE(seen(), size_t(212));

    writer.appendCurve(r.id, points("lr", 2, 5));
    QCOMPARE(seen(), size_t(212));
    finishSample(r);
    writer.finishRun(r);  // flushes first
    QCOMPARE(seen(), size_t(215));

    {
      ResultsDb shortLived(path);
      shortLived.appendCurve(r.id, points("val_loss", 0, 7));
      QCOMPARE(seen(), size_t(215));
    }  // the destructor flushes
    QCOMPARE(seen(), size_t(222));
  }

  void secondConnectionSeesRuns() {
    const std::string path = newPath().toStdString();
    ResultsDb a(path);
    RunRecord done = sampleRun(), live = sampleRun("ia3");
    a.beginRun(done);
    a.appendCurve(done.id, points("train_loss", 0, 5));
    finishSample(done);
    a.finishRun(done);
    a.beginRun(live);

    ResultsDb b(path);
    std::vector<RunRecord> runs = b.listRuns();
    QCOMPARE(runs.size(), size_t(2));
    QCOMPARE(std::string(pw::statusName(runs[0].status)), std::string("finished"));
    QCOMPARE(runs[0].idAccuracy, 0.875);
    QCOMPARE(b.curve(done.id).size(), size_t(5));
    // This process is alive, so its unfinished run stays "running" for a second reader.
    QCOMPARE(std::string(pw::statusName(runs[1].status)), std::string("running"));
    QCOMPARE(runs[1].method, std::string("ia3"));
  }

  void waitsForAnotherWriter() {
    const QString path = newPath();
    ResultsDb db(path.toStdString());
    Raw other(path);
    QVERIFY(other.exec("BEGIN IMMEDIATE"));  // holds the write lock for a while, like a second program
    std::thread release([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      other.exec("COMMIT");
    });
    auto start = std::chrono::steady_clock::now();
    RunRecord r = sampleRun();
    QString error;
    try {
      db.beginRun(r);  // waits (busy timeout) instead of failing
    } catch (const pw::Error& e) {
      error = e.what();
    }
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    release.join();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(waited >= 0.2, qPrintable(QString("waited %1 s").arg(waited)));
    QVERIFY(db.getRun(r.id));
  }

  void threadsShareOneConnection() {
    ResultsDb db(newPath().toStdString());
    RunRecord r = sampleRun();
    db.beginRun(r);
    std::thread trainer([&] {
      for (int64_t s = 0; s < 1000; ++s) db.appendCurve(r.id, {{"train_loss", s, 0, 1, double(s)}});
    });
    size_t reads = 0;
    for (int i = 0; i < 50; ++i) reads += db.curve(r.id).size() + db.listRuns().size();
    trainer.join();
    db.flush();
    QCOMPARE(db.curve(r.id, "train_loss").size(), size_t(1000));
    QVERIFY(reads >= 50);
  }

  void crashedWriterLeavesInterruptedRun() {
    const QString path = newPath();
    { ResultsDb create(path.toStdString()); }  // the schema exists before the child writes
    QVERIFY(crashingWriter(path));

    {
      ResultsDb db(path.toStdString());  // opening marks the dead writer's run
      std::vector<RunRecord> runs = db.listRuns();
      QCOMPARE(runs.size(), size_t(1));
      QCOMPARE(std::string(pw::statusName(runs[0].status)), std::string("interrupted"));
      QCOMPARE(runs[0].error, std::string("the process writing it ended"));
      QCOMPARE(runs[0].method, std::string("lora"));
      std::vector<CurvePoint> c = db.curve(runs[0].id, "train_loss");
      QCOMPARE(c.size(), size_t(50));  // what it flushed, not the 10 it only buffered
      QCOMPARE(c.back().step, int64_t(49));
      QCOMPARE(db.markInterruptedRuns(), 0);
    }  // closed before the next fork

    // A connection opened while the writer lived sees its run "running", and "interrupted" after a refresh.
    std::unique_ptr<ResultsDb> watcher;
    RunStatus statusWhileAlive = RunStatus::Failed;
    QVERIFY(crashingWriter(path, [&] {
      watcher = std::make_unique<ResultsDb>(path.toStdString());
      statusWhileAlive = watcher->listRuns().back().status;
    }));
    QVERIFY(statusWhileAlive == RunStatus::Running);
    QVERIFY(watcher->listRuns().back().status == RunStatus::Running);
    QCOMPARE(watcher->markInterruptedRuns(), 1);
    QVERIFY(watcher->listRuns().back().status == RunStatus::Interrupted);
    QCOMPARE(watcher->listRuns().size(), size_t(2));
    QCOMPARE(watcher->curve(watcher->listRuns().back().id).size(), size_t(50));
  }

  void deleteRunCascades() {
    const QString path = newPath();
    ResultsDb db(path.toStdString());
    RunRecord a = sampleRun(), b = sampleRun("bitfit");
    db.beginRun(a);
    db.beginRun(b);
    db.appendCurve(a.id, points("train_loss", 0, 30));
    db.appendCurve(b.id, points("train_loss", 0, 20));
    db.flush();
    db.appendCurve(a.id, points("lr", 0, 5));  // pending points of the run being deleted go too

    db.deleteRun(a.id);
    QVERIFY(!db.getRun(a.id));
    QVERIFY(db.getRun(b.id));
    db.flush();
    QCOMPARE(db.curve(b.id).size(), size_t(20));
    Raw raw(path);
    QCOMPARE(raw.text("SELECT COUNT(*) FROM curves"), QString("20"));  // a's rows are gone, not orphaned

    // Points for a run deleted by someone else are dropped silently, not an error at flush.
    db.appendCurve(a.id, points("lr", 5, 8));
    db.flush();
    QCOMPARE(raw.text("SELECT COUNT(*) FROM curves"), QString("20"));

    RunRecord c = sampleRun();
    db.beginRun(c);
    QVERIFY(c.id > b.id);  // ids are never reused
    db.appendCurve(c.id, points("train_loss", 0, 3));
    db.deleteAll();
    QVERIFY(db.listRuns().empty());
    QCOMPARE(raw.text("SELECT COUNT(*) FROM curves"), QString("0"));
  }

  void newerSchemaRefused() {
    const QString path = newPath();
    { ResultsDb create(path.toStdString()); }
    {
      Raw raw(path);
      const std::string sql = "PRAGMA user_version = " + std::to_string(ResultsDb::schemaVersion() + 1);
      QVERIFY(raw.exec(sql.c_str()));
    }
    try {
      ResultsDb db(path.toStdString());
      QFAIL("a newer schema must be refused");
    } catch (const pw::Error& e) {
      const QString what = e.what();
      QVERIFY2(what.contains(path), qPrintable(what));
      QVERIFY2(what.contains("newer"), qPrintable(what));
    }
    Raw raw(path);
    QCOMPARE(raw.text("PRAGMA user_version").toInt(), ResultsDb::schemaVersion() + 1);  // left untouched
  }

  void garbageFileRefused() {
    const QString path = newPath();
    QDir().mkpath(QFileInfo(path).path());
    std::string garbage;
    for (int i = 0; i < 200; ++i) garbage += "this is a text file, not a database\n";
    { std::ofstream(path.toStdString()) << garbage; }
    try {
      ResultsDb db(path.toStdString());
      QFAIL("a file that is not SQLite must be refused");
    } catch (const pw::Error& e) {
      const QString what = e.what();
      QVERIFY2(what.contains(path), qPrintable(what));
      QVERIFY2(what.contains("not a SQLite database"), qPrintable(what));
    }
    std::ifstream in(path.toStdString());
    std::stringstream back;
    back << in.rdbuf();
    QCOMPARE(back.str(), garbage);  // not modified
  }

  // Another program's SQLite file (with a "runs" table of its own, or any tables) is refused in words, and
  // left as it was: no raw SQL in the message, none of our tables written into it.
  void anotherProgramsDatabaseRefused() {
    for (const char* schema : {"CREATE TABLE runs (x INTEGER); CREATE TABLE foo (y)", "CREATE TABLE foo (y)"}) {
      const QString path = newPath();
      QDir().mkpath(QFileInfo(path).path());
      {
        Raw raw(path);
        QVERIFY(raw.exec(schema));
      }
      try {
        ResultsDb db(path.toStdString());
        QFAIL("another program's database must be refused");
      } catch (const pw::Error& e) {
        const QString what = e.what();
        QVERIFY2(what.contains(path) && what.contains("not a PEFT Workbench results database") &&
                     what.contains("foo") && !what.contains("CREATE") && !what.contains("\n"),
                 qPrintable(what));
      }
      Raw raw(path);
      QCOMPARE(raw.text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'curves'"), QString("0"));
      QCOMPARE(raw.text("PRAGMA user_version"), QString("0"));
    }
  }

  void migratesAnEmptyFile() {
    const QString path = newPath();
    QDir().mkpath(QFileInfo(path).path());
    { std::ofstream(path.toStdString()); }  // zero bytes: an empty SQLite database at version 0
    QCOMPARE(QFileInfo(path).size(), 0);
    QVERIFY(ResultsDb::schemaVersion() >= 1);
    {
      ResultsDb db(path.toStdString());
      RunRecord r = sampleRun();
      db.beginRun(r);
      db.appendCurve(r.id, points("train_loss", 0, 3));
    }
    Raw raw(path);
    QCOMPARE(raw.text("PRAGMA user_version").toInt(), ResultsDb::schemaVersion());
    QCOMPARE(raw.text("PRAGMA journal_mode"), QString("wal"));
    QCOMPARE(raw.text("SELECT COUNT(*) FROM runs"), QString("1"));
    QCOMPARE(raw.text("SELECT COUNT(*) FROM curves"), QString("3"));
    QVERIFY(!raw.text("SELECT name FROM sqlite_master WHERE name = 'curves_by_run_series_step'").isEmpty());
    // Opening again at the current version changes nothing.
    { ResultsDb again(path.toStdString()); }
    QCOMPARE(raw.text("SELECT COUNT(*) FROM runs"), QString("1"));
  }

  // Schema v1 -> v2: curve points gain their wall-clock time. A file written by v1 (its points have no time)
  // opens, keeps every point, reads them with time 0 and exports that as an empty cell; new points get the time.
  void migratesV1CurvesToWallTime() {
    const QString path = newPath();
    QDir().mkpath(QFileInfo(path).path());
    {
      Raw raw(path);
      QVERIFY(raw.exec("BEGIN"));
      QVERIFY(raw.exec(pw::results::migrations()[0].sql));
      QVERIFY(raw.exec("INSERT INTO runs (id, method, status) VALUES (1, 'lora', 'finished')"));
      QVERIFY(raw.exec("INSERT INTO curves (run_id, series, step, epoch, stage, value) VALUES (1, 'train_loss', 1, 0.1, 1, 2.5)"));
      QVERIFY(raw.exec("PRAGMA user_version = 1"));
      QVERIFY(raw.exec("COMMIT"));
    }
    const double before = double(QDateTime::currentSecsSinceEpoch()) - 1;
    {
      ResultsDb db(path.toStdString());
      db.appendCurve(1, {{"train_loss", 2, 0.2, 1, 2.0}});
      db.flush();
      const auto points = db.curve(1, "train_loss");
      QCOMPARE(int(points.size()), 2);
      QCOMPARE(points[0].value, 2.5);
      QCOMPARE(points[0].wallTime, 0.0);
      QVERIFY(points[1].wallTime >= before && points[1].wallTime < before + 120);
      std::ostringstream csv;
      pw::results::writeCurvesCsv(db, {1}, csv);
      const QStringList lines = QString::fromStdString(csv.str()).split('\n', Qt::SkipEmptyParts);
      QCOMPARE(lines.size(), 3);
      QVERIFY2(lines[1].endsWith(",2.5,"), qPrintable(lines[1]));  // no time known: an empty cell
      QVERIFY2(lines[2].section(',', 6).toDouble() >= before, qPrintable(lines[2]));
    }
    Raw raw(path);
    QCOMPARE(raw.text("PRAGMA user_version").toInt(), 2);
  }

  void defaultPathFollowsEnvironment() {
    const QByteArray oldDb = qgetenv("PW_RESULTS_DB"), oldXdg = qgetenv("XDG_DATA_HOME");
    const QString explicitPath = dir_.path() + "/env/deep/mine.sqlite";
    qputenv("PW_RESULTS_DB", explicitPath.toUtf8());
    QCOMPARE(QString::fromStdString(ResultsDb::defaultPath()), explicitPath);
    QVERIFY(QFileInfo(dir_.path() + "/env/deep").isDir());  // parent folders created
    qunsetenv("PW_RESULTS_DB");
    qputenv("XDG_DATA_HOME", (dir_.path() + "/xdg").toUtf8());
    QCOMPARE(QString::fromStdString(ResultsDb::defaultPath()),
             dir_.path() + "/xdg/peft-workbench/results.sqlite");
    QVERIFY(QFileInfo(dir_.path() + "/xdg/peft-workbench").isDir());
    qunsetenv("XDG_DATA_HOME");
    QVERIFY(QString::fromStdString(ResultsDb::defaultPath())
                .endsWith("/.local/share/peft-workbench/results.sqlite"));
    if (!oldDb.isNull()) qputenv("PW_RESULTS_DB", oldDb);
    if (!oldXdg.isNull()) qputenv("XDG_DATA_HOME", oldXdg);
  }

  void csvQuotesFields() {
    RunRecord r = sampleRun();
    r.id = 7;
    r.error = "said \"no\", twice";
    r.wallSeconds = 61.3;
    r.idAccuracy = 0.61;
    std::ostringstream out;
    pw::results::writeRunsCsv({r}, out);
    const QStringList lines = QString::fromStdString(out.str()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].startsWith("id,batch,model,task,method"));
    QVERIFY(lines[1].startsWith("7,batch-ä-1,tiny-bert,dictionary-fields,lora,1,"));
    QVERIFY(lines[1].contains("\"said \"\"no\"\", twice\""));
    QVERIFY(lines[1].contains(",running,"));
    QVERIFY2(lines[1].contains(",61.3,") && lines[1].contains(",0.61,"), qPrintable(lines[1]));  // short numbers
    QVERIFY(lines[1].contains(",0.61,,"));  // absent OOD accuracy: an empty cell, not -1
  }

  // --- the `runs` command ------------------------------------------------------------------------------------

  void cliRuns() {
    QVERIFY2(QFileInfo(PW_CLI_PATH).isExecutable(), "build the peft-workbench-cli target first");
    const QString path = newPath();
    int64_t first = 0, second = 0;
    {
      ResultsDb db(path.toStdString());
      RunRecord a = sampleRun();
      db.beginRun(a);
      db.appendCurve(a.id, points("train_loss", 0, 40));
      db.appendCurve(a.id, points("val_acc", 0, 4));
      finishSample(a);
      db.finishRun(a);
      RunRecord b = sampleRun("bitfit");
      b.knobs = nlohmann::json::object();
      db.beginRun(b);
      b.status = RunStatus::Failed;
      b.error = "loss became NaN";
      db.finishRun(b);
      first = a.id;
      second = b.id;
    }
    const QString id1 = QString::number(first), id2 = QString::number(second);

    CliResult list = runCli({"runs", "--db", path});
    QVERIFY2(list.code == 0, qPrintable(list.err));
    QVERIFY2(list.out.contains("1,234,567"), qPrintable(list.out));  // grouped digits
    QVERIFY(list.out.contains("87.5"));                                  // ID accuracy in percent
    QVERIFY(list.out.contains("finished"));
    QVERIFY(list.out.contains("failed"));
    QVERIFY(list.out.contains("bitfit"));
    QVERIFY(list.out.contains("batch-ä-1"));

    CliResult json = runCli({"runs", "--db", path, "--json"});
    QCOMPARE(json.code, 0);
    QCOMPARE(json.out.count('\n'), 1);
    QJsonArray runs = QJsonDocument::fromJson(json.out.toUtf8()).object()["runs"].toArray();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].toObject()["id"].toInt(), int(first));
    QCOMPARE(runs[0].toObject()["trainable"].toInt(), 1234567);
    QCOMPARE(runs[1].toObject()["status"].toString(), QString("failed"));

    CliResult show = runCli({"runs", "--db", path, "--show", id1});
    QVERIFY2(show.code == 0, qPrintable(show.err));
    QVERIFY2(show.out.contains("train_loss") && show.out.contains("40"), qPrintable(show.out));
    QVERIFY(show.out.contains("val_acc"));
    QVERIFY(show.out.contains("confusion"));
    QVERIFY(show.out.contains("cat") && show.out.contains("dog"));
    QVERIFY(show.out.contains("lora"));          // params by group
    QVERIFY(show.out.contains("1,234,437"));
    QVERIFY(show.out.contains("\"epochs\": 3"));  // the config
    CliResult showJson = runCli({"runs", "--db", path, "--show", id1, "--json"});
    QCOMPARE(showJson.code, 0);
    QJsonObject sj = QJsonDocument::fromJson(showJson.out.toUtf8()).object();
    QCOMPARE(sj["run"].toObject()["method"].toString(), QString("lora"));
    QCOMPARE(sj["curve_points"].toObject()["train_loss"].toInt(), 40);

    const QString csv = dir_.path() + "/runs.csv";
    const QString curvesCsv = dir_.path() + "/curves.csv";
    CliResult exp = runCli({"runs", "--db", path, "--export-csv", csv, "--export-curves-csv", curvesCsv});
    QVERIFY2(exp.code == 0, qPrintable(exp.err));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[2].contains("loss became NaN"));
    QFile fc(curvesCsv);
    QVERIFY(fc.open(QIODevice::ReadOnly));
    const QStringList curveLines = QString::fromUtf8(fc.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(curveLines.size(), 1 + 44);
    QCOMPARE(curveLines[0], QString("run_id,series,step,epoch,stage,value,wall_time"));
    QVERIFY2(curveLines[1].section(',', 6).toDouble() > 1.7e9, qPrintable(curveLines[1]));  // seconds since 1970

    CliResult missing = runCli({"runs", "--db", path, "--show", "999"});
    QCOMPARE(missing.code, 1);
    QVERIFY(missing.err.contains("999"));
    CliResult badDelete = runCli({"runs", "--db", path, "--delete", id1 + ",999"});
    QCOMPARE(badDelete.code, 1);  // nothing deleted when one id is wrong
    QCOMPARE(ResultsDb(path.toStdString()).listRuns().size(), size_t(2));
    CliResult del = runCli({"runs", "--db", path, "--delete", id1 + "," + id2});
    QVERIFY2(del.code == 0, qPrintable(del.err));
    QVERIFY(ResultsDb(path.toStdString()).listRuns().empty());

    CliResult noFile = runCli({"runs", "--db", dir_.path() + "/nowhere/none.sqlite"});
    QCOMPARE(noFile.code, 1);
    QVERIFY(noFile.err.contains("none.sqlite"));
  }
};

QTEST_GUILESS_MAIN(TestResults)
#include "tst_results.moc"
