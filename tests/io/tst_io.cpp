// Tests for core/io: safetensors validation (every reject and accept rule), round trips, dtype decoding,
// and Hugging Face weight folders (single file, sharded, pickle-only).
// pw-test-libs: pw_io pw_util
// LibTorch before Qt: Qt's `slots` keyword macro breaks torch headers.
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "io/safetensors.h"
#include "util/strict_json.h"
#include "io/weights_folder.h"
#include "util/error.h"
#include "../common/error_of.h"
#include "util/utf8.h"

using namespace pw::io;
using pw::isValidUtf8;
using pw::parseStrictJson;
namespace fs = std::filesystem;
using pwtest::errorOf;

namespace {

std::string u64le(uint64_t n) {
  std::string s;
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  return s;
}

// A file image: prefix with the header length, the header text, then `bufferSize` bytes of `fill`.
std::string image(const std::string& header, size_t bufferSize = 0, char fill = 0) {
  return u64le(header.size()) + header + std::string(bufferSize, fill);
}

QByteArray qb(const std::string& s) { return QByteArray(s.data(), static_cast<int>(s.size())); }
std::string sb(const QByteArray& b) { return std::string(b.constData(), static_cast<size_t>(b.size())); }

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One header entry, e.g. entry("a", "F32", "[2]", 0, 8).
std::string entry(const std::string& name, const std::string& dtype, const std::string& shape, uint64_t b,
                  uint64_t e) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
         std::to_string(b) + "," + std::to_string(e) + "]}";
}

bool bitEqual(const at::Tensor& a, const at::Tensor& b) {
  if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes()) return false;
  if (a.numel() == 0) return true;  // memcmp on an empty tensor's null data pointer is undefined
  const at::Tensor ca = a.contiguous(), cb = b.contiguous();
  return std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.numel() * ca.element_size()) == 0;
}

// Decodes 16-bit patterns stored as `dtype` ("F16" or "BF16") into floats.
std::vector<float> decode16(const std::string& dtype, const std::vector<uint16_t>& bits) {
  std::string data;
  for (uint16_t b : bits) data += std::string{static_cast<char>(b & 0xFF), static_cast<char>(b >> 8)};
  const std::string header = "{" + entry("x", dtype, "[" + std::to_string(bits.size()) + "]", 0, data.size()) + "}";
  const at::Tensor t = decodeSafetensors(u64le(header.size()) + header + data, "bits").at("x");
  if (t.scalar_type() != at::kFloat) return {};
  return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

TensorMap sampleModel() {
  torch::manual_seed(7);
  TensorMap m;
  m["bert.embeddings.word_embeddings.weight"] = torch::randn({50, 16});
  m["bert.embeddings.LayerNorm.weight"] = torch::ones({16});
  m["bert.encoder.layer.0.attention.self.query.weight"] = torch::randn({16, 16});
  m["bert.encoder.layer.0.attention.self.query.bias"] = torch::randn({16});
  m["bert.encoder.layer.0.output.dense.weight"] = torch::randn({16, 32});
  m["bert.embeddings.position_ids"] = torch::arange(20, torch::kLong).unsqueeze(0);
  m["classifier.weight"] = torch::randn({2, 16});
  m["scalar"] = torch::tensor(3.5f);
  return m;
}

void expectSameMaps(const TensorMap& a, const TensorMap& b) {
  QCOMPARE(a.size(), b.size());
  for (const auto& [name, t] : a) {
    QVERIFY2(b.count(name), name.c_str());
    QVERIFY2(bitEqual(t, b.at(name)), name.c_str());
  }
}

}  // namespace

class TestIo : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void rejects_data();
  void rejects();
  void accepts_data();
  void accepts();
  void knownExampleBytes();
  void f16Decoding();
  void bf16Decoding();
  void roundTripF32BitExact();
  void roundTripF16Bf16();
  void nonContiguousInput();
  void integerAndBoolTensors();
  void headerPaddedWithFormatPt();
  void writerRejectsUnsupportedTypes();
  void readHeaderOnly();
  void fileErrors();
  void strictJson();
  void folderSingleFile();
  void folderShardedEqualsUnsharded();
  void folderIndexErrors();
  void folderPickleOnly();
  void folderMissingOrEmpty();
  void readSpeed50MB();
};

