// Tests for core/data: the built-in "dictionary-fields" task, user dataset import (CSV / TSV / JSONL and
// every bad-input case), GCIDE / WordNet text cleaning, and the pretraining corpus's held-out filter.
// pw-test-libs: pw_data pw_util pw_tokenizers
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <set>

#include "data/corpus.h"
#include "data/dataset_import.h"
#include "data/dictionary_fields.h"
#include "data/gcide.h"
#include "data/task.h"
#include "data/task_csv_write.h"
#include "data/text.h"
#include "data/wordnet.h"
#include "util/error.h"
#include "util/utf8.h"

using namespace pw::data;
using pw::findInvalidUtf8;

namespace {

const std::string kData = std::string(PW_TEST_DATA) + "/tasks";

// The message of the pw::Error that `f` throws ("" if it throws none).
template <class F>
std::string errorOf(F f) {
  try {
    f();
  } catch (const pw::Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<const std::vector<Example>*> allSplits(const Task& t) { return {&t.train, &t.validation, &t.test, &t.ood}; }

bool sameSplits(const Task& a, const Task& b) {
  if (a.classes != b.classes) return false;
  auto sa = allSplits(a), sb = allSplits(b);
  for (size_t s = 0; s < sa.size(); ++s) {
    if (sa[s]->size() != sb[s]->size()) return false;
    for (size_t i = 0; i < sa[s]->size(); ++i)
      if ((*sa[s])[i].text != (*sb[s])[i].text || (*sa[s])[i].label != (*sb[s])[i].label) return false;
  }
  return true;
}

bool builtinDataInstalled() {
  return std::ifstream(kGcideDict).good() && std::ifstream(std::string(kWordNetDir) + "/data.noun").good();
}

}  // namespace

class TestTasks : public QObject {
  Q_OBJECT

  Task builtin_;  // built once, shared by the built-in checks
  bool haveBuiltin_ = false;

 private Q_SLOTS:
  void initTestCase() {
    if (!builtinDataInstalled()) return;
    QElapsedTimer timer;
    timer.start();
    builtin_ = buildDictionaryFields();
    haveBuiltin_ = true;
    qInfo("dictionary-fields built in %.1f s", timer.elapsed() / 1000.0);
  }

  // ---- text cleaning ----
  void gcideMarkup() {
    QCOMPARE(gcideConvertEntities("b[ae]c ['e]cole [=a] [deg]"), std::string("baec ecole a °"));
    QCOMPARE(gcideConvertEntities("[R.] [Obs.]"), std::string("[R.] [Obs.]"));  // abbreviations stay
    QVERIFY(isSubjectTag("Zool."));
    QVERIFY(isSubjectTag("Law"));
    QVERIFY(isSubjectTag("Gr. Antiq."));
    QVERIFY(isSubjectTag("Anat. & Zool."));
    QVERIFY(!isSubjectTag("Orycteropus afer"));
    QVERIFY(!isSubjectTag("Haliotis"));
    std::string body = gcideCleanBody(
        "(a) The belly {Abdomen} (Zool.); as, the {abdominal regions}. [Obs.] --Milton. [1913 Webster]");
    QCOMPARE(body, std::string("The belly Abdomen; as, the abdominal regions."));
    QCOMPARE(gcideCleanBody("Behind; in the rear. --Sir K. Digby. [1913 Webster]"), std::string("Behind; in the rear."));
    QCOMPARE(gcideCleanBody("Toward the back; -- said of sails. -- {Ab*dom\"i*nal*ly}, adv."),
             std::string("Toward the back; — said of sails."));
  }

  void wordnetGloss() {
    std::string def;
    std::vector<std::string> ex;
    splitGloss("(law) a formal accusation; \"he faced an indictment\"; \"two counts\"", def, ex);
    QCOMPARE(def, std::string("a formal accusation"));
    QCOMPARE(ex.size(), size_t(2));
    QCOMPARE(ex[1], std::string("two counts"));
  }

  void utf8AndKeys() {
    QCOMPARE(findInvalidUtf8("caf\xc3\xa9"), std::string::npos);
    QCOMPARE(findInvalidUtf8("caf\xe9 x"), size_t(3));
    QCOMPARE(findInvalidUtf8("\xed\xa0\x80"), size_t(0));  // a surrogate
    QCOMPARE(matchKey("  The Belly,  or (the) BOWELS! "), std::string("the belly or the bowels"));
  }

  // ---- the built-in task ----
  void builtinSizesAndBalance() {
    if (!haveBuiltin_) QSKIP("dict-gcide / wordnet-base not installed");
    const Task& t = builtin_;
    QVERIFY(t.classes.size() >= 5);
    for (const auto* split : allSplits(t)) {
      std::vector<int> counts = classCounts(t, *split);
      for (int c : counts) QCOMPARE(c, counts[0]);  // balanced
    }
    QVERIFY(classCounts(t, t.train)[0] >= 400);
    QVERIFY(classCounts(t, t.validation)[0] >= 50);
    QVERIFY(classCounts(t, t.test)[0] >= 100);
    QVERIFY(classCounts(t, t.ood)[0] >= 70);
    Task quick = quickSubset(t, 100);
    QCOMPARE(quick.train.size(), size_t(100) * t.classes.size());
    QCOMPARE(quick.train[0].text, t.train[0].text);
    QCOMPARE(quick.test.size(), t.test.size());
  }

  void builtinNoOverlapNoDuplicates() {
    if (!haveBuiltin_) QSKIP("dict-gcide / wordnet-base not installed");
    std::set<std::string> seen;
    for (const auto* split : allSplits(builtin_))
      for (const Example& e : *split) QVERIFY2(seen.insert(matchKey(e.text)).second, e.text.c_str());
  }

  void builtinTextIsClean() {
    if (!haveBuiltin_) QSKIP("dict-gcide / wordnet-base not installed");
    QRegularExpression tag(R"(\((?:[A-Z][a-z]*\.)(?:\s*&?\s*[A-Z][a-z]*\.)*\)|\((?:law|music|military|medicine|chemistry|anatomy|botany|zoology|Law|Music)\))");
    QRegularExpression markup(R"(Webster|WordNet|\[|\]|\{|\}|\\|--[A-Z]|\bPJC\b)");
    for (const auto* split : allSplits(builtin_))
      for (const Example& e : *split) {
        QString text = QString::fromStdString(e.text);
        QVERIFY2(!tag.match(text).hasMatch(), e.text.c_str());
        QVERIFY2(!markup.match(text).hasMatch(), e.text.c_str());
        QVERIFY2(wordCount(e.text) >= 4, e.text.c_str());
        QCOMPARE(findInvalidUtf8(e.text), std::string::npos);
      }
  }

  // A second build (through the cache, in a private cache folder) gives the same splits; so does the cache.
  void builtinDeterministicAndCached() {
    if (!haveBuiltin_) QSKIP("dict-gcide / wordnet-base not installed");
    QTemporaryDir dir;
    qputenv("XDG_CACHE_HOME", dir.path().toUtf8());
    Task second = loadTask("dictionary-fields");  // builds and writes the cache
    QVERIFY(QFile::exists(dir.path() + "/peft-workbench/tasks/dictionary-fields/meta.json"));
    Task cached = loadTask("dictionary-fields");  // reads it back
    qunsetenv("XDG_CACHE_HOME");
    QVERIFY(!contains(second.source, "cached"));
    QVERIFY(contains(cached.source, "cached"));
    QVERIFY(sameSplits(builtin_, second));
    QVERIFY(sameSplits(builtin_, cached));
  }

  void missingPackageSaysWhatToInstall() {
    DictionaryFieldsSources src;
    src.gcideDict = "/nonexistent/gcide.dict.dz";
    src.gcideIndex = "/nonexistent/gcide.index";
    QVERIFY(contains(errorOf([&] { buildDictionaryFields(src); }), "apt-get install dict-gcide"));
    QVERIFY(contains(errorOf([&] { readWordNet("/nonexistent"); }), "apt-get install wordnet-base"));
    QVERIFY(contains(errorOf([&] { loadTask("no-such-task"); }), "dictionary-fields"));
  }

  // ---- corpus ----
  void heldOutFilter() {
    HeldOutFilter f({"A salt of malic acid.", "the belly, or that part of the body between the thorax and pelvis"});
    QVERIFY(f.holdsHeldOut("a SALT of malic acid"));
    QVERIFY(f.holdsHeldOut("Malate: a salt of malic acid, found in apples."));
    QVERIFY(!f.holdsHeldOut("a salt of malic acidity"));  // whole words only
    QVERIFY(f.holdsHeldOut("In man: The belly or that part of the body between the thorax and pelvis; also"));
    QVERIFY(!f.holdsHeldOut("the belly, or that part of the body"));
  }

  void corpusExcludesTestTexts() {
    if (!haveBuiltin_) QSKIP("dict-gcide / wordnet-base not installed");
    // GCIDE and WordNet hold every test text before filtering; check the filtered stream end to end.
    std::vector<std::string> held = heldOutTexts(builtin_);
    HeldOutFilter filter(held);
    std::set<std::string> heldKeys;
    for (const auto& h : held) heldKeys.insert(matchKey(h));
    size_t exactBefore = 0, dropped = 0, kept = 0;
    auto check = [&](const std::string& doc) {
      std::string k = matchKey(doc);
      if (heldKeys.count(k)) ++exactBefore;
      if (filter.holdsHeldOut(doc)) {
        ++dropped;
        return;
      }
      ++kept;
      QVERIFY2(!heldKeys.count(k), doc.c_str());
    };
    corpusFromGcide(check);
    corpusFromWordNet(check);
    QVERIFY(exactBefore >= builtin_.test.size());  // every ID test text is a GCIDE paragraph ...
    QVERIFY(dropped >= held.size());               // ... each OOD text sits inside a WordNet gloss line ...
    QVERIFY(kept > 100000);                        // ... and plenty of other text remains
  }

  void corpusWritesFile() {
    if (!builtinDataInstalled() || !std::ifstream("/usr/share/dictd/devil.dict.dz").good())
      QSKIP("dict-gcide / wordnet-base / dict-devil not installed");
    QTemporaryDir dir;
    std::string out = dir.path().toStdString() + "/corpus.txt";
    // The whole pipeline (filter, dedupe, shuffle, write) on one small source.
    CorpusOptions opts;
    opts.sources = {"devil"};
    std::string held = "Persons of little worth found cumbering the soil of a newly discovered country";
    CorpusStats s = writeCorpus(out, {held}, opts);
    QCOMPARE(s.sources.size(), size_t(1));
    QVERIFY(s.words > 30000);
    QCOMPARE(s.excluded, size_t(1));
    std::ifstream in(out);
    std::string line;
    size_t lines = 0;
    while (std::getline(in, line)) {
      ++lines;
      QVERIFY(!line.empty() && findInvalidUtf8(line) == std::string::npos);
      QVERIFY(!contains(line, "cumbering the soil"));
    }
    QCOMPARE(lines, s.documents);
    CorpusStats again = writeCorpus(out + "2", {held}, opts);
    QCOMPARE(again.words, s.words);
    QVERIFY(contains(errorOf([&] { opts.sources = {"nope"}; writeCorpus(out, {}, opts); }), "unknown corpus source"));
  }

  // ---- user datasets ----
  void csvFolder() {
    Task t = loadTask(kData + "/csv_folder");
    QCOMPARE(t.classes, (std::vector<std::string>{"animal", "plant"}));
    QCOMPARE(t.train.size(), size_t(6));
    QCOMPARE(t.validation.size(), size_t(2));
    QCOMPARE(t.test.size(), size_t(2));
    QCOMPARE(t.ood.size(), size_t(2));  // from ood_test.csv
    QCOMPARE(t.train[0].text, std::string("A small finch with a yellow breast, common in hedges."));
    QCOMPARE(t.train[2].text, std::string("She said \"fetch the net\" and the heron flew off."));
    QCOMPARE(t.train[3].text, std::string("A climbing vine\nwhose flowers open at night."));
    QCOMPARE(t.train[3].label, 1);
    QCOMPARE(t.ood[0].text, std::string("cetacean; \"whale\" in everyday speech"));
  }

  // Named OOD sets: ood_NAME files; without a plain ood file the first named set leads. Seeded sampling
  // draws N per class and a different seed draws others.
  void namedOodSetsAndSeededSamples() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    auto write = [&](const std::string& name, const std::vector<std::string>& rows) {
      std::ofstream f(d + "/" + name);
      f << "text,label\n";
      for (const auto& r : rows) f << r << "\n";
    };
    std::vector<std::string> train;
    for (int i = 0; i < 20; ++i) train.push_back("text number " + std::to_string(i) + (i % 2 ? ",a" : ",b"));
    write("train.csv", train);
    write("ood_other_source.csv", {"far away one,a", "far away two,b", "far away three,b"});
    write("ood_more.csv", {"more one,a", "more two,b"});
    Task t = loadTask(d);
    QCOMPARE(t.oodName, std::string("more"));
    QCOMPARE(t.ood.size(), size_t(2));
    QCOMPARE(t.moreOod.size(), size_t(1));
    QCOMPARE(t.moreOod[0].name, std::string("other source"));
    QCOMPARE(t.oodSets().size(), size_t(2));
    QCOMPARE(t.oodSets()[1].examples.size(), size_t(3));
    std::vector<Example> s1 = samplePerClass(t.train, 2, 3, 1), s2 = samplePerClass(t.train, 2, 3, 2);
    QCOMPARE(classCounts(t, s1), (std::vector<int>{3, 3}));
    QCOMPARE(classCounts(t, s2), (std::vector<int>{3, 3}));
    auto texts = [](const std::vector<Example>& v) {
      std::vector<std::string> out;
      for (const auto& e : v) out.push_back(e.text);
      return out;
    };
    QVERIFY(texts(s1) != texts(s2));
    QCOMPARE(texts(s1), texts(samplePerClass(t.train, 2, 3, 1)));  // the same seed: the same draw
  }

  // What the import dialog saves: every field quoted, and loadTask reads back the same texts and labels
  // (a comma, quotes, a line break and a carriage return inside a text survive).
  void taskCsvFolderRoundTrips() {
    Task t;
    t.classes = {"animal", "money, cash"};
    t.train = {{"the \"goat\", chewed", 0}, {"line one\nline two", 1}, {"cr\rin text", 0}, {"coins", 1}};
    t.validation = {{"an owl", 0}, {"a bank", 1}};
    t.test = {{"a hen", 0}, {"a loan", 1}};
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString() + "/task";
    std::filesystem::create_directories(folder);
    { std::ofstream stale(folder + "/ood.csv"); }  // an earlier import's OOD file, which this task lacks
    writeTaskCsvFolder(t, folder);
    std::ifstream train(folder + "/train.csv", std::ios::binary);
    std::string head, first;
    std::getline(train, head);
    std::getline(train, first);
    QCOMPARE(head, std::string("text,label"));
    QCOMPARE(first, std::string("\"the \"\"goat\"\", chewed\",\"animal\""));
    QVERIFY(!std::filesystem::exists(folder + "/ood.csv"));  // no OOD examples: the old file is gone
    const Task back = loadTask(folder);
    QCOMPARE(back.classes, t.classes);
    auto same = [&](const std::vector<Example>& a, const std::vector<Example>& b) {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (a[i].text != b[i].text || a[i].label != b[i].label) return false;
      return true;
    };
    QVERIFY(same(back.train, t.train));
    QVERIFY(same(back.validation, t.validation));
    QVERIFY(same(back.test, t.test));
    QVERIFY(back.ood.empty());
  }

  void tsvFolderCarvesValidation() {
    Task t = loadTask(kData + "/tsv_folder");
    QCOMPARE(t.classes, (std::vector<std::string>{"negative", "positive"}));
    QCOMPARE(t.test.size(), size_t(2));
    QCOMPARE(t.validation.size(), size_t(2));  // ~10% per class, at least one each
    QCOMPARE(t.train.size(), size_t(10));
    QVERIFY(!t.hasOod());
    QCOMPARE(t.notes.size(), size_t(2));
    bool quoted = false;
    for (const auto* s : allSplits(t))
      for (const auto& e : *s) quoted = quoted || e.text == "\"Wow,\" she said, \"what a ride.\"";
    QVERIFY(quoted);  // literal quotes in TSV stay text
    QVERIFY(sameSplits(t, loadTask(kData + "/tsv_folder")));
    TaskOptions other;
    other.seed = 99;
    Task t2 = loadTask(kData + "/tsv_folder", other);
    QCOMPARE(t2.validation.size(), size_t(2));
  }

  void jsonlSplitColumn() {
    Task t = loadTask(kData + "/jsonl_file/data.jsonl");
    QCOMPARE(t.classes, (std::vector<std::string>{"2", "10"}));  // integers sort numerically
    QCOMPARE(t.train.size(), size_t(4));
    QCOMPARE(t.validation.size(), size_t(2));  // "dev"
    QCOMPARE(t.test.size(), size_t(2));
    QCOMPARE(t.ood.size(), size_t(2));
    QCOMPARE(t.ood[0].text, std::string("Ministers met behind closed doors. \xC3\x89lys\xC3\xA9" "e confirmed it."));
    QCOMPARE(t.train[1].label, 1);
  }

  void namedColumns() {
    TaskOptions o;
    o.textColumn = "words";
    Task t = loadTask(kData + "/bad/missing_column.csv", o);
    QCOMPARE(t.classes.size(), size_t(2));
    o.labelColumn = "nope";
    QVERIFY(contains(errorOf([&] { loadTask(kData + "/bad/missing_column.csv", o); }), "no column named 'nope'"));
  }

  void badInputs_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing column") << "missing_column.csv" << "missing_column.csv:1: no text column";
    // Validation carves one 'a' example; 'b' has one, so the test split would be empty (found by fuzzing).
    QTest::newRow("too few to carve") << "too_few_to_carve.csv"
                                      << "too_few_to_carve.csv: too few examples to carve a test split";
    QTest::newRow("ambiguous columns") << "ambiguous_columns.csv" << "ambiguous_columns.csv:1: ambiguous text column";
    QTest::newRow("empty text") << "empty_text.csv" << "empty_text.csv:3: empty text";
    QTest::newRow("unterminated quote") << "unterminated_quote.csv" << "unterminated_quote.csv:3: unterminated";
    QTest::newRow("text after quote") << "text_after_quote.csv" << "text_after_quote.csv:3: unexpected text";
    QTest::newRow("invalid utf-8") << "invalid_utf8.csv" << "invalid_utf8.csv:3: invalid UTF-8";
    QTest::newRow("empty file") << "empty.csv" << "empty.csv: the file is empty";
    QTest::newRow("single class") << "single_class.csv" << "only one class";
    QTest::newRow("class only in test") << "test_only_class" << "test.csv:3: label 'c' appears in the test split";
    QTest::newRow("two train files") << "two_train" << "two files for the train split";
    QTest::newRow("bad json") << "bad_json.jsonl" << "bad_json.jsonl:2: not valid JSON";
    // A label of 1e104 is no integer (its conversion to one was undefined behaviour; found by fuzzing).
    QTest::newRow("huge float label") << "huge_float_label.jsonl"
                                      << "huge_float_label.jsonl:1: field \"label\" must be a string or an integer";
    QTest::newRow("no such path") << "nothing_here" << "no such file or folder";
  }

  void badInputs() {
    QFETCH(QString, path);
    QFETCH(QString, expected);
    std::string full = kData + "/bad/" + path.toStdString();
    std::string msg = errorOf([&] { importDataset(full); });
    QVERIFY2(contains(msg, expected.toStdString()), msg.c_str());
  }

  // ---- CLI ----
  void cliTaskInfo() {
    if (!QFile::exists(PW_CLI_PATH)) QSKIP("CLI not built");
    QProcess p;
    p.start(PW_CLI_PATH, {"task-info", QString::fromStdString(kData + "/csv_folder"), "--json"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QByteArray out = p.readAllStandardOutput();
    QVERIFY(out.contains("\"per_class\""));
    QVERIFY(out.contains("\"mean_words\""));
    p.start(PW_CLI_PATH, {"task-info", QString::fromStdString(kData + "/bad/empty_text.csv")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("empty_text.csv:3"));
  }
};

QTEST_MAIN(TestTasks)
#include "tst_tasks.moc"
