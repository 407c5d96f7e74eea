// Tests of core's one-of-each helpers (util/ and the per-class selection in data/), each against hand-made
// cases; the CSV writer's output is read back by the project's own CSV reader.
// pw-test-libs: pw_data pw_util pw_tokenizers
#include <algorithm>
#include <string>
#include <vector>

#include "data/delimited.h"
#include "data/per_class.h"
#include "util/csv_write.h"
#include "util/error.h"
#include "util/lru_cache.h"
#include "util/utf8.h"

#include <QtTest>

using namespace pw;

class TestUtil : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void csvQuotesOnlyWhatNeedsIt() {
    QCOMPARE(csvField("plain"), std::string("plain"));
    QCOMPARE(csvField(""), std::string(""));
    QCOMPARE(csvField("0.61"), std::string("0.61"));
    QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
    QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
    QCOMPARE(csvField("two\nlines"), std::string("\"two\nlines\""));
    QCOMPARE(csvField("carriage\rreturn"), std::string("\"carriage\rreturn\""));  // the CLI's old writer missed it
    QCOMPARE(csvField(" lead"), std::string("\" lead\""));
    QCOMPARE(csvField("trail\t"), std::string("\"trail\t\""));
    QCOMPARE(csvField("in side"), std::string("in side"));  // inner spaces need nothing
    QCOMPARE(csvField("fixture", CsvQuote::Always), std::string("\"fixture\""));
    QCOMPARE(csvField("", CsvQuote::Always), std::string("\"\""));
    QCOMPARE(csvRow({"a", "b,c", ""}), std::string("a,\"b,c\","));
    QCOMPARE(csvRow({}), std::string(""));
    QCOMPARE(csvRow({"x", "y"}, CsvQuote::Always), std::string("\"x\",\"y\""));
  }

  void csvRoundTripsThroughTheReader() {
    const std::vector<std::string> header = {"text", "label"};
    const std::vector<std::vector<std::string>> rows = {
        {"plain", "a"},        {"a,b", "comma"},      {"say \"hi\"", "quote"},   {"two\nlines", "lf"},
        {"cr\ronly", "cr"},    {"crlf\r\nend", "crlf"}, {" lead", "space "},     {"", "empty"},
        {"\"", "lone quote"},  {"caf\xc3\xa9, \xe2\x82\xac", "utf-8"}};
    for (CsvQuote quote : {CsvQuote::AsNeeded, CsvQuote::Always}) {
      std::string file = csvRow(header, quote) + "\n";
      for (const auto& r : rows) file += csvRow(r, quote) + "\n";
      const data::DelimitedTable t = data::parseDelimited("written.csv", file, ',');
      QCOMPARE(t.header, header);
      QCOMPARE(t.rows.size(), rows.size());
      for (size_t i = 0; i < rows.size(); ++i) QCOMPARE(t.rows[i], rows[i]);
    }
  }

  void csvUnquotedCarriageReturnBreaksTheRow() {
    // Why \r must be quoted: unquoted, the reader takes it as the end of the record.
    QVERIFY_THROWS_EXCEPTION(Error, data::parseDelimited("old.csv", "text,label\ncr\ronly,cr\n", ','));
  }

  void utf8FindsTheFirstBadByte() {
    QCOMPARE(findInvalidUtf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), kValidUtf8);
    QCOMPARE(findInvalidUtf8("caf\xe9 x"), size_t(3));          // Latin-1 e-acute
    QCOMPARE(findInvalidUtf8("ab\xc0\xaf"), size_t(2));        // overlong '/'
    QCOMPARE(findInvalidUtf8("\xe0\x80\xaf"), size_t(0));      // overlong 3-byte form
    QCOMPARE(findInvalidUtf8("x\xed\xa0\x80"), size_t(1));     // a surrogate
    QCOMPARE(findInvalidUtf8("\xf4\x90\x80\x80"), size_t(0)); // past U+10FFFF
    QCOMPARE(findInvalidUtf8("ok\xe2\x82"), size_t(2));         // cut short at the end
    QVERIFY(isValidUtf8(""));
    QVERIFY(isValidUtf8("\xef\xbf\xbf\xf4\x8f\xbf\xbf"));  // U+FFFF and U+10FFFF are well formed
    QVERIFY(!isValidUtf8("\x80"));
  }

  void utf8DecodesAndEncodes() {
    const std::string s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    std::vector<int32_t> cps;
    for (size_t i = 0; i < s.size();) cps.push_back(nextCodePoint(s, i));
    QCOMPARE(cps, (std::vector<int32_t>{'a', 0xE9, 0x20AC, 0x1F600}));
    std::string back;
    for (int32_t cp : cps) appendUtf8(back, cp);
    QCOMPARE(back, s);
    // An ill-formed sequence is skipped as one maximal subpart: E2 82 is one error, then 'A'.
    const std::string bad = "\xe2\x82" "A";
    size_t i = 0;
    QCOMPARE(nextCodePoint(bad, i), -1);
    QCOMPARE(i, size_t(2));
    QCOMPARE(nextCodePoint(bad, i), int32_t('A'));
  }

  void utf8ReplacesOrDrops() {
    // Each maximal ill-formed subpart is one U+FFFD (as Python's decode(errors="replace")).
    size_t replaced = 99;
    QCOMPARE(replaceInvalidUtf8("caf\xe9!", &replaced), std::string("caf\xef\xbf\xbd!"));
    QCOMPARE(replaced, size_t(1));
    QCOMPARE(replaceInvalidUtf8("\xe2\x82" "A\xf0\x9f\x98", &replaced), std::string("\xef\xbf\xbd" "A\xef\xbf\xbd"));
    QCOMPARE(replaced, size_t(2));
    QCOMPARE(replaceInvalidUtf8("\xc0\xaf", &replaced), std::string("\xef\xbf\xbd\xef\xbf\xbd"));  // C0: never a lead
    QCOMPARE(replaced, size_t(2));
    QCOMPARE(replaceInvalidUtf8("fine \xc3\xa9", &replaced), std::string("fine \xc3\xa9"));
    QCOMPARE(replaced, size_t(0));
    QCOMPARE(dropInvalidUtf8("caf\xe9 \xe2\x82" "au \xed\xa0\x80lait \xc3\xa9"), std::string("caf au lait \xc3\xa9"));
    QCOMPARE(dropInvalidUtf8(""), std::string(""));
  }

  void lruDropsTheLeastRecentlyUsed() {
    LruCache<std::string, int> cache(2);
    QVERIFY(!cache.get("a"));
    cache.put("a", 1);
    cache.put("b", 2);
    QCOMPARE(*cache.get("a"), 1);  // a is now the most recent
    cache.put("c", 3);             // over capacity: b goes
    QVERIFY(!cache.get("b"));
    QCOMPARE(*cache.get("a"), 1);
    QCOMPARE(*cache.get("c"), 3);
    cache.put("a", 10);  // replacing keeps one entry and makes it the most recent
    QCOMPARE(cache.size(), size_t(2));
    cache.put("d", 4);  // c was least recent
    QVERIFY(!cache.get("c"));
    QCOMPARE(*cache.get("a"), 10);
    cache.clear();
    QCOMPARE(cache.size(), size_t(0));
    QVERIFY(!cache.get("a"));
  }

  void perClassPicksInOrderOrShuffled() {
    std::vector<data::Example> split;
    for (int i = 0; i < 12; ++i) split.push_back({std::to_string(i), i % 3 == 2 ? 7 : i % 3});  // label 7: unknown
    const auto two = [](size_t) { return size_t(2); };
    QCOMPARE(data::pickPerClass(split, 2, two),
             (std::vector<bool>{1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0}));  // the first two of classes 0 and 1
    const auto many = [](size_t) { return size_t(100); };
    QCOMPARE(data::pickPerClass(split, 2, many),  // a class with fewer: all of it; label 7 never
             (std::vector<bool>{1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0}));
    const auto seeded = [](int c) { return uint64_t(42 + c); };
    const std::vector<bool> drawn = data::pickPerClass(split, 2, two, seeded);
    QCOMPARE(drawn, data::pickPerClass(split, 2, two, seeded));  // the same seed: the same draw
    int zeros = 0, ones = 0;
    for (size_t i = 0; i < split.size(); ++i)
      if (drawn[i]) (split[i].label == 0 ? zeros : ones) += 1;
    QCOMPARE(zeros, 2);
    QCOMPARE(ones, 2);
    QVERIFY(!drawn[2] && !drawn[5]);
    // The count may depend on the class size (the importer carves ~10%, none from a class of one).
    const auto tenth = [](size_t n) { return n < 2 ? size_t(0) : std::max<size_t>(1, n / 10); };
    const std::vector<data::Example> lonely = {{"x", 0}, {"y", 1}, {"z", 1}};
    const std::vector<bool> carved = data::pickPerClass(lonely, 2, tenth, seeded);
    QVERIFY(!carved[0]);
    QCOMPARE(int(carved[1]) + int(carved[2]), 1);
  }
};

QTEST_GUILESS_MAIN(TestUtil)
#include "tst_util.moc"
