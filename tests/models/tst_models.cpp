// Model tests: HF folder round trips, padding invariance, GPT-2 causality, a hand-computed one-layer
// reference for each family, the Hugging Face name variants, and bad model folders.
// pw-test-libs: pw_models pw_io pw_tokenizers pw_util
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/safetensors.h"
#include "io/weights_folder.h"
#include "models/model_folder.h"
#include "util/error.h"
#include "util/strict_json.h"
#include "models/config.h"
#include "models/model_paths.h"

using namespace pw;
namespace fs = std::filesystem;

namespace {

ModelConfig tinyConfig(Family f, int64_t layers = 2, int64_t d = 16, int64_t heads = 4) {
  ModelConfig c = makeConfig(f, 50, layers, d, heads, 32);
  c.dropout = 0.0;
  c.attentionDropout = 0.0;
  return c;
}

// The test rows' model kinds: 0 BERT, 1 GPT-2 (the Family values), 2 DistilBERT (same sizes, its own keys).
ModelConfig tinyConfigOfKind(int kind) {
  if (kind != 2) return tinyConfig(Family(kind));
  ModelConfig c = ModelConfig::fromJson({{"model_type", "distilbert"}, {"vocab_size", 50}, {"dim", 16},
                                         {"n_layers", 2}, {"n_heads", 4}, {"hidden_dim", 64},
                                         {"max_position_embeddings", 32}, {"dropout", 0.0},
                                         {"attention_dropout", 0.0}, {"classifier_pooling", "cls"}});
  return c;
}

ModelInputs inputs(const std::vector<std::vector<int64_t>>& rows, int64_t pad = 0) {
  size_t T = 0;
  for (auto& r : rows) T = std::max(T, r.size());
  at::Tensor ids = torch::full({int64_t(rows.size()), int64_t(T)}, pad, torch::kLong);
  at::Tensor mask = torch::zeros({int64_t(rows.size()), int64_t(T)}, torch::kLong);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t t = 0; t < rows[i].size(); ++t) {
      ids[i][t] = rows[i][t];
      mask[i][t] = 1;
    }
  return {ids, mask};
}

void writeJson(const std::string& path, const nlohmann::json& j) { std::ofstream(path) << j.dump(2); }

// Reference LayerNorm / GELU written out from their definitions.
at::Tensor refLayerNorm(const at::Tensor& x, const at::Tensor& g, const at::Tensor& b, double eps) {
  at::Tensor mu = x.mean(-1, true);
  at::Tensor var = ((x - mu) * (x - mu)).mean(-1, true);
  return (x - mu) / (var + eps).sqrt() * g + b;
}
at::Tensor refGeluErf(const at::Tensor& x) { return 0.5 * x * (1 + torch::erf(x / std::sqrt(2.0))); }
at::Tensor refGeluTanh(const at::Tensor& x) {
  return 0.5 * x * (1 + torch::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
}

// Attention for one sequence, head by head, with explicit loops over positions.
at::Tensor refAttention(const at::Tensor& x, AdaptableLinearImpl& q, AdaptableLinearImpl& k, AdaptableLinearImpl& v,
                        AdaptableLinearImpl& o, int64_t heads, bool causal) {
  const int64_t T = x.size(0), d = x.size(1), hd = d / heads;
  at::Tensor Q = x.matmul(q.weight.t()) + q.bias, K = x.matmul(k.weight.t()) + k.bias,
             V = x.matmul(v.weight.t()) + v.bias;
  at::Tensor ctx = torch::zeros({T, d});
  for (int64_t h = 0; h < heads; ++h) {
    for (int64_t t = 0; t < T; ++t) {
      int64_t limit = causal ? t + 1 : T;
      std::vector<double> s(limit);
      double mx = -1e30;
      for (int64_t u = 0; u < limit; ++u) {
        s[u] = (Q[t].slice(0, h * hd, (h + 1) * hd) * K[u].slice(0, h * hd, (h + 1) * hd)).sum().item<double>() /
               std::sqrt(double(hd));
        mx = std::max(mx, s[u]);
      }
      double z = 0;
      for (auto& e : s) z += (e = std::exp(e - mx));
      at::Tensor acc = torch::zeros({hd});
      for (int64_t u = 0; u < limit; ++u) acc += (s[u] / z) * V[u].slice(0, h * hd, (h + 1) * hd);
      ctx[t].slice(0, h * hd, (h + 1) * hd).copy_(acc);
    }
  }
  return ctx.matmul(o.weight.t()) + o.bias;
}

void setSmallWeights(TransformerModelImpl& m) {
  torch::NoGradGuard g;
  int i = 0;
  for (auto& p : m.parameters()) {
    at::Tensor vals = torch::arange(p.numel(), torch::kFloat).reshape(p.sizes());
    p.copy_(torch::sin(vals * 0.37 + (++i)) * 0.3);
  }
}

}  // namespace

