// Base-model layout from a config alone (see model_layout.h).
#include "methods/model_layout.h"

#include <regex>
#include <set>

#include "util/error.h"

namespace pw {
namespace {

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool isRegexPattern(const std::string& pattern) { return pattern.find_first_of("*?[]()|^$+{}\\") != std::string::npos; }

std::regex compiledPattern(const std::string& pattern) {
  try {
    return std::regex(pattern);
  } catch (const std::regex_error&) {
    throw Error("target pattern \"" + pattern + "\" is not a valid regular expression");
  }
}

bool nameMatches(const std::string& pattern, const std::string& name) {
  if (isRegexPattern(pattern)) return std::regex_match(name, compiledPattern(pattern));
  return name == pattern || endsWith(name, "." + pattern);
}

}  // namespace

void checkTargetPatterns(const std::vector<std::string>& patterns) {
  for (const auto& p : patterns)
    if (isRegexPattern(p)) compiledPattern(p);
}

int64_t BaseTensor::numel() const {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

std::vector<BaseTensor> baseTensors(const ModelConfig& c) {
  const int64_t d = c.hidden, f = c.intermediate;
  const bool bert = c.family == Family::Bert;
  std::vector<BaseTensor> t;
  t.push_back({"word_embeddings.weight", {c.vocabSize, d}});
  t.push_back({"position_embeddings.weight", {c.maxPositions, d}});
  if (bert) {
    if (c.typeVocabSize > 0) t.push_back({"token_type_embeddings.weight", {c.typeVocabSize, d}});
    t.push_back({"embeddings_norm.weight", {d}});
    t.push_back({"embeddings_norm.bias", {d}});
  }
  for (int64_t i = 0; i < c.layers; ++i) {
    const std::string l = "layers." + std::to_string(i) + ".";
    for (const char* p : {"query", "key", "value", "output"}) {
      t.push_back({l + "attention." + p + ".weight", {d, d}});
      t.push_back({l + "attention." + p + ".bias", {d}});
    }
    t.push_back({l + "attn_norm.weight", {d}});
    t.push_back({l + "attn_norm.bias", {d}});
    t.push_back({l + "intermediate.weight", {f, d}});
    t.push_back({l + "intermediate.bias", {f}});
    t.push_back({l + "output.weight", {d, f}});
    t.push_back({l + "output.bias", {d}});
    t.push_back({l + "ffn_norm.weight", {d}});
    t.push_back({l + "ffn_norm.bias", {d}});
  }
  if (bert) {
    t.push_back({"pooler.weight", {d, d}});
    t.push_back({"pooler.bias", {d}});
  } else {
    t.push_back({"final_norm.weight", {d}});
    t.push_back({"final_norm.bias", {d}});
  }
  return t;
}

int64_t baseParameterTotal(const ModelConfig& config) {
  int64_t n = 0;
  for (const auto& t : baseTensors(config)) n += t.numel();
  return n;
}

bool isUnusedForClassification(const ModelConfig& config, const std::string& name) {
  return config.family == Family::Bert && config.pooling == "mean" && name.rfind("pooler.", 0) == 0;
}

bool isBaseTensorName(const ModelConfig& config, const std::string& name) {
  // The names depend only on the model type, the layer count and whether there are token types: keep the
  // last set.
  static thread_local std::set<std::string> names;
  static thread_local std::string key;
  const std::string now = config.modelType() + "/" + std::to_string(config.layers) + "/" +
                          std::to_string(config.typeVocabSize > 0);
  if (key != now) {
    names.clear();
    for (const auto& t : baseTensors(config)) names.insert(t.name);
    key = now;
  }
  return names.count(name) > 0;
}

std::string hfLayerPrefix(const ModelConfig& c, int64_t layer) {
  const std::string index = std::to_string(layer);
  if (c.family == Family::Gpt2) return "transformer.h." + index + ".";
  return c.weightPrefix() + (c.distilbert ? "transformer.layer." : "encoder.layer.") + index + ".";
}

std::string hfLinearName(const ModelConfig& c, int64_t layer, const std::string& module) {
  const std::string name = "layers." + std::to_string(layer) + "." + module;
  for (const auto& site : linearSites(c))
    if (site.name == name) return site.hfName;
  throw Error("internal: no linear layer \"" + name + "\"");
}

std::vector<LinearSite> linearSites(const ModelConfig& c) {
  const int64_t d = c.hidden, f = c.intermediate;
  const bool bert = c.family == Family::Bert, distil = c.distilbert;
  std::vector<LinearSite> s;
  for (int64_t i = 0; i < c.layers; ++i) {
    const std::string l = "layers." + std::to_string(i) + ".";
    const std::string h = hfLayerPrefix(c, i);
    const char* qkv[] = {"query", "key", "value"};
    const char* distilQkv[] = {"q_lin", "k_lin", "v_lin"};
    for (int p = 0; p < 3; ++p) {
      if (distil) s.push_back({l + "attention." + qkv[p], h + "attention." + distilQkv[p], -1, i, d, d});
      else if (bert) s.push_back({l + "attention." + qkv[p], h + "attention.self." + qkv[p], -1, i, d, d});
      else s.push_back({l + "attention." + qkv[p], h + "attn.c_attn", p, i, d, d});
    }
    s.push_back({l + "attention.output",
                 h + (distil ? "attention.out_lin" : bert ? "attention.output.dense" : "attn.c_proj"), -1, i, d, d});
    s.push_back({l + "intermediate", h + (distil ? "ffn.lin1" : bert ? "intermediate.dense" : "mlp.c_fc"), -1, i, d, f});
    s.push_back({l + "output", h + (distil ? "ffn.lin2" : bert ? "output.dense" : "mlp.c_proj"), -1, i, f, d});
  }
  return s;
}

bool targetMatches(const std::string& pattern, const LinearSite& site) {
  // "ffn_output": the feed-forward's second linear ("layers.N.output"), which the suffix "output" cannot name
  // alone (it also ends "layers.N.attention.output").
  if (pattern == "ffn_output") return site.name == "layers." + std::to_string(site.layer) + ".output";
  return nameMatches(pattern, site.name) || nameMatches(pattern, site.hfName);
}

std::vector<LinearSite> selectTargets(const ModelConfig& config, const std::vector<std::string>& patterns) {
  if (patterns.empty()) throw Error("no target modules given");
  for (const auto& p : patterns)
    if (p == "output")
      throw Error("target \"output\" names two layers: the attention output and the feed-forward output; give "
                  "attention.output, ffn_output, or both");
  std::vector<LinearSite> sites = linearSites(config), out;
  std::set<std::string> unmatched(patterns.begin(), patterns.end());
  for (const auto& site : sites) {
    bool any = false;
    for (const auto& p : patterns) {
      if (targetMatches(p, site)) {
        any = true;
        unmatched.erase(p);
      }
    }
    if (any) out.push_back(site);
  }
  if (!unmatched.empty()) {
    std::string list;
    for (const auto& p : unmatched) list += (list.empty() ? "\"" : ", \"") + p + "\"";
    throw Error("target " + list + " matches no layer of this " + config.familyName() +
                " model (linear layers: query, key, value, attention.output, intermediate, ffn_output; or their "
                "Hugging Face names such as " + sites.front().hfName + ")");
  }
  return out;
}

std::string hfTensorName(const ModelConfig& c, const std::string& name) {
  const bool bert = c.family == Family::Bert;
  auto dot = name.rfind('.');
  const std::string module = name.substr(0, dot), leaf = name.substr(dot + 1);
  if (name.rfind("layers.", 0) == 0) {
    for (const auto& site : linearSites(c))
      if (site.name == module) return site.hfName + "." + leaf;
    auto second = name.find('.', 7);
    const std::string index = name.substr(7, second - 7), rest = name.substr(second + 1);
    const std::string h = hfLayerPrefix(c, std::stoll(index));
    if (rest.rfind("attn_norm.", 0) == 0)
      return h + (c.distilbert ? "sa_layer_norm." : bert ? "attention.output.LayerNorm." : "ln_1.") + leaf;
    if (rest.rfind("ffn_norm.", 0) == 0)
      return h + (c.distilbert ? "output_layer_norm." : bert ? "output.LayerNorm." : "ln_2.") + leaf;
  }
  if (bert) {
    if (module == "word_embeddings" || module == "position_embeddings" || module == "token_type_embeddings")
      return c.weightPrefix() + "embeddings." + name;
    if (module == "embeddings_norm") return c.weightPrefix() + "embeddings.LayerNorm." + leaf;
    if (module == "pooler") return c.poolerName() + "." + leaf;
  } else {
    if (module == "word_embeddings") return "transformer.wte." + leaf;
    if (module == "position_embeddings") return "transformer.wpe." + leaf;
    if (module == "final_norm") return "transformer.ln_f." + leaf;
  }
  throw Error("internal: no Hugging Face name for \"" + name + "\"");
}

std::vector<std::string> hfHeadNames(const ModelConfig& config) {
  if (config.family == Family::Bert) return {"classifier.weight", "classifier.bias"};
  return {"score.weight"};
}

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace pw
