// Tests for the built-in "wordnet-subgroups" task: deterministic, balanced, ID and OOD subgroups disjoint,
// no text in two splits or sets, sizes within the stated bounds, the cache, the corpus hold-out and task-info.
// pw-test-libs: pw_data pw_util pw_tokenizers
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>
#include <set>

#include "data/corpus.h"
#include "data/gcide.h"
#include "data/task.h"
#include "data/text.h"
#include "data/wordnet.h"
#include "data/wordnet_subgroups.h"
#include "util/utf8.h"

using namespace pw::data;
using pw::findInvalidUtf8;

namespace {

bool installed() {
  return std::ifstream(kGcideDict).good() && std::ifstream(std::string(kWordNetDir) + "/data.noun").good();
}

bool sameExamples(const std::vector<Example>& a, const std::vector<Example>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].text != b[i].text || a[i].label != b[i].label) return false;
  return true;
}

bool sameSplits(const Task& a, const Task& b) {
  return a.classes == b.classes && sameExamples(a.train, b.train) && sameExamples(a.validation, b.validation) &&
         sameExamples(a.test, b.test) && sameExamples(a.ood, b.ood) && a.oodName == b.oodName;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

class TestSubgroups : public QObject {
  Q_OBJECT

  WordNetSubgroupsBuild forced_;  // built with a Webster's floor of 1, so that set always exists
  Task built_, cached_;           // the default task through loadTask: built into a private cache, read back
  QTemporaryDir cacheDir_;
  bool have_ = false;

  std::vector<std::pair<const std::vector<Example>*, const std::vector<int>*>> idSplits() const {
    return {{&forced_.task.train, &forced_.trainGroups},
            {&forced_.task.validation, &forced_.validationGroups},
            {&forced_.task.test, &forced_.testGroups}};
  }
  const std::vector<Example>& webster() const { return forced_.task.moreOod.at(0).examples; }

 private Q_SLOTS:
  void initTestCase() {
    if (!installed()) return;
    QElapsedTimer timer;
    timer.start();
    WordNetSubgroupsOptions o;
    o.minWebsterPerClass = 1;
    forced_ = buildWordNetSubgroupsWithGroups(o);
    qInfo("wordnet-subgroups built in %.1f s", timer.elapsed() / 1000.0);
    qputenv("XDG_CACHE_HOME", cacheDir_.path().toUtf8());
    built_ = loadTask(kWordNetSubgroupsName);  // builds and writes the cache
    timer.restart();
    cached_ = loadTask(kWordNetSubgroupsName);
    qInfo("wordnet-subgroups read from the cache in %.2f s", timer.elapsed() / 1000.0);
    qunsetenv("XDG_CACHE_HOME");
    have_ = true;
  }

  // The Webster's set reads GCIDE headers: headword and part of speech.
  void gcideHeaders() {
    GcideHeader h = gcideHeader("Robin \\Rob\"in\\, n. [Properly a pet name for Robert.] (Zool.) (a) A small bird");
    QCOMPARE(h.word, std::string("Robin"));
    QCOMPARE(h.partOfSpeech, std::string("n."));
    h = gcideHeader("Colour \\Col\"our\\, Color \\Col\"or\\, n. [OF. colour.] A property of light");
    QCOMPARE(h.word, std::string("Colour"));
    QCOMPARE(h.partOfSpeech, std::string("n."));
    h = gcideHeader("Afterpiece \\Aft\"er*piece`\\ ([a^]f\"t[~e]r*p[=e]s`), n. 1. A piece performed after a play");
    QCOMPARE(h.partOfSpeech, std::string("n."));
    QCOMPARE(gcideHeader("Columbine \\Col\"um*bine\\, a. [L. columbinus.] Of a dove").partOfSpeech, std::string("a."));
    QCOMPARE(gcideHeader("2. The mistress or sweetheart of Harlequin. --Brewer.").word, std::string());
    QCOMPARE(gcideHeader("{Robin accentor} (Zool.), a small bird \\x\\").word, std::string());
    QVERIFY(gcideLostCharacters("C?H?.(CO?H)?"));
    QVERIFY(!gcideLostCharacters("Is it so? Yes."));
  }

  void registered() {
    auto names = builtinTaskNames();
    QVERIFY(std::find(names.begin(), names.end(), kWordNetSubgroupsName) != names.end());
    QVERIFY(std::find(names.begin(), names.end(), "dictionary-fields") != names.end());
  }

  // Two builds give the same splits (the Webster's floor only decides whether that extra set exists).
  void deterministicAndCached() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    QVERIFY(QFile::exists(cacheDir_.path() + "/peft-workbench/tasks/wordnet-subgroups/meta.json"));
    QVERIFY(!contains(built_.source, "cached"));
    QVERIFY(contains(cached_.source, "cached"));
    QVERIFY(sameSplits(forced_.task, built_));
    QVERIFY(sameSplits(built_, cached_));
    QCOMPARE(cached_.notes, built_.notes);
    QCOMPARE(cached_.moreOod.size(), built_.moreOod.size());
    for (size_t i = 0; i < built_.moreOod.size(); ++i) {
      QCOMPARE(cached_.moreOod[i].name, built_.moreOod[i].name);
      QVERIFY(sameExamples(cached_.moreOod[i].examples, built_.moreOod[i].examples));
    }
    QCOMPARE(built_.oodName, std::string("other subgroups"));
  }

  void notesSayWhatTheTaskIs() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    bool shift = false, overlap = false, webster = !built_.moreOod.empty();
    for (const auto& n : built_.notes) {
      shift = shift || contains(n, "subpopulation shift");
      overlap = overlap || contains(n, "pretrained on a corpus holding every WordNet gloss");
      webster = webster || contains(n, "no 'other subgroups, Webster's' set");
    }
    QVERIFY(shift && overlap && webster);
  }

  void balancedAndSized() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    const Task& t = forced_.task;
    QCOMPARE(t.classes.size(), size_t(12));
    for (const auto* split : {&t.train, &t.validation, &t.test, &t.ood, &webster()}) {
      std::vector<int> counts = classCounts(t, *split);
      for (int c : counts) QCOMPARE(c, counts[0]);  // balanced, so every class is present in every split
      QVERIFY(counts[0] > 0);
    }
    int train = classCounts(t, t.train)[0], validation = classCounts(t, t.validation)[0];
    int test = classCounts(t, t.test)[0], ood = classCounts(t, t.ood)[0];
    QVERIFY(train >= 105 && train <= 420);  // 70 % of 150 .. 600 per class
    QVERIFY(validation >= 15 && test >= 30);
    QCOMPARE(test, (train + validation + test) / 5);
    QVERIFY(ood >= 100 && ood <= 400);
  }

  void noTextTwice() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    const Task& t = forced_.task;
    std::set<std::string> seen;
    for (const auto* split : {&t.train, &t.validation, &t.test, &t.ood, &webster()})
      for (const Example& e : *split) QVERIFY2(seen.insert(matchKey(e.text)).second, e.text.c_str());
  }

  // Train / validation / ID test hold ID subgroups only; both OOD sets hold OOD subgroups only.
  void idAndOodSubgroupsDisjoint() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    const auto& groups = forced_.subgroups;
    for (auto [split, g] : idSplits()) {
      QCOMPARE(g->size(), split->size());
      for (size_t i = 0; i < g->size(); ++i) {
        QVERIFY(!groups.at((*g)[i]).ood);
        QCOMPARE(groups.at((*g)[i]).label, (*split)[i].label);
      }
    }
    QCOMPARE(forced_.oodGroups.size(), forced_.task.ood.size());
    QCOMPARE(forced_.websterGroups.size(), webster().size());
    for (const auto* g : {&forced_.oodGroups, &forced_.websterGroups})
      for (int i : *g) QVERIFY(groups.at(i).ood);
    for (size_t i = 0; i < webster().size(); ++i)
      QCOMPARE(groups.at(forced_.websterGroups[i]).label, webster()[i].label);
  }

  // Every class has several ID and OOD subgroups; its OOD side holds 1/3 .. 1/2 of its texts.
  void splitRule() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    std::map<int, size_t> total, ood, idGroups, oodGroups;
    std::set<std::string> names;
    for (const Subgroup& s : forced_.subgroups) {
      QVERIFY2(names.insert(s.name).second, s.name.c_str());
      total[s.label] += s.texts;
      if (s.ood) ood[s.label] += s.texts;
      ++(s.ood ? oodGroups : idGroups)[s.label];
      QVERIFY(!s.ood || !s.pool);
      QCOMPARE(s.pool, contains(s.name, "(small sub-trees)"));
    }
    QCOMPARE(total.size(), size_t(12));
    for (auto [label, n] : total) {
      double share = static_cast<double>(ood[label]) / n;
      QVERIFY2(share >= 1.0 / 3 && share <= 0.5, forced_.task.classes[label].c_str());
      QVERIFY(idGroups[label] >= 2 && oodGroups[label] >= 2);
    }
  }

  void textsAreDefinitionsOnly() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    for (const auto* split : {&built_.train, &built_.test, &built_.ood})
      for (const Example& e : *split) {
        QVERIFY(wordCount(e.text) >= 4 && wordCount(e.text) <= 150);
        QVERIFY2(!contains(e.text, "\""), e.text.c_str());  // no quoted usage examples
        QCOMPARE(findInvalidUtf8(e.text), std::string::npos);
      }
  }

  // The pretraining corpus drops every WordNet line holding one of the task's test or OOD texts.
  void corpusHoldsOut() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    std::vector<std::string> held = heldOutTexts(forced_.task);
    QCOMPARE(held.size(), forced_.task.test.size() + forced_.task.ood.size() + webster().size());
    HeldOutFilter filter(held);
    size_t dropped = 0;
    corpusFromWordNet([&](const std::string& line) { dropped += filter.holdsHeldOut(line); });
    QVERIFY(dropped >= forced_.task.test.size() + forced_.task.ood.size());
  }

  void cliTaskInfoListsOodSets() {
    if (!have_) QSKIP("wordnet-base / dict-gcide not installed");
    if (!QFile::exists(PW_CLI_PATH)) QSKIP("CLI not built");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_CACHE_HOME", cacheDir_.path());  // the cache written above: no rebuild
    p.setProcessEnvironment(env);
    p.start(PW_CLI_PATH, {"task-info", "wordnet-subgroups", "--json"});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    QByteArray out = p.readAllStandardOutput();
    QVERIFY(out.contains("\"ood_sets\""));
    QVERIFY(out.contains("\"other subgroups\""));
    p.start(PW_CLI_PATH, {"task-info", "wordnet-subgroups"});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    out = p.readAllStandardOutput();
    QVERIFY(out.contains("OOD sets: 'other subgroups' (" + QByteArray::number(qulonglong(built_.ood.size())) + ")"));
    QVERIFY(out.contains("bird, body part, clothing"));
  }
};

QTEST_MAIN(TestSubgroups)
#include "tst_subgroups.moc"