// Every reject rule: (file image, text the error must contain). Checked in memory and through a real file.
void TestIo::rejects_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("expected");
  const std::string a4 = entry("a", "F32", "[1]", 0, 4);

  QTest::newRow("empty file") << QByteArray() << "too short";
  QTest::newRow("7 bytes") << qb(std::string(7, '\0')) << "too short";
  QTest::newRow("N over 100000000") << qb(u64le(100000001) + "{}") << "exceeds";
  QTest::newRow("N huge") << qb(u64le(~0ull) + "{}") << "exceeds";
  QTest::newRow("8+N past end") << qb(u64le(3) + "{}") << "past the end";
  QTest::newRow("N=0 empty header") << qb(u64le(0)) << "not valid JSON";
  QTest::newRow("not UTF-8 (0xFF)") << qb(image("{\"a\xff\":1}")) << "UTF-8";
  QTest::newRow("not UTF-8 (overlong)") << qb(image("{\"\xc0\xaf\":1}")) << "UTF-8";
  QTest::newRow("not UTF-8 (surrogate)") << qb(image("{\"\xed\xa0\x80\":1}")) << "UTF-8";
  QTest::newRow("not UTF-8 (truncated seq)") << qb(image("{\"\xe2\x82\":1}")) << "UTF-8";
  QTest::newRow("not JSON") << qb(image("{\"a\":")) << "not valid JSON";
  QTest::newRow("not JSON (garbage after)") << qb(image("{} x")) << "not valid JSON";
  QTest::newRow("not JSON (NUL byte)") << qb(image(std::string("{}\0", 3))) << "NUL byte";
  QTest::newRow("not JSON (NUL then garbage)") << qb(image(std::string("{}\0xyz", 6))) << "NUL byte";
  QTest::newRow("deeply nested JSON") << qb(image("{\"a\":" + std::string(1000000, '[') + std::string(1000000, ']') + "}"))
                                     << "nested";
  QTest::newRow("not an object (array)") << qb(image("[]")) << "not a JSON object";
  QTest::newRow("not an object (string)") << qb(image("\"x\"")) << "not a JSON object";
  QTest::newRow("entry not object") << qb(image("{\"a\":5}")) << "not a JSON object";
  QTest::newRow("missing dtype") << qb(image("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)) << "missing \"dtype\"";
  QTest::newRow("missing shape") << qb(image("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4)) << "missing \"shape\"";
  QTest::newRow("missing data_offsets") << qb(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4))
                                        << "missing \"data_offsets\"";
  QTest::newRow("dtype not string") << qb(image("{\"a\":{\"dtype\":1,\"shape\":[1],\"data_offsets\":[0,4]}}", 4))
                                    << "\"dtype\" is not a string";
  QTest::newRow("shape not array") << qb(image("{\"a\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", 4))
                                   << "\"shape\" is not an array";
  QTest::newRow("shape float") << qb(image("{" + entry("a", "F32", "[1.5]", 0, 4) + "}", 4)) << "non-negative integers";
  QTest::newRow("shape string") << qb(image("{" + entry("a", "F32", "[\"1\"]", 0, 4) + "}", 4)) << "non-negative integers";
  QTest::newRow("offsets one number") << qb(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 4))
                                      << "data_offsets";
  QTest::newRow("offsets three numbers")
      << qb(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,4]}}", 4)) << "data_offsets";
  QTest::newRow("offsets negative") << qb(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[-4,-4]}}"))
                                    << "data_offsets";
  QTest::newRow("offsets not array") << qb(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":4}}", 4))
                                     << "data_offsets";
  QTest::newRow("end before begin") << qb(image("{" + entry("a", "F32", "[1]", 4, 0) + "}", 4)) << "before begin";
  QTest::newRow("metadata not object") << qb(image("{\"__metadata__\":5}")) << "\"__metadata__\" is not a JSON object";
  QTest::newRow("metadata value not string") << qb(image("{\"__metadata__\":{\"k\":1}}")) << "is not a string";
  QTest::newRow("unknown dtype") << qb(image("{" + entry("a", "F33", "[1]", 0, 4) + "}", 4)) << "unknown dtype \"F33\"";
  QTest::newRow("unsupported F64") << qb(image("{" + entry("a", "F64", "[1]", 0, 8) + "}", 8))
                                   << "unsupported dtype F64 in tensor \"a\"";
  QTest::newRow("unsupported I8") << qb(image("{" + entry("w", "I8", "[1]", 0, 1) + "}", 1))
                                  << "unsupported dtype I8 in tensor \"w\"";
  QTest::newRow("unsupported F8_E4M3") << qb(image("{" + entry("w", "F8_E4M3", "[1]", 0, 1) + "}", 1))
                                       << "unsupported dtype F8_E4M3";
  QTest::newRow("negative shape") << qb(image("{" + entry("a", "F32", "[-1]", 0, 4) + "}", 4)) << "negative dimension";
  QTest::newRow("overflowing shape (product)")
      << qb(image("{" + entry("a", "F32", "[4294967296,4294967296,16]", 0, 4) + "}", 4)) << "overflows";
  QTest::newRow("overflowing shape (bytes)")
      << qb(image("{" + entry("a", "F32", "[4611686018427387904,8]", 0, 4) + "}", 4)) << "overflows";
  QTest::newRow("overflowing shape (dim > int64)")
      << qb(image("{" + entry("a", "U8", "[9223372036854775808]", 0, 4) + "}", 4)) << "overflows";
  QTest::newRow("overflowing shape (beyond u64)")
      << qb(image("{" + entry("a", "U8", "[18446744073709551616]", 0, 4) + "}", 4)) << "non-negative integers";
  QTest::newRow("size mismatch") << qb(image("{" + entry("a", "F32", "[2]", 0, 4) + "}", 4)) << "need 8";
  QTest::newRow("huge offsets") << qb(image("{" + entry("a", "U8", "[1000000000000]", 0, 1000000000000) + "}"))
                                << "need 1000000000000";
  QTest::newRow("overlap") << qb(image("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12))
                           << "overlaps";
  QTest::newRow("same range twice")
      << qb(image("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 0, 4) + "}", 4)) << "overlaps";
  QTest::newRow("hole") << qb(image("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", 12))
                        << "hole";
  QTest::newRow("first not at 0") << qb(image("{" + entry("a", "F32", "[1]", 4, 8) + "}", 8)) << "hole";
  QTest::newRow("trailing bytes") << qb(image("{" + a4 + "}", 8)) << "trailing";
  QTest::newRow("trailing bytes, empty header") << qb(image("{}", 1)) << "trailing";
  QTest::newRow("missing bytes") << qb(image("{" + entry("a", "F32", "[2]", 0, 8) + "}", 4)) << "truncated";
  QTest::newRow("duplicate tensor names")
      << qb(image("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}", 8))
      << "duplicate key \"a\"";
  QTest::newRow("duplicate field in entry")
      << qb(image("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4))
      << "duplicate key \"dtype\"";
  QTest::newRow("duplicate __metadata__") << qb(image("{\"__metadata__\":{},\"__metadata__\":{}}")) << "duplicate key";
}

void TestIo::rejects() {
  QFETCH(QByteArray, bytes);
  QFETCH(QString, expected);
  const std::string data = sb(bytes);

  const std::string memError = errorOf([&] { decodeSafetensors(data, "mem.safetensors"); });
  QVERIFY2(memError.find("mem.safetensors") != std::string::npos, memError.c_str());
  QVERIFY2(memError.find(expected.toStdString()) != std::string::npos, memError.c_str());
  QCOMPARE(errorOf([&] { parseSafetensors(data, "mem.safetensors"); }), memError);

  // The same file on disk: both the full reader and the header-only reader reject it, naming the path.
  QTemporaryDir dir;
  const std::string path = dir.filePath("bad.safetensors").toStdString();
  writeFile(path, data);
  for (const std::string& err : {errorOf([&] { readSafetensors(path); }), errorOf([&] { readSafetensorsHeader(path); })}) {
    QVERIFY2(err.find(path) != std::string::npos, err.c_str());
    QVERIFY2(err.find(expected.toStdString()) != std::string::npos, err.c_str());
  }
}

// Every accept rule: (file image, tensor names expected, sorted).
void TestIo::accepts_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QStringList>("names");
  const std::string a4 = entry("a", "F32", "[1]", 0, 4);

  QTest::newRow("whitespace around JSON") << qb(image(" \n\t{" + a4 + "}\r\n   ", 4)) << QStringList{"a"};
  QTest::newRow("whitespace inside JSON") << qb(image("{ \"a\" : { \"dtype\" : \"F32\" , \"shape\" : [ 1 ] , "
                                                      "\"data_offsets\" : [ 0 , 4 ] } }", 4)) << QStringList{"a"};
  QTest::newRow("empty header {}") << qb(image("{}")) << QStringList{};
  QTest::newRow("empty header with spaces") << qb(image("{}      ")) << QStringList{};
  QTest::newRow("metadata only") << qb(image("{\"__metadata__\":{\"format\":\"pt\"}}")) << QStringList{};
  QTest::newRow("empty tensor") << qb(image("{" + entry("e", "F32", "[0]", 0, 0) + "}")) << QStringList{"e"};
  QTest::newRow("empty 2-d tensor") << qb(image("{" + entry("e", "F16", "[3,0]", 0, 0) + "}")) << QStringList{"e"};
  QTest::newRow("empty tensors around data")
      << qb(image("{" + entry("e", "I64", "[0,5]", 0, 0) + "," + a4 + "," + entry("z", "BOOL", "[0]", 4, 4) + "}", 4))
      << QStringList{"a", "e", "z"};
  QTest::newRow("rank-0 tensor") << qb(image("{" + entry("s", "F32", "[]", 0, 4) + "}", 4)) << QStringList{"s"};
  QTest::newRow("offsets not in name order")
      << qb(image("{" + entry("a", "F32", "[1]", 4, 8) + "," + entry("b", "I32", "[1]", 0, 4) + "}", 8))
      << QStringList{"a", "b"};
  QTest::newRow("unaligned data (odd header length)") << qb(image("{" + entry("a", "F32", "[3]", 0, 12) + "} ", 12))
                                                      << QStringList{"a"};
  QTest::newRow("unicode name") << qb(image("{" + entry("w\xc3\xa9ight \xe2\x82\xac", "U8", "[2]", 0, 2) + "}", 2))
                                << QStringList{QString::fromUtf8("w\xc3\xa9ight \xe2\x82\xac")};
}

void TestIo::accepts() {
  QFETCH(QByteArray, bytes);
  QFETCH(QStringList, names);
  const std::string data = sb(bytes);
  TensorMap m;
  try {
    m = decodeSafetensors(data, "ok.safetensors");
  } catch (const pw::Error& e) {
    QFAIL(e.what());
  }
  QStringList got;
  for (const auto& [name, t] : m) got << QString::fromStdString(name);
  QCOMPARE(got, names);

  QTemporaryDir dir;
  const std::string path = dir.filePath("ok.safetensors").toStdString();
  writeFile(path, data);
  expectSameMaps(m, readSafetensors(path));
  QCOMPARE(static_cast<int>(readSafetensorsHeader(path).tensors.size()), names.size());
}

// The classic example: a 2x2 I32 tensor and one metadata entry, written byte by byte.
void TestIo::knownExampleBytes() {
  const char header[] = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"__metadata__\":{\"foo\":\"bar\"}}";
  static_assert(sizeof(header) - 1 == 89, "header length");
  std::string bytes("\x59\x00\x00\x00\x00\x00\x00\x00", 8);  // 89 = 0x59, little-endian u64
  bytes += header;
  bytes += std::string("\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\xff\xff\xff\xff", 16);

  const SafetensorsHeader h = parseSafetensors(bytes, "example");
  QCOMPARE(h.dataStart, uint64_t(97));
  QCOMPARE(h.metadata.at("foo"), std::string("bar"));
  QCOMPARE(h.tensors.size(), size_t(1));
  QCOMPARE(h.tensors[0].dtype, std::string("I32"));
  QCOMPARE(h.tensors[0].shape, (std::vector<int64_t>{2, 2}));

  const at::Tensor t = decodeSafetensors(bytes, "example").at("test");
  QCOMPARE(t.scalar_type(), at::kInt);
  QVERIFY(at::equal(t, torch::tensor({1, 2, 3, -1}, torch::kInt).view({2, 2})));

  // A rank-0 F32 1.0 (bytes 00 00 80 3F); 55-byte JSON padded with 9 spaces to 64 = 0x40.
  const std::string f = std::string("\x40\x00\x00\x00\x00\x00\x00\x00", 8) +
                        "{\"one\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}         " +
                        std::string("\x00\x00\x80\x3f", 4);
  const at::Tensor one = decodeSafetensors(f, "one").at("one");
  QCOMPARE(one.dim(), int64_t(0));
  QCOMPARE(one.item<float>(), 1.0f);
}

void TestIo::f16Decoding() {
  const std::vector<float> v = decode16("F16", {0x3C00, 0xC000, 0x0001, 0x03FF, 0x7C00, 0xFC00, 0x7BFF, 0x8000, 0x7E00, 0x3555});
  QCOMPARE(v.size(), size_t(10));
  QCOMPARE(v[0], 1.0f);
  QCOMPARE(v[1], -2.0f);
  QCOMPARE(v[2], std::ldexp(1.0f, -24));  // smallest subnormal
  QCOMPARE(v[3], std::ldexp(1023.0f, -24));  // largest subnormal
  QVERIFY(std::isinf(v[4]) && v[4] > 0);
  QVERIFY(std::isinf(v[5]) && v[5] < 0);
  QCOMPARE(v[6], 65504.0f);
  QVERIFY(v[7] == 0.0f && std::signbit(v[7]));
  QVERIFY(std::isnan(v[8]));
  QCOMPARE(v[9], 0.333251953125f);
}

void TestIo::bf16Decoding() {
  const std::vector<float> v = decode16("BF16", {0x3F80, 0xC000, 0x0001, 0x7F80, 0xFF80, 0x4049, 0x8000, 0x7FC0});
  QCOMPARE(v.size(), size_t(8));
  QCOMPARE(v[0], 1.0f);
  QCOMPARE(v[1], -2.0f);
  QCOMPARE(v[2], std::ldexp(1.0f, -133));  // subnormal
  QVERIFY(std::isinf(v[3]) && v[3] > 0);
  QVERIFY(std::isinf(v[4]) && v[4] < 0);
  QCOMPARE(v[5], 3.140625f);
  QVERIFY(v[6] == 0.0f && std::signbit(v[6]));
  QVERIFY(std::isnan(v[7]));
}

void TestIo::roundTripF32BitExact() {
  torch::manual_seed(1);
  TensorMap m = sampleModel();
  at::Tensor special = torch::randn({9});
  float* p = special.data_ptr<float>();
  p[0] = INFINITY, p[1] = -INFINITY, p[2] = NAN, p[3] = -0.0f, p[4] = 1e-45f, p[5] = 3.4028235e38f;
  m["special"] = special;

  QTemporaryDir dir;
  const std::string path = dir.filePath("m.safetensors").toStdString();
  writeSafetensors(path, m);
  expectSameMaps(m, readSafetensors(path));
  expectSameMaps(m, decodeSafetensors(serializeSafetensors(m), "mem"));
  QVERIFY(!fs::exists(path + ".tmp"));
}

void TestIo::roundTripF16Bf16() {
  torch::manual_seed(2);
  for (StoreDtype dtype : {StoreDtype::F16, StoreDtype::BF16}) {
    const auto half = dtype == StoreDtype::F16 ? at::kHalf : at::kBFloat16;
    // Values exactly representable in the 16-bit type survive the round trip bit for bit.
    TensorMap m;
    m["w"] = (torch::randn({64, 33}) * 100).to(half).to(at::kFloat);
    m["b"] = torch::tensor({0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, INFINITY}).to(half).to(at::kFloat);
    m["ids"] = torch::arange(5, torch::kLong);
    const std::string bytes = serializeSafetensors(m, dtype);
    const SafetensorsHeader h = parseSafetensors(bytes, "mem");
    for (const TensorInfo& t : h.tensors)
      QCOMPARE(t.dtype, std::string(t.name == "ids" ? "I64" : (dtype == StoreDtype::F16 ? "F16" : "BF16")));
    const TensorMap back = decodeSafetensors(bytes, "mem");
    expectSameMaps(m, back);
    QCOMPARE(back.at("w").scalar_type(), at::kFloat);
  }
  // Doubles are stored as the requested float type.
  TensorMap d{{"x", torch::tensor({0.5, 2.0}, torch::kDouble)}};
  QVERIFY(at::equal(decodeSafetensors(serializeSafetensors(d), "mem").at("x"), torch::tensor({0.5f, 2.0f})));
}

void TestIo::nonContiguousInput() {
  const at::Tensor base = torch::arange(24, torch::kFloat).view({4, 6});
  TensorMap m;
  m["transposed"] = base.t();
  m["strided"] = base.slice(1, 0, 6, 2);
  m["offset"] = base[2];
  m["expanded"] = torch::tensor({1.0f, 2.0f}).expand({3, 2});
  m["long_t"] = torch::arange(6, torch::kLong).view({2, 3}).t();
  QVERIFY(!m["transposed"].is_contiguous() && !m["strided"].is_contiguous() && !m["expanded"].is_contiguous());
  for (StoreDtype dtype : {StoreDtype::F32, StoreDtype::F16, StoreDtype::BF16}) {
    const TensorMap back = decodeSafetensors(serializeSafetensors(m, dtype), "mem");
    for (const auto& [name, t] : m) QVERIFY2(at::equal(back.at(name), t), name.c_str());
  }
}

void TestIo::integerAndBoolTensors() {
  TensorMap m;
  m["i64"] = torch::tensor({int64_t(-1), int64_t(0), int64_t(1) << 40, std::numeric_limits<int64_t>::max()});
  m["i32"] = torch::tensor({-7, 7}, torch::kInt);
  m["u8"] = torch::tensor({0, 200, 255}, torch::kByte);
  m["bool"] = torch::tensor({true, false, true});
  const std::string bytes = serializeSafetensors(m, StoreDtype::F16);  // integer types ignore the float dtype
  std::map<std::string, std::string> dtypes;
  for (const TensorInfo& t : parseSafetensors(bytes, "mem").tensors) dtypes[t.name] = t.dtype;
  QCOMPARE(dtypes.at("i64"), std::string("I64"));
  QCOMPARE(dtypes.at("i32"), std::string("I32"));
  QCOMPARE(dtypes.at("u8"), std::string("U8"));
  QCOMPARE(dtypes.at("bool"), std::string("BOOL"));
  expectSameMaps(m, decodeSafetensors(bytes, "mem"));

  // BOOL bytes other than 0/1 are read as true rather than as an invalid bool.
  const std::string header = "{" + entry("b", "BOOL", "[3]", 0, 3) + "}";
  const at::Tensor b = decodeSafetensors(image(header) + std::string("\x00\x01\x07", 3), "mem").at("b");
  QCOMPARE(b.scalar_type(), at::kBool);
  QVERIFY(at::equal(b, torch::tensor({false, true, true})));
}

void TestIo::headerPaddedWithFormatPt() {
  TensorMap m;
  for (int n = 1; n <= 9; ++n) {
    m[std::string(n, 'k')] = torch::randn({n});
    const std::string bytes = serializeSafetensors(m, StoreDtype::F32, {{"note", "hi"}, {"format", "ignored"}});
    uint64_t hn = 0;
    for (int i = 7; i >= 0; --i) hn = (hn << 8) | static_cast<unsigned char>(bytes[i]);
    QCOMPARE(hn % 8, uint64_t(0));
    const std::string text = bytes.substr(8, hn);
    const size_t last = text.find_last_not_of(' ');
    QCOMPARE(text[last], '}');
    QVERIFY(text.size() - last - 1 < 8);
    const nlohmann::json j = nlohmann::json::parse(text);
    QCOMPARE(j["__metadata__"]["format"].get<std::string>(), std::string("pt"));
    QCOMPARE(j["__metadata__"]["note"].get<std::string>(), std::string("hi"));
    // Packed in name order with no gaps.
    uint64_t expected = 0;
    for (const auto& [name, t] : m) {
      QCOMPARE(j[name]["data_offsets"][0].get<uint64_t>(), expected);
      expected = j[name]["data_offsets"][1].get<uint64_t>();
    }
    QCOMPARE(bytes.size(), 8 + hn + expected);
    QCOMPARE(parseSafetensors(bytes, "mem").metadata.at("format"), std::string("pt"));
  }
}

void TestIo::writerRejectsUnsupportedTypes() {
  QVERIFY(errorOf([] { serializeSafetensors({{"x", torch::zeros({2}, torch::kInt8)}}); }).find("\"x\"") != std::string::npos);
  QVERIFY(!errorOf([] { serializeSafetensors({{"u", at::Tensor()}}); }).empty());
  QVERIFY(!errorOf([] { serializeSafetensors({{"__metadata__", torch::zeros({1})}}); }).empty());
  QVERIFY(!errorOf([] { writeSafetensors("/nonexistent-dir/x.safetensors", {}); }).empty());
}

void TestIo::readHeaderOnly() {
  TensorMap m = sampleModel();
  QTemporaryDir dir;
  const std::string path = dir.filePath("h.safetensors").toStdString();
  writeSafetensors(path, m, StoreDtype::BF16, {{"k", "v"}});
  const SafetensorsHeader h = readSafetensorsHeader(path);
  QCOMPARE(h.tensors.size(), m.size());
  QCOMPARE(h.metadata.at("k"), std::string("v"));
  QCOMPARE(h.dataStart % 8, uint64_t(0));
  for (size_t i = 1; i < h.tensors.size(); ++i) QVERIFY(h.tensors[i - 1].end == h.tensors[i].begin);
  QCOMPARE(h.tensors.back().end + h.dataStart, uint64_t(fs::file_size(path)));
}

void TestIo::fileErrors() {
  QTemporaryDir dir;
  const std::string missing = dir.filePath("nope.safetensors").toStdString();
  QVERIFY(errorOf([&] { readSafetensors(missing); }).find(missing) != std::string::npos);
  QVERIFY(errorOf([&] { readSafetensorsHeader(missing); }).find("does not exist") != std::string::npos);
  const std::string folder = dir.path().toStdString();
  QVERIFY(errorOf([&] { readSafetensors(folder); }).find("directory") != std::string::npos);
}

void TestIo::strictJson() {
  QVERIFY(isValidUtf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  QVERIFY(!isValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  QVERIFY(!isValidUtf8("\xe0\x80\xaf"));      // overlong
  QVERIFY(!isValidUtf8("\x80"));
  QCOMPARE(parseStrictJson("{\"a\":[{\"x\":1},{\"x\":2}]}", "j")["a"][1]["x"].get<int>(), 2);  // same key, different objects
  QVERIFY(errorOf([] { parseStrictJson("{\"a\":{\"x\":1,\"x\":2}}", "j.json"); }).find("duplicate key \"x\"") !=
          std::string::npos);
}

void TestIo::folderSingleFile() {
  QTemporaryDir dir;
  const std::string folder = dir.filePath("nested/model").toStdString();  // created on save
  const TensorMap m = sampleModel();
  saveFolderWeights(folder, m);
  QVERIFY(fs::exists(folder + "/model.safetensors"));
  expectSameMaps(m, loadFolderWeights(folder));
}

void TestIo::folderShardedEqualsUnsharded() {
  QTemporaryDir dir;
  const TensorMap m = sampleModel();
  const std::string single = dir.filePath("single").toStdString(), sharded = dir.filePath("sharded").toStdString();
  saveFolderWeights(single, m);
  saveFolderWeights(sharded, m, StoreDtype::F32, 2000);
  QVERIFY(!fs::exists(sharded + "/model.safetensors"));

  const nlohmann::json index = nlohmann::json::parse(readFile(sharded + "/model.safetensors.index.json"));
  uint64_t total = 0;
  for (const auto& [name, t] : m) total += t.numel() * t.element_size();
  QCOMPARE(index["metadata"]["total_size"].get<uint64_t>(), total);
  std::set<std::string> files;
  for (const auto& [name, file] : index["weight_map"].items()) files.insert(file.get<std::string>());
  QVERIFY(files.size() >= 2);
  const std::string n = std::to_string(files.size());
  QVERIFY(files.count("model-00001-of-0000" + n + ".safetensors"));
  QVERIFY(files.count("model-0000" + n + "-of-0000" + n + ".safetensors"));
  QCOMPARE(index["weight_map"].size(), m.size());

  expectSameMaps(loadFolderWeights(single), loadFolderWeights(sharded));
  expectSameMaps(m, loadFolderWeights(sharded));

  // Saving unsharded over a sharded folder removes the stale shards and index.
  saveFolderWeights(sharded, m, StoreDtype::F32, 0);
  QVERIFY(!fs::exists(sharded + "/model.safetensors.index.json"));
  QVERIFY(!fs::exists(sharded + "/model-00001-of-0000" + n + ".safetensors"));
  expectSameMaps(m, loadFolderWeights(sharded));
  // A limit above the total writes one file.
  saveFolderWeights(sharded, m, StoreDtype::F32, total);
  QVERIFY(fs::exists(sharded + "/model.safetensors"));
}

void TestIo::folderIndexErrors() {
  QTemporaryDir dir;
  const std::string folder = dir.path().toStdString();
  const std::string index = folder + "/model.safetensors.index.json";
  writeSafetensors(folder + "/s1.safetensors", {{"a", torch::ones({2})}, {"extra", torch::ones({1})}});
  auto errorWithIndex = [&](const std::string& text) {
    writeFile(index, text);
    return errorOf([&] { loadFolderWeights(folder); });
  };

  // Valid: exactly the weight_map tensors come back (the shard's extra tensor is not listed).
  writeFile(index, R"({"metadata":{"total_size":8},"weight_map":{"a":"s1.safetensors"}})");
  const TensorMap ok = loadFolderWeights(folder);
  QCOMPARE(ok.size(), size_t(1));
  QVERIFY(at::equal(ok.at("a"), torch::ones({2})));

  std::string e = errorWithIndex(R"({"weight_map":{"a":"s1.safetensors","b":"s1.safetensors"}})");
  QVERIFY2(e.find("\"b\"") != std::string::npos && e.find("s1.safetensors") != std::string::npos, e.c_str());
  e = errorWithIndex(R"({"weight_map":{"a":"s2.safetensors"}})");
  QVERIFY2(e.find("s2.safetensors") != std::string::npos && e.find("missing") != std::string::npos, e.c_str());
  e = errorWithIndex(R"({"weight_map":{"a":"s1.safetensors")");
  QVERIFY2(e.find("not valid JSON") != std::string::npos && e.find(index) != std::string::npos, e.c_str());
  e = errorWithIndex(R"({"metadata":{}})");
  QVERIFY2(e.find("weight_map") != std::string::npos, e.c_str());
  e = errorWithIndex(R"({"weight_map":{"a":5}})");
  QVERIFY2(e.find("\"a\"") != std::string::npos, e.c_str());
  e = errorWithIndex(R"({"weight_map":{"a":"../s1.safetensors"}})");
  QVERIFY2(e.find("plain file name") != std::string::npos, e.c_str());
  e = errorWithIndex(R"({"weight_map":{"a":"s1.safetensors","a":"s1.safetensors"}})");
  QVERIFY2(e.find("duplicate") != std::string::npos, e.c_str());
  e = errorWithIndex(R"({"metadata":3,"weight_map":{}})");
  QVERIFY2(e.find("metadata") != std::string::npos, e.c_str());
  e = errorWithIndex("[]");
  QVERIFY2(e.find("not a JSON object") != std::string::npos, e.c_str());
  // A corrupt shard is reported with the shard's own path.
  writeFile(folder + "/s1.safetensors", "short");
  e = errorWithIndex(R"({"weight_map":{"a":"s1.safetensors"}})");
  QVERIFY2(e.find("s1.safetensors: file is 5 bytes") != std::string::npos, e.c_str());
}

// A pytorch_model.bin that is not a torch.save archive is refused naming the file (tests/torch_pickle reads real
// ones); a .bin under another name is no weights file.
void TestIo::folderPickleOnly() {
  QTemporaryDir dir;
  const std::string folder = dir.path().toStdString();
  writeFile(folder + "/config.json", "{}");
  writeFile(folder + "/pytorch_model.bin", "PK\x03\x04 pickle");
  std::string e = errorOf([&] { loadFolderWeights(folder); });
  QVERIFY2(e.find("pytorch_model.bin: ") != std::string::npos && e.find("ZIP") != std::string::npos, e.c_str());

  fs::rename(folder + "/pytorch_model.bin", folder + "/model.bin");
  e = errorOf([&] { loadFolderWeights(folder); });
  QVERIFY2(e.find("no weights") != std::string::npos && e.find("pytorch_model.bin") != std::string::npos, e.c_str());
}

void TestIo::folderMissingOrEmpty() {
  QTemporaryDir dir;
  const std::string missing = dir.filePath("missing").toStdString();
  std::string e = errorOf([&] { loadFolderWeights(missing); });
  QVERIFY2(e.find(missing) != std::string::npos && e.find("does not exist") != std::string::npos, e.c_str());
  e = errorOf([&] { loadFolderWeights(dir.path().toStdString()); });
  QVERIFY2(e.find("no weights in the model folder (model.safetensors") != std::string::npos, e.c_str());
}

void TestIo::readSpeed50MB() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("big.safetensors").toStdString();
  const TensorMap m{{"a", torch::randn({2500, 2500})}, {"b", torch::randn({2500, 2500})}};  // 50 MB of F32
  writeSafetensors(path, m);
  QElapsedTimer timer;
  timer.start();
  const TensorMap back = readSafetensors(path);
  const qint64 f32ms = timer.elapsed();
  QVERIFY(bitEqual(back.at("a"), m.at("a")) && bitEqual(back.at("b"), m.at("b")));

  writeSafetensors(path, m, StoreDtype::BF16);  // 25 MB of BF16 -> 50 MB of float
  timer.restart();
  const TensorMap bf = readSafetensors(path);
  const qint64 bf16ms = timer.elapsed();
  QCOMPARE(bf.at("a").scalar_type(), at::kFloat);
  QVERIFY(bitEqual(bf.at("b"), m.at("b").to(at::kBFloat16).to(at::kFloat)));
  // The speed is reported, not asserted: a timing gate in a unit test fails on a busy machine.
  // scripts/bench_read_speed.sh holds the 1000 ms gate.
  qInfo("read 50 MB F32: %lld ms; 25 MB BF16 -> F32: %lld ms", f32ms, bf16ms);
}

QTEST_MAIN(TestIo)
#include "tst_io.moc"