class TestModels : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(0); }

  void saveLoadBitIdentical_data() {
    QTest::addColumn<int>("family");
    QTest::newRow("bert") << int(Family::Bert);
    QTest::newRow("gpt2") << int(Family::Gpt2);
    QTest::newRow("distilbert") << 2;
  }
  void saveLoadBitIdentical() {
    QFETCH(int, family);
    TransformerModel m(tinyConfigOfKind(family));
    initialiseWeights(*m, 7);
    m->setClassifier({"a", "b", "c"});
    m->eval();
    QTemporaryDir dir;
    saveModel(*m, dir.path().toStdString());
    LoadOptions o;
    o.withTokenizer = false;
    LoadedModel back = loadModel(dir.path().toStdString(), o);
    back.model->eval();
    QCOMPARE(back.model->numClasses(), int64_t(3));
    QCOMPARE(back.model->config().labels[2], std::string("c"));
    torch::NoGradGuard g;
    auto in = inputs({{1, 5, 7, 9}, {2, 3}});
    QVERIFY(torch::equal(m->classify(in), back.model->classify(in)));
    QVERIFY(back.report.unused.empty());
  }

  void paddingInvariance_data() { saveLoadBitIdentical_data(); }
  void paddingInvariance() {
    QFETCH(int, family);
    TransformerModel m(tinyConfigOfKind(family));
    initialiseWeights(*m, 3);
    m->setClassifier({"x", "y"});
    m->eval();
    torch::NoGradGuard g;
    for (std::string pooling : {std::string(family == int(Family::Gpt2) ? "last" : "cls"), std::string("mean")}) {
      m->setPooling(pooling);
      at::Tensor alone = m->classify(inputs({{4, 8, 15, 16}}));
      at::Tensor batch = m->classify(inputs({{23, 42, 11, 12, 13, 14, 3}, {4, 8, 15, 16}}));
      QVERIFY2(torch::allclose(alone[0], batch[1], 1e-5, 1e-5), pooling.c_str());
    }
  }

  void gpt2IsCausal() {
    TransformerModel m(tinyConfig(Family::Gpt2));
    initialiseWeights(*m, 5);
    m->eval();
    torch::NoGradGuard g;
    at::Tensor a = m->encode(inputs({{1, 2, 3, 4, 5, 6}})).hidden;
    at::Tensor b = m->encode(inputs({{1, 2, 3, 9, 9, 9}})).hidden;
    QVERIFY(torch::allclose(a.slice(1, 0, 3), b.slice(1, 0, 3), 1e-6, 1e-6));
    QVERIFY(!torch::allclose(a.slice(1, 3, 4), b.slice(1, 3, 4), 1e-3, 1e-3));
    // BERT is bidirectional: an earlier position does change.
    TransformerModel e(tinyConfig(Family::Bert));
    initialiseWeights(*e, 5);
    e->eval();
    at::Tensor c = e->encode(inputs({{1, 2, 3, 4}})).hidden, d = e->encode(inputs({{1, 2, 3, 9}})).hidden;
    QVERIFY(!torch::allclose(c.slice(1, 0, 1), d.slice(1, 0, 1), 1e-4, 1e-4));
  }

  void bertOneLayerMatchesReference() {
    TransformerModel m(tinyConfig(Family::Bert, 1, 4, 2));
    m->setClassifier({"a", "b"});
    setSmallWeights(*m);
    m->eval();
    std::vector<int64_t> ids = {3, 1, 4, 1, 5};
    at::Tensor got;
    {
      torch::NoGradGuard g;
      got = m->classify(inputs({ids}))[0];
    }
    torch::NoGradGuard g;
    const double eps = 1e-12;
    at::Tensor idT = torch::tensor(ids);
    at::Tensor x = m->word_embeddings->weight.index_select(0, idT) + m->position_embeddings->weight.slice(0, 0, 5) +
                   m->token_type_embeddings->weight[0];
    x = refLayerNorm(x, m->embeddings_norm->weight, m->embeddings_norm->bias, eps);
    auto& b = m->blocks[0];
    auto& at = b->attention;
    at::Tensor h = refLayerNorm(x + refAttention(x, *at->query, *at->key, *at->value, *at->output, 2, false),
                                b->attn_norm->weight, b->attn_norm->bias, eps);
    at::Tensor f = refGeluErf(h.matmul(b->intermediate->weight.t()) + b->intermediate->bias)
                       .matmul(b->output->weight.t()) + b->output->bias;
    h = refLayerNorm(h + f, b->ffn_norm->weight, b->ffn_norm->bias, eps);
    at::Tensor pooled = torch::tanh(h[0].matmul(m->pooler->weight.t()) + m->pooler->bias);
    at::Tensor expect = pooled.matmul(m->classifier->weight.t()) + m->classifier->bias;
    QVERIFY2(torch::allclose(got, expect, 1e-5, 1e-5), "BERT one-layer reference mismatch");
  }

  void gpt2OneLayerMatchesReference() {
    TransformerModel m(tinyConfig(Family::Gpt2, 1, 4, 2));
    m->setClassifier({"a", "b"});
    setSmallWeights(*m);
    m->eval();
    std::vector<int64_t> ids = {2, 7, 1, 8};
    at::Tensor got;
    {
      torch::NoGradGuard g;
      got = m->classify(inputs({ids}))[0];
    }
    torch::NoGradGuard g;
    const double eps = 1e-5;
    at::Tensor x = m->word_embeddings->weight.index_select(0, torch::tensor(ids)) +
                   m->position_embeddings->weight.slice(0, 0, 4);
    auto& b = m->blocks[0];
    auto& at = b->attention;
    at::Tensor h = x + refAttention(refLayerNorm(x, b->attn_norm->weight, b->attn_norm->bias, eps), *at->query,
                                    *at->key, *at->value, *at->output, 2, true);
    at::Tensor n2 = refLayerNorm(h, b->ffn_norm->weight, b->ffn_norm->bias, eps);
    h = h + refGeluTanh(n2.matmul(b->intermediate->weight.t()) + b->intermediate->bias)
                .matmul(b->output->weight.t()) + b->output->bias;
    h = refLayerNorm(h, m->final_norm->weight, m->final_norm->bias, eps);
    at::Tensor expect = h[3].matmul(m->classifier->weight.t());  // score: no bias, last token
    QVERIFY2(torch::allclose(got, expect, 1e-5, 1e-5), "GPT-2 one-layer reference mismatch");
  }

  void huggingFaceNameVariants() {
    // BERT without the "bert." prefix and with LayerNorm.gamma/beta; buffers ignored.
    TransformerModel m(tinyConfig(Family::Bert));
    initialiseWeights(*m, 11);
    io::TensorMap w;
    for (auto& [name, t] : toHuggingFaceWeights(*m)) {
      std::string n = name.rfind("bert.", 0) == 0 ? name.substr(5) : name;
      if (n.size() > 16 && n.compare(n.size() - 16, 16, "LayerNorm.weight") == 0) n = n.substr(0, n.size() - 6) + "gamma";
      else if (n.size() > 14 && n.compare(n.size() - 14, 14, "LayerNorm.bias") == 0) n = n.substr(0, n.size() - 4) + "beta";
      w[n] = t;
    }
    w["embeddings.position_ids"] = torch::arange(32, torch::kLong).unsqueeze(0);
    TransformerModel fresh(tinyConfig(Family::Bert));
    LoadReport r = loadHuggingFaceWeights(*fresh, w, "test.safetensors");
    QVERIFY(r.unused.empty());
    QVERIFY(torch::equal(fresh->blocks[1]->ffn_norm->weight, m->blocks[1]->ffn_norm->weight));
    // GPT-2 as on the Hub: no prefix, fused c_attn [d, 3d], attn.bias buffers.
    TransformerModel g(tinyConfig(Family::Gpt2));
    initialiseWeights(*g, 12);
    io::TensorMap gw;
    for (auto& [name, t] : toHuggingFaceWeights(*g)) gw[name.substr(std::string("transformer.").size())] = t;
    gw["h.0.attn.bias"] = torch::ones({1, 1, 32, 32});
    QCOMPARE(gw.at("h.0.attn.c_attn.weight").sizes().vec(), (std::vector<int64_t>{16, 48}));
    TransformerModel g2(tinyConfig(Family::Gpt2));
    loadHuggingFaceWeights(*g2, gw, "gpt2.safetensors");
    QVERIFY(torch::equal(g2->blocks[0]->attention->value->weight, g->blocks[0]->attention->value->weight));
    QVERIFY(torch::equal(g2->blocks[1]->output->weight, g->blocks[1]->output->weight));
  }

  void badFolders() {
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    auto expectError = [&](const std::string& folder, const std::string& fragment) {
      try {
        LoadOptions o;
        o.withTokenizer = false;
        loadModel(folder, o);
        QFAIL(("no error for " + folder).c_str());
      } catch (const Error& e) {
        std::string msg = e.what();
        QVERIFY2(msg.find(fragment) != std::string::npos, msg.c_str());
      }
    };
    TransformerModel m(tinyConfig(Family::Bert));
    nlohmann::json good = m->config().toJson();
    auto folderWith = [&](const std::string& name, nlohmann::json cfg, bool weights = true) {
      std::string f = root + "/" + name;
      fs::create_directories(f);
      writeJson(f + "/config.json", cfg);
      if (weights) io::saveFolderWeights(f, toHuggingFaceWeights(*m));
      return f;
    };
    nlohmann::json c1 = good;
    c1.erase("num_attention_heads");
    expectError(folderWith("missing_key", c1), "num_attention_heads");
    nlohmann::json c2 = good;
    c2["num_attention_heads"] = 5;
    expectError(folderWith("indivisible", c2), "not divisible");
    nlohmann::json c3 = good;
    c3["hidden_size"] = -16;
    expectError(folderWith("negative", c3), "positive");
    nlohmann::json c4 = good;
    c4["intermediate_size"] = 32;  // weights are 64 wide
    expectError(folderWith("shape", c4), "shape");
    std::string missing = folderWith("missing_weight", good, false);
    io::TensorMap w = toHuggingFaceWeights(*m);
    w.erase("bert.encoder.layer.1.output.dense.weight");
    io::saveFolderWeights(missing, w);
    expectError(missing, "missing weight bert.encoder.layer.1.output.dense.weight");
    std::string bin = folderWith("pickle", good, false);
    std::ofstream(bin + "/pytorch_model.bin") << "PK\x03\x04";
    expectError(bin, "pytorch_model.bin: too short to be a ZIP archive");
    expectError(root + "/does-not-exist", "no model folder");
    std::string notJson = folderWith("notjson", good);
    std::ofstream(notJson + "/config.json") << "{ this is not json";
    expectError(notJson, "not valid JSON");
  }

  void shippedModelsLoadTokenizeClassify() {
    std::vector<std::string> names = shippedModelNames();
    for (const char* expected : {"tiny-bert", "tiny-gpt2"})
      QVERIFY2(std::find(names.begin(), names.end(), expected) != names.end(), expected);
    for (const auto& name : names) {
      LoadedModel m = loadModel(name);
      QVERIFY2(m.tokenizer != nullptr, name.c_str());
      QVERIFY2(m.report.unused.empty(), name.c_str());
      std::vector<int64_t> ids = m.tokenizer->encode("The heart pumps blood through the body.");
      QVERIFY(ids.size() > 3);
      for (int64_t id : ids) QVERIFY(id >= 0 && id < m.model->config().vocabSize);
      m.model->setClassifier({"a", "b", "c"});
      m.model->eval();
      torch::NoGradGuard g;
      at::Tensor logits = m.model->classify(inputs({ids}));
      QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{1, 3}));
      QVERIFY(torch::isfinite(logits).all().item<bool>());
    }
  }

  // What transformers reads from the shipped folders agrees with the model (issue #15): the tokenizer never
  // promises more tokens than the model has positions, and GPT-2's special-token ids are our vocabulary's
  // <|endoftext|> (11999), not GPT-2's 50256.
  void shippedFoldersSayWhatTransformersNeeds() {
    for (const auto& name : shippedModelNames()) {
      const std::string folder = resolveModelFolder(name);
      const ModelConfig c = readConfigFile(folder + "/config.json");
      const nlohmann::json tc = readStrictJsonFile(folder + "/tokenizer_config.json");
      QVERIFY2(tc.at("model_max_length").get<int64_t>() <= c.maxPositions, name.c_str());
      if (c.family == Family::Gpt2) {
        LoadedModel m = loadModel(name);
        const int64_t eot = m.tokenizer->encode("<|endoftext|>").back();
        QCOMPARE(eot, int64_t(11999));
        for (const char* key : {"bos_token_id", "eos_token_id", "pad_token_id"})
          QVERIFY2(c.raw.at(key).get<int64_t>() == eot, key);
      }
    }
  }

  // Saving caps a tokenizer_config.json's model_max_length at the model's positions (a BPE trained with
  // GPT-2's 1024 for a 64-position model says 64 in the saved folder); the other keys stay.
  void savingCapsTheTokenizerMaxLength() {
    QTemporaryDir dir;
    const std::string from = dir.path().toStdString() + "/tok", to = dir.path().toStdString() + "/saved";
    std::filesystem::create_directories(from);
    std::ofstream(from + "/vocab.txt") << "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n";
    std::ofstream(from + "/tokenizer_config.json") << R"({"do_lower_case": true, "model_max_length": 1024})";
    TransformerModel m(makeConfig(Family::Bert, 6, 1, 8, 2, 64));
    saveModel(*m, to, io::StoreDtype::F32, from);
    const nlohmann::json tc = readStrictJsonFile(to + "/tokenizer_config.json");
    QCOMPARE(tc.at("model_max_length").get<int64_t>(), int64_t(64));
    QCOMPARE(tc.at("do_lower_case").get<bool>(), true);
  }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
