// torch.save files (pytorch_model.bin) read without running pickle code: every dtype, shared storages and
// views, parameters, a BERT folder that loads the same as its safetensors twin (whole and sharded), and the
// refusals: the legacy format, a pickled module, a training checkpoint, damaged and hostile archives.
// Fixtures: tests/data/torch_pickle, written by scripts/make_torch_pickle_fixtures.py with python3-torch.
// LibTorch before Qt: Qt's `slots` keyword macro breaks torch headers.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <functional>

#include "io/safetensors.h"
#include "io/torch_pickle.h"
#include "io/weights_folder.h"
#include "io/zip_archive.h"
#include "methods/adapter_folder.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "util/error.h"
#include "../common/error_of.h"

using namespace pw;
using namespace pw::io;
using namespace std::string_literals;
namespace fs = std::filesystem;
using pwtest::errorOf;

namespace {

std::string fixture(const std::string& name) { return std::string(PW_TEST_DATA) + "/torch_pickle/" + name; }

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool same(const at::Tensor& a, const at::Tensor& b) {
  return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() && (a.numel() == 0 || a.equal(b));
}

// The bytes of `entry` inside a torch.save archive image (for targeted damage).
size_t entryOffset(const std::string& image, const std::string& entry) {
  const ZipArchive zip(image, "x");
  return size_t(zip.entry(entry).data() - image.data());
}

}  // namespace

