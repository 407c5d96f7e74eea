// TensorBoard logs (--tensorboard DIR): CRC-32C against its published test vectors, event files read back by
// a reader written here from the TFRecord and protobuf specifications (not the writer's code), and the CLI's
// train writing one folder per run with every step's loss and the run's final accuracies.
#include <torch/torch.h>

#include <QDir>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "results/tensorboard_events.h"
#include "../common/tiny_fixtures.h"

namespace {

// --- an independent reader ----------------------------------------------------------------------------------

uint32_t crcBitwise(const std::string& s) {  // CRC-32C bit by bit, no table: a second implementation
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
  }
  return ~c;
}
uint32_t masked(const std::string& s) {
  const uint32_t c = crcBitwise(s);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}
uint64_t le(const std::string& s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | uint8_t(s[at + size_t(i)]);
  return v;
}

// One protobuf field: its number, wire type, and value (varint / fixed as a number, bytes as a string).
struct Field {
  int number = 0, wire = 0;
  uint64_t number_value = 0;
  std::string bytes;
};
std::vector<Field> parse(const std::string& s, bool* ok) {
  std::vector<Field> out;
  size_t i = 0;
  auto varint = [&](uint64_t& v) {
    v = 0;
    for (int shift = 0; i < s.size() && shift < 64; shift += 7) {
      const uint8_t b = uint8_t(s[i++]);
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  };
  while (i < s.size()) {
    uint64_t key = 0;
    if (!varint(key)) return *ok = false, out;
    Field f;
    f.number = int(key >> 3), f.wire = int(key & 7);
    if (f.wire == 0) {
      if (!varint(f.number_value)) return *ok = false, out;
    } else if (f.wire == 1 || f.wire == 5) {
      const int n = f.wire == 1 ? 8 : 4;
      if (i + size_t(n) > s.size()) return *ok = false, out;
      f.number_value = le(s, i, n), i += size_t(n);
    } else if (f.wire == 2) {
      uint64_t n = 0;
      if (!varint(n) || i + n > s.size()) return *ok = false, out;
      f.bytes = s.substr(i, n), i += n;
    } else {
      return *ok = false, out;
    }
    out.push_back(f);
  }
  return out;
}
const Field* first(const std::vector<Field>& fs, int number) {
  for (const Field& f : fs)
    if (f.number == number) return &f;
  return nullptr;
}

struct Event {
  double wallTime = 0;
  int64_t step = 0;
  std::string fileVersion, tag, text, plugin;
  bool scalar = false;
  float value = 0;
};

// Every record of an event file, CRCs checked; QVERIFY-style failures come back as an error text.
std::vector<Event> readEvents(const QString& path, QString* error) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  std::vector<Event> events;
  size_t at = 0;
  while (at < s.size()) {
    if (at + 12 > s.size()) return *error = "truncated header", events;
    const std::string length = s.substr(at, 8);
    if (le(s, at + 8, 4) != masked(length)) return *error = "length CRC", events;
    const uint64_t n = le(length, 0, 8);
    if (at + 12 + n + 4 > s.size()) return *error = "truncated record", events;
    const std::string record = s.substr(at + 12, n);
    if (le(s, at + 12 + n, 4) != masked(record)) return *error = "record CRC", events;
    at += 12 + n + 4;
    bool ok = true;
    const auto fields = parse(record, &ok);
    if (!ok) return *error = "bad protobuf", events;
    Event e;
    if (const Field* f = first(fields, 1)) std::memcpy(&e.wallTime, &f->number_value, 8);
    if (const Field* f = first(fields, 2)) e.step = int64_t(f->number_value);
    if (const Field* f = first(fields, 3)) e.fileVersion = f->bytes;
    if (const Field* summary = first(fields, 5)) {
      const auto sf = parse(summary->bytes, &ok);
      const Field* value = first(sf, 1);
      if (!ok || !value) return *error = "summary without a value", events;
      const auto vf = parse(value->bytes, &ok);
      if (const Field* t = first(vf, 1)) e.tag = t->bytes;
      if (const Field* v = first(vf, 2)) {
        e.scalar = true;
        const uint32_t raw = uint32_t(v->number_value);
        std::memcpy(&e.value, &raw, 4);
      }
      if (const Field* tensor = first(vf, 8)) {
        const auto tf = parse(tensor->bytes, &ok);
        if (const Field* dtype = first(tf, 1); !dtype || dtype->number_value != 7) return *error = "not DT_STRING", events;
        if (const Field* sv = first(tf, 8)) e.text = sv->bytes;
      }
      if (const Field* meta = first(vf, 9)) {
        const auto mf = parse(meta->bytes, &ok);
        if (const Field* pd = first(mf, 1)) {
          const auto pf = parse(pd->bytes, &ok);
          if (const Field* name = first(pf, 1)) e.plugin = name->bytes;
        }
      }
    }
    events.push_back(e);
  }
  return events;
}

