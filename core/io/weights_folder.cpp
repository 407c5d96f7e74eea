// Hugging Face model-folder weights: single-file and sharded safetensors, and the same for torch.save's
// pytorch_model.bin (read by the data-only reader in torch_pickle.h).
#include "io/weights_folder.h"

#include "io/torch_pickle.h"
#include "util/strict_json.h"
#include "util/error.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace pw::io {
namespace fs = std::filesystem;
namespace {

const char* kSingle = "model.safetensors";
const char* kIndex = "model.safetensors.index.json";
const char* kBin = "pytorch_model.bin";
const char* kBinIndex = "pytorch_model.bin.index.json";

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path.string(), "cannot open file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A weight_map file entry must be a plain file name inside the folder.
bool isPlainFileName(const std::string& file) {
  return !file.empty() && file != "." && file != ".." && file.find('/') == std::string::npos &&
         file.find('\\') == std::string::npos;
}

TensorMap loadSharded(const fs::path& folder, const char* indexName, TensorMap (*readShard)(const std::string&)) {
  const std::string indexPath = (folder / indexName).string();
  const nlohmann::json index = parseStrictJson(readText(folder / indexName), indexPath);
  if (!index.is_object()) throw fileError(indexPath, "index is not a JSON object");
  if (index.contains("metadata") && !index["metadata"].is_object())
    throw fileError(indexPath, "\"metadata\" is not a JSON object");
  if (!index.contains("weight_map") || !index["weight_map"].is_object())
    throw fileError(indexPath, "missing \"weight_map\" object ({\"tensor name\": \"shard file\"})");

  std::map<std::string, std::vector<std::string>> byShard;  // shard file -> tensor names
  for (const auto& [name, file] : index["weight_map"].items()) {
    if (!file.is_string()) throw fileError(indexPath, "weight_map entry \"" + name + "\" is not a file name string");
    const std::string shard = file.get<std::string>();
    if (!isPlainFileName(shard))
      throw fileError(indexPath, "weight_map entry \"" + name + "\" names \"" + shard +
                                     "\", which is not a plain file name in the folder");
    byShard[shard].push_back(name);
  }

  TensorMap out;
  for (const auto& [shard, names] : byShard) {
    const fs::path shardPath = folder / shard;
    if (!fs::is_regular_file(shardPath))
      throw fileError(indexPath, "shard \"" + shard + "\" listed in weight_map is missing from the folder");
    TensorMap shardTensors = readShard(shardPath.string());
    for (const std::string& name : names) {
      auto it = shardTensors.find(name);
      if (it == shardTensors.end())
        throw fileError(shardPath.string(), "tensor \"" + name + "\" listed in " + indexName + " is not in this shard");
      out[name] = std::move(it->second);
    }
  }
  return out;
}

std::string shardName(size_t k, size_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", k, n);
  return buf;
}

// Removes weight files of either layout, so a new save never mixes with an old one.
void removeStaleWeights(const fs::path& folder) {
  static const std::regex shardPattern(R"(model-\d{5}-of-\d{5}\.safetensors)");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == kSingle || name == kIndex || std::regex_match(name, shardPattern)) fs::remove(entry.path(), ec);
  }
}

uint64_t storedBytes(const at::Tensor& t, StoreDtype dtype) {
  if (!t.defined()) return 0;
  if (!t.is_floating_point()) return static_cast<uint64_t>(t.numel()) * t.element_size();
  return static_cast<uint64_t>(t.numel()) * (dtype == StoreDtype::F32 ? 4 : 2);
}

}  // namespace

std::string folderWeightsFile(const std::string& folderName) {
  const fs::path folder(folderName);
  std::error_code ec;
  for (const char* name : {kSingle, kIndex, kBin, kBinIndex})
    if (fs::exists(folder / name, ec)) return (folder / name).string();
  return (folder / kSingle).string();
}

TensorMap loadFolderWeights(const std::string& folderName) {
  const fs::path folder(folderName);
  std::error_code ec;
  if (!fs::exists(folder, ec)) throw fileError(folderName, "model folder does not exist");
  if (!fs::is_directory(folder, ec)) throw fileError(folderName, "is not a folder (expected a model folder)");

  if (fs::exists(folder / kSingle, ec)) return readSafetensors((folder / kSingle).string());
  if (fs::exists(folder / kIndex, ec)) return loadSharded(folder, kIndex, readSafetensors);
  if (fs::exists(folder / kBin, ec)) return readTorchPickle((folder / kBin).string());
  if (fs::exists(folder / kBinIndex, ec)) return loadSharded(folder, kBinIndex, readTorchPickle);
  throw fileError(folderName, std::string("no weights in the model folder (") + kSingle + ", " + kIndex + ", " + kBin +
                                  " or " + kBinIndex + ")");
}

void saveFolderWeights(const std::string& folderName, const TensorMap& tensors, StoreDtype dtype,
                       uint64_t maxShardBytes) {
  const fs::path folder(folderName);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (!fs::is_directory(folder)) throw fileError(folderName, "cannot create the model folder");

  uint64_t total = 0;
  for (const auto& [name, t] : tensors) total += storedBytes(t, dtype);

  removeStaleWeights(folder);
  if (maxShardBytes == 0 || total <= maxShardBytes) {
    writeSafetensors((folder / kSingle).string(), tensors, dtype);
    return;
  }

  // Greedy in name order; a tensor bigger than the limit gets a shard of its own.
  std::vector<TensorMap> shards(1);
  uint64_t current = 0;
  for (const auto& [name, t] : tensors) {
    const uint64_t bytes = storedBytes(t, dtype);
    if (!shards.back().empty() && current + bytes > maxShardBytes) {
      shards.emplace_back();
      current = 0;
    }
    shards.back()[name] = t;
    current += bytes;
  }

  nlohmann::json weightMap = nlohmann::json::object();
  for (size_t k = 0; k < shards.size(); ++k) {
    const std::string file = shardName(k + 1, shards.size());
    writeSafetensors((folder / file).string(), shards[k], dtype);
    for (const auto& [name, t] : shards[k]) weightMap[name] = file;
  }
  const nlohmann::json index = {{"metadata", {{"total_size", total}}}, {"weight_map", weightMap}};
  const std::string indexPath = (folder / kIndex).string();
  std::ofstream out(indexPath, std::ios::binary | std::ios::trunc);
  if (!out) throw fileError(indexPath, "cannot open for writing");
  out << index.dump(2) << "\n";
  out.close();
  if (!out) throw fileError(indexPath, "write failed (disk full?)");
}

}  // namespace pw::io