class TestTorchPickle : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everyKindOfTensor() {
    const TensorMap m = readTorchPickle(fixture("kinds.bin"));
    const at::Tensor a = torch::arange(12, torch::kFloat).reshape({3, 4}) / 4;
    const at::Tensor base = torch::arange(20, torch::kFloat).reshape({5, 4});
    QCOMPARE(int(m.size()), 16);
    // Floats of every width come back as float32 (as from safetensors), the values exact (a quarter steps).
    for (const char* k : {"f32", "f16", "bf16", "f64"}) QVERIFY2(same(m.at(k), a), k);
    QVERIFY(same(m.at("i64"), torch::arange(5, torch::kLong)));
    QVERIFY(same(m.at("i32"), torch::arange(5, torch::kInt) - 2));
    QVERIFY(same(m.at("u8"), torch::arange(4, torch::kByte)));
    QVERIFY(same(m.at("bool"), torch::tensor({true, false, true})));
    QVERIFY(same(m.at("param"), torch::arange(6, torch::kFloat).reshape({2, 3})));
    // Views of one storage: each its own offset and strides, each result contiguous and owning its memory.
    QVERIFY(same(m.at("shared_a"), base.slice(0, 0, 2)));
    QVERIFY(same(m.at("shared_b"), base.slice(0, 1, 3)));
    QVERIFY(same(m.at("transposed"), base.t().contiguous()));
    QVERIFY(same(m.at("row"), base[2]));
    QVERIFY(same(m.at("strided"), base.slice(1, 0, 4, 2).contiguous()));
    for (const auto& [name, t] : m) QVERIFY2(t.is_contiguous(), name.c_str());
    QVERIFY(m.at("shared_a").data_ptr() != m.at("shared_b").data_ptr());
    QVERIFY(same(m.at("scalar"), torch::tensor(3.5f)));
    QCOMPARE(m.at("scalar").dim(), int64_t(0));
    QVERIFY(same(m.at("empty"), torch::zeros({0, 4})));
  }

  void refusesWhatIsNotAStateDict() {
    std::string e = errorOf([] { readTorchPickle(fixture("legacy.bin")); });
    QVERIFY2(e.find("legacy format") != std::string::npos && e.find("legacy.bin") != std::string::npos, e.c_str());
    e = errorOf([] { readTorchPickle(fixture("module.bin")); });
    QVERIFY2(e.find("torch.nn.modules.linear.Linear") != std::string::npos && e.find("no pickle code") != std::string::npos,
             e.c_str());
    e = errorOf([] { readTorchPickle(fixture("checkpoint.bin")); });
    QVERIFY2(e.find("\"state_dict\" holds a dict, not a tensor") != std::string::npos, e.c_str());
    e = errorOf([] { decodeTorchPickle("hello", "x.bin"); });
    QVERIFY2(e.find("x.bin: not a torch.save file") != std::string::npos, e.c_str());
    QTemporaryDir dir;
    e = errorOf([&] { readTorchPickle(dir.path().toStdString()); });
    QVERIFY2(e.find("not a regular file") != std::string::npos, e.c_str());
  }

  void damagedArchivesAreRefused() {
    const std::string good = readFile(fixture("kinds.bin"));
    QVERIFY(!good.empty());
    // One flipped byte inside a storage: the CRC-32 says which entry.
    std::string flipped = good;
    flipped[entryOffset(good, "kinds/data/0")] ^= 0x40;
    std::string e = errorOf([&] { decodeTorchPickle(flipped, "k.bin"); });
    QVERIFY2(e.find("kinds/data/0") != std::string::npos && e.find("CRC-32") != std::string::npos, e.c_str());
    // Cut short: every prefix of the file is refused with a message (never a crash or a wrong success).
    for (size_t n : {size_t(0), size_t(3), size_t(30), good.size() / 3, good.size() / 2, good.size() - 23, good.size() - 1}) {
      e = errorOf([&] { decodeTorchPickle(good.substr(0, n), "k.bin"); });
      QVERIFY2(e.find("k.bin") == 0, (std::to_string(n) + ": " + e).c_str());
    }
    // A damaged pickle (its CRC made to match, so the machine itself must refuse it): every byte of
    // data.pkl in turn, replaced by an opcode that pops or by junk.
    const size_t pklAt = entryOffset(good, "kinds/data.pkl");
    const ZipArchive zip(good, "k.bin");
    const size_t pklSize = zip.entry("kinds/data.pkl").size();
    int refused = 0;
    for (size_t i = 0; i < pklSize; i += 7) {
      for (char junk : {'0', 'e', '\xff'}) {
        std::string bad = good;
        bad[pklAt + i] = junk;
        rewriteCrc(bad, "kinds/data.pkl");
        try {
          decodeTorchPickle(bad, "k.bin");  // some changes keep a valid pickle (a digit of a value)
        } catch (const pw::Error& err) {
          QVERIFY2(std::string(err.what()).find("k.bin: ") == 0, err.what());
          ++refused;
        }
      }
    }
    QVERIFY(refused > 0);
  }

  void hostilePicklesAreRefused() {
    // Hand-made data.pkl bodies in a minimal archive: a call of os.system, a deep nest, a self-containing list,
    // a view past its storage, a broadcast view, a memo read never stored.
    const std::string storage = "(" "X\x07\x00\x00\x00" "storage" "c" "torch\nFloatStorage\n" "X\x01\x00\x00\x00" "0"
                                "X\x03\x00\x00\x00" "cpu" "K\x02" "t" "Q"s;
    auto tensorPkl = [&](const std::string& sizeStride) {
      return "\x80\x02" "}" "(" "X\x01\x00\x00\x00" "w" "c" "torch._utils\n_rebuild_tensor_v2\n" "("s + storage +
             "K\x00"s + sizeStride + "\x89" ")" "t" "R" "u" "."s;
    };
    struct Case {
      std::string pkl, expect;
    } cases[] = {
        {"\x80\x02" "cos\nsystem\n" "X\x02\x00\x00\x00" "ls" "R."s, "os.system"},
        {"\x80\x02"s + std::string(200, ']') + std::string(199, 'a') + ".", "nested"},
        {"\x80\x02" "]" "q\x00" "h\x00" "a."s, "inside itself"},
        {"\x80\x02" "]" "q\x00" "]" "h\x00" "aa."s, "after placing it"},
        {tensorPkl("K\x03" "\x85" "K\x01" "\x85"s), "larger than its storage"},
        {tensorPkl("K\x02" "\x85" "K\x02" "\x85"s), "outside its storage"},
        {tensorPkl("K\x02" "K\x02" "\x86" "K\x00" "K\x01" "\x86"s), "larger than its storage"},
        {"\x80\x02" "h\x05" "."s, "never stored"},
        {"\x80\x02" "(" "N" "."s, "ends inside a MARK"},
        {"\x80\x02" "}" "X\x05\x00\x00\x00"s, "runs past the end"},
    };
    for (const Case& c : cases) {
      const std::string image = archive(c.pkl, std::string(8, '\0'));
      const std::string e = errorOf([&] { decodeTorchPickle(image, "h.bin"); });
      QVERIFY2(e.find("h.bin: ") == 0 && e.find(c.expect) != std::string::npos, (c.expect + " -> " + e).c_str());
    }
    // The same minimal archive with a good view reads.
    const TensorMap ok = decodeTorchPickle(archive(tensorPkl("K\x02" "\x85" "K\x01" "\x85"s), std::string(8, '\0')), "ok.bin");
    QVERIFY(same(ok.at("w"), torch::zeros({2})));
  }

  // The same tiny BERT as pytorch_model.bin, as two .bin shards and as model.safetensors: the same tensors,
  // and the loaded models give the same logits.
  void binFoldersLoadLikeSafetensors() {
    const TensorMap st = loadFolderWeights(fixture("bert_safetensors"));
    for (const char* folder : {"bert_bin", "bert_bin_sharded"}) {
      const TensorMap bin = loadFolderWeights(fixture(folder));
      QCOMPARE(bin.size(), st.size());
      for (const auto& [name, t] : st) QVERIFY2(bin.count(name) && same(bin.at(name), t), (std::string(folder) + " " + name).c_str());
    }
    QCOMPARE(folderWeightsFile(fixture("bert_bin")), fixture("bert_bin") + "/pytorch_model.bin");
    torch::NoGradGuard noGrad;
    LoadedModel a = loadModel(fixture("bert_safetensors"));
    LoadedModel b = loadModel(fixture("bert_bin"));
    QVERIFY(a.tokenizer && b.tokenizer);
    a.model->eval();
    b.model->eval();
    ModelInputs in;
    in.ids = torch::tensor({2, 5, 9, 3, 0, 2, 7, 3, 0, 0}, torch::kLong).reshape({2, 5});
    in.mask = in.ids.ne(0).to(torch::kLong);
    const at::Tensor fa = a.model->pooledFeatures(in), fb = b.model->pooledFeatures(in);
    QCOMPARE(fa.size(1), int64_t(16));
    QVERIFY(fa.equal(fb));
  }

  // A PEFT LoRA adapter saved as adapter_model.bin (PEFT before 0.6) loads like its safetensors twin, and
  // the adapter changes the model's output (its lora_B is not zero).
  void peftAdapterBinLoads() {
    torch::NoGradGuard noGrad;
    ModelInputs in;
    in.ids = torch::tensor({2, 5, 9, 3, 0, 2, 7, 3, 0, 0}, torch::kLong).reshape({2, 5});
    in.mask = in.ids.ne(0).to(torch::kLong);
    at::Tensor logits[2];
    const char* folders[2] = {"lora_bin", "lora_safetensors"};
    for (int k = 0; k < 2; ++k) {
      LoadedModel m = loadModel(fixture("bert_bin"));
      m.model->eval();
      std::unique_ptr<Method> lora = loadAdapter(*m.model, fixture(folders[k]));
      QVERIFY(lora && m.model->hasClassifier());
      logits[k] = m.model->classify(in);
      QCOMPARE(logits[k].size(1), int64_t(3));
    }
    QVERIFY(logits[0].equal(logits[1]));
  }

  void crcVectors() {
    QCOMPARE(zipCrc32(""), 0u);
    QCOMPARE(zipCrc32("123456789"), 0xcbf43926u);  // the standard check value of CRC-32/ISO-HDLC
  }

 private:
  // A stored ZIP of archive/data.pkl and archive/data/0.
  static std::string archive(const std::string& pkl, const std::string& storage0) {
    return storedZip({{"archive/data.pkl", pkl}, {"archive/data/0", storage0}});
  }

  // Sets the CRC-32 of `entry` in both its local and central headers to match its (changed) data.
  static void rewriteCrc(std::string& image, const std::string& entry) {
    const ZipArchive before(std::string_view(image.data(), image.size()), "x", /*checkCrc=*/false);
    const std::string_view data = before.entry(entry);
    const uint32_t crc = zipCrc32(data);
    for (size_t at = image.find(entry); at != std::string::npos; at = image.find(entry, at + 1)) {
      const bool central = at >= 46 && image.compare(at - 46, 4, "PK\x01\x02") == 0;
      const bool local = at >= 30 && image.compare(at - 30, 4, "PK\x03\x04") == 0;
      const size_t crcAt = central ? at - 46 + 16 : local ? at - 30 + 14 : std::string::npos;
      if (crcAt == std::string::npos) continue;
      for (int i = 0; i < 4; ++i) image[crcAt + size_t(i)] = char((crc >> (8 * i)) & 0xff);
    }
  }
};

QTEST_MAIN(TestTorchPickle)
#include "tst_torch_pickle.moc"