QStringList eventFiles(const QString& root) {
  QStringList out;
  QDirIterator it(root, {"events.out.tfevents.*"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) out << it.next();
  out.sort();
  return out;
}

}  // namespace

class TestTensorBoard : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private Q_SLOTS:
  // RFC 3720 (iSCSI) appendix B.4 and the usual check value.
  void crc32cTestVectors() {
    QCOMPARE(pw::results::crc32c("123456789"), 0xE3069283u);
    QCOMPARE(pw::results::crc32c(std::string(32, '\0')), 0x8A9136AAu);
    QCOMPARE(pw::results::crc32c(std::string(32, '\xff')), 0x62A8AB43u);
    std::string ascending, descending;
    for (int i = 0; i < 32; ++i) ascending.push_back(char(i)), descending.push_back(char(31 - i));
    QCOMPARE(pw::results::crc32c(ascending), 0x46DD794Eu);
    QCOMPARE(pw::results::crc32c(descending), 0x113FDB5Cu);
    QCOMPARE(crcBitwise("123456789"), 0xE3069283u);  // the reader's own CRC agrees with the vectors too
    QCOMPARE(pw::results::maskedCrc32c("123456789"), masked("123456789"));
  }

  void eventsReadBack() {
    const QString dir = tmp_.path() + "/direct";
    std::string path;
    {
      pw::results::EventFileWriter w(dir.toStdString());
      path = w.path();
      w.addScalar("train/loss", 1, 2.5);
      w.addScalar("train/loss", 2, 0.125);
      w.addText("config", 0, "rank: 8\nä");
    }
    QVERIFY(QFileInfo(QString::fromStdString(path)).fileName().startsWith("events.out.tfevents."));
    QString error;
    const std::vector<Event> events = readEvents(QString::fromStdString(path), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(int(events.size()), 4);
    QCOMPARE(events[0].fileVersion, std::string("brain.Event:2"));
    QVERIFY(events[0].wallTime > 1.7e9);  // seconds since 1970, a date after 2023
    QVERIFY(events[1].scalar && events[1].tag == "train/loss" && events[1].step == 1 && events[1].value == 2.5f);
    QVERIFY(events[2].scalar && events[2].step == 2 && events[2].value == 0.125f);
    QCOMPARE(events[3].tag, std::string("config"));
    QCOMPARE(events[3].plugin, std::string("text"));
    QCOMPARE(events[3].text, std::string("rank: 8\nä"));
  }

  void unwritableFolderIsNamed() {
    try {
      pw::results::EventFileWriter w("/proc/no-such-place/logs");
      QFAIL("no error");
    } catch (const std::exception& e) {
      QVERIFY2(std::string(e.what()).find("/proc/no-such-place/logs") != std::string::npos, e.what());
    }
  }

  // `train --tensorboard DIR` (the same option serves compare, sweep and tune): one folder per run with every
  // step's loss, the validation points and the final accuracies, equal to what the command printed.
  void cliTrainWritesOneFolderPerRun() {
    const std::string model = tmp_.path().toStdString() + "/model", task = tmp_.path().toStdString() + "/task";
    std::filesystem::create_directories(task);
    pwtest::writeTinyTask(task, true);
    pwtest::writeTinyModel(model, pw::Family::Bert);
    const QString logs = tmp_.path() + "/logs";
    QProcess p;
    p.start(PW_CLI_PATH, {"train", "--method", "lora", "--model", QString::fromStdString(model), "--task",
                          QString::fromStdString(task), "--epochs", "2", "--batch", "8", "--no-db", "--json",
                          "--tensorboard", logs});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject j = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const QStringList files = eventFiles(logs);
    QCOMPARE(files.size(), 1);
    QCOMPARE(QFileInfo(files[0]).dir().dirName(), QString("lora_r=8-seed1"));  // the label "lora r=8", seed 1
    QString error;
    const std::vector<Event> events = readEvents(files[0], &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    std::map<std::string, int> count;
    std::map<std::string, float> lastValue;
    for (const Event& e : events) {
      if (e.scalar) ++count[e.tag], lastValue[e.tag] = e.value;
    }
    QCOMPARE(count["train/loss"], j["steps"].toInt());
    QVERIFY(count["validation/accuracy"] >= 2);
    QCOMPARE(count["test/id_accuracy"], 1);
    QCOMPARE(count["test/ood_accuracy"], 1);
    QVERIFY(std::abs(lastValue["test/id_accuracy"] - 100 * j["id_test"].toObject()["accuracy"].toDouble()) < 1e-3);
    QVERIFY(std::abs(lastValue["test/ood_accuracy"] - 100 * j["ood_test"].toObject()["accuracy"].toDouble()) < 1e-3);
    bool config = false;
    for (const Event& e : events) config |= e.tag == "config" && e.text.find("\"method\": \"lora\"") != std::string::npos;
    QVERIFY(config);
  }
};

QTEST_MAIN(TestTensorBoard)
#include "tst_tensorboard.moc"
