// Tests of core's one-of-each helpers (util/ and the per-class selection in data/), each against hand-made
// cases; the CSV writer's output is read back by the project's own CSV reader.
// pw-test-libs: pw_data pw_util pw_tokenizers
#include <string>
#include <vector>

#include "data/delimited.h"
#include "util/csv_write.h"
#include "util/error.h"

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
};

QTEST_GUILESS_MAIN(TestUtil)
#include "tst_util.moc"
