// safetensors reading: header validation (every rule of docs/FORMATS.md) and decoding into tensors.
// Nothing is allocated from header sizes until they have been checked against the real file size.
#include "io/safetensors.h"

#include "util/strict_json.h"
#include "util/error.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors IO assumes a little-endian host"
#endif

namespace pw::io {
namespace {

using json = nlohmann::json;

constexpr uint64_t kMaxHeaderBytes = 100'000'000;

// Storage type as found in the file; BOOL is read as bytes and normalised to 0/1 afterwards.
struct DtypeInfo {
  const char* name;
  uint64_t size;
  at::ScalarType raw;
};
constexpr DtypeInfo kSupported[] = {
    {"F32", 4, at::kFloat}, {"F16", 2, at::kHalf}, {"BF16", 2, at::kBFloat16}, {"I64", 8, at::kLong},
    {"I32", 4, at::kInt},   {"U8", 1, at::kByte},  {"BOOL", 1, at::kByte},
};
// Valid safetensors dtypes this program does not load.
constexpr const char* kUnsupported[] = {"F64", "I8",      "I16",     "U16",      "U32",
                                        "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3",
                                        "F6_E3M2", "F4", "C64"};

const DtypeInfo* findDtype(const std::string& dtype) {
  for (const auto& d : kSupported)
    if (dtype == d.name) return &d;
  return nullptr;
}

uint64_t readU64Le(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Checks the 8-byte prefix against the file size; returns the header length N.
uint64_t checkPrefix(const char* first8, uint64_t fileSize, const std::string& name) {
  const uint64_t n = readU64Le(first8);
  if (n > kMaxHeaderBytes)
    throw fileError(name, "safetensors header length " + std::to_string(n) +
                              " exceeds the 100000000-byte limit (corrupt or not a safetensors file)");
  if (8 + n > fileSize)
    throw fileError(name, "safetensors header length " + std::to_string(n) + " runs past the end of the " +
                              std::to_string(fileSize) + "-byte file (truncated file?)");
  return n;
}

std::string inQuotes(const std::string& s) { return "\"" + s + "\""; }

TensorInfo parseEntry(const std::string& tensor, const json& entry, const std::string& name) {
  const std::string where = "tensor " + inQuotes(tensor) + ": ";
  if (!entry.is_object()) throw fileError(name, where + "header entry is not a JSON object");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!entry.contains(key)) throw fileError(name, where + "missing \"" + key + "\"");

  TensorInfo info;
  info.name = tensor;
  const json& dtype = entry.at("dtype");
  if (!dtype.is_string()) throw fileError(name, where + "\"dtype\" is not a string");
  info.dtype = dtype.get<std::string>();
  const DtypeInfo* d = findDtype(info.dtype);
  if (!d) {
    for (const char* u : kUnsupported)
      if (info.dtype == u)
        throw fileError(name, "unsupported dtype " + info.dtype + " in tensor " + inQuotes(tensor) +
                                  " (supported: F32, F16, BF16, I64, I32, U8, BOOL)");
    throw fileError(name, "unknown dtype " + inQuotes(info.dtype) + " in tensor " + inQuotes(tensor));
  }

  const json& shape = entry.at("shape");
  if (!shape.is_array()) throw fileError(name, where + "\"shape\" is not an array");
  uint64_t elements = 1;
  bool overflow = false;
  for (const json& dim : shape) {
    if (dim.is_number_integer() && !dim.is_number_unsigned() && dim.get<int64_t>() < 0)
      throw fileError(name, where + "negative dimension " + std::to_string(dim.get<int64_t>()) + " in shape");
    if (!dim.is_number_integer())
      throw fileError(name, where + "shape entries must be non-negative integers, got " + dim.dump());
    const uint64_t v = dim.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) overflow = true;
    // Guarded multiply: elements * v must not wrap around.
    if (v != 0 && elements > std::numeric_limits<uint64_t>::max() / v) overflow = true;
    elements *= v;
    info.shape.push_back(static_cast<int64_t>(v));
  }
  if (overflow || elements > std::numeric_limits<uint64_t>::max() / d->size)
    throw fileError(name, where + "shape " + shape.dump() + " overflows the element count");

  const json& offsets = entry.at("data_offsets");
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned())
    throw fileError(name, where + "\"data_offsets\" must be [begin, end] with non-negative integers, got " +
                              offsets.dump());
  info.begin = offsets[0].get<uint64_t>();
  info.end = offsets[1].get<uint64_t>();
  if (info.end < info.begin)
    throw fileError(name, where + "data_offsets end " + std::to_string(info.end) + " is before begin " +
                              std::to_string(info.begin));
  const uint64_t expected = elements * d->size;
  if (info.end - info.begin != expected)
    throw fileError(name, where + "data_offsets span " + std::to_string(info.end - info.begin) +
                              " bytes but dtype " + info.dtype + " and shape " + shape.dump() + " need " +
                              std::to_string(expected));
  return info;
}

// Validates the JSON header text; `fileSize` is the size of the whole file (prefix, header and buffer).
SafetensorsHeader parseHeaderText(const std::string& text, uint64_t fileSize, const std::string& name) {
  const json root = parseStrictJson(text, name + " (safetensors header)");
  if (!root.is_object()) throw fileError(name, "safetensors header is not a JSON object");

  SafetensorsHeader header;
  header.dataStart = 8 + text.size();
  for (const auto& [key, value] : root.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) throw fileError(name, "\"__metadata__\" is not a JSON object");
      for (const auto& [mk, mv] : value.items()) {
        if (!mv.is_string()) throw fileError(name, "\"__metadata__\" value for " + inQuotes(mk) + " is not a string");
        header.metadata[mk] = mv.get<std::string>();
      }
      continue;
    }
    header.tensors.push_back(parseEntry(key, value, name));
  }

  std::sort(header.tensors.begin(), header.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  // Packed with no gaps: each tensor starts where the previous one ended, the first at 0.
  uint64_t expected = 0;
  std::string previous;
  for (const TensorInfo& t : header.tensors) {
    if (t.begin < expected)
      throw fileError(name, "tensor " + inQuotes(t.name) + " overlaps tensor " + inQuotes(previous) +
                                " (data_offsets begin " + std::to_string(t.begin) + " < " +
                                std::to_string(expected) + ")");
    if (t.begin > expected)
      throw fileError(name, "hole of " + std::to_string(t.begin - expected) + " bytes in the data buffer before tensor " +
                                inQuotes(t.name));
    expected = t.end;
    previous = t.name;
  }
  const uint64_t bufferSize = fileSize - header.dataStart;
  if (bufferSize > expected)
    throw fileError(name, std::to_string(bufferSize - expected) + " trailing bytes after the last tensor (buffer is " +
                              std::to_string(bufferSize) + " bytes, tensors end at " + std::to_string(expected) + ")");
  if (bufferSize < expected)
    throw fileError(name, "data buffer is " + std::to_string(bufferSize) + " bytes but tensors need " +
                              std::to_string(expected) + " (truncated file?)");
  return header;
}

// Allocates the tensor that receives the raw bytes of `info` (sizes already validated).
at::Tensor allocRaw(const TensorInfo& info) {
  return at::empty(info.shape, at::TensorOptions().dtype(findDtype(info.dtype)->raw));
}

// Raw storage -> the returned type: floats become float32, BOOL bytes become bool.
at::Tensor finish(const at::Tensor& raw, const TensorInfo& info) {
  if (info.dtype == "F16" || info.dtype == "BF16") return raw.to(at::kFloat);
  if (info.dtype == "BOOL") return raw.ne(0);
  return raw;
}

uint64_t fileSizeOf(std::ifstream& in, const std::string& path) {
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0 || !in) throw fileError(path, "cannot determine file size");
  return static_cast<uint64_t>(size);
}

std::ifstream openFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw fileError(path, "file does not exist");
  if (std::filesystem::is_directory(path, ec)) throw fileError(path, "is a directory, expected a .safetensors file");
  // A FIFO or device would block the read forever (or never end): only regular files.
  if (!std::filesystem::is_regular_file(path, ec)) throw fileError(path, "not a regular file (a FIFO or device?)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, "cannot open file for reading");
  return in;
}

// Reads and validates the prefix and header of an open file; leaves the stream at the data buffer.
SafetensorsHeader readHeader(std::ifstream& in, const std::string& path) {
  const uint64_t fileSize = fileSizeOf(in, path);
  if (fileSize < 8)
    throw fileError(path, "file is " + std::to_string(fileSize) + " bytes, too short for a safetensors header");
  char prefix[8];
  if (!in.read(prefix, 8)) throw fileError(path, "cannot read the safetensors header length");
  const uint64_t n = checkPrefix(prefix, fileSize, path);
  std::string text(n, '\0');
  if (n > 0 && !in.read(text.data(), static_cast<std::streamsize>(n)))
    throw fileError(path, "cannot read the safetensors header");
  return parseHeaderText(text, fileSize, path);
}

}  // namespace

SafetensorsHeader parseSafetensors(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 8)
    throw fileError(name, "file is " + std::to_string(bytes.size()) + " bytes, too short for a safetensors header");
  const uint64_t n = checkPrefix(bytes.data(), bytes.size(), name);
  return parseHeaderText(bytes.substr(8, n), bytes.size(), name);
}

TensorMap decodeSafetensors(const std::string& bytes, const std::string& name) {
  const SafetensorsHeader header = parseSafetensors(bytes, name);
  TensorMap out;
  for (const TensorInfo& info : header.tensors) {
    at::Tensor raw = allocRaw(info);
    if (info.end > info.begin)
      std::memcpy(raw.data_ptr(), bytes.data() + header.dataStart + info.begin, info.end - info.begin);
    out[info.name] = finish(raw, info);
  }
  return out;
}

void checkFinite(const TensorMap& tensors, const std::string& file) {
  for (const auto& [name, t] : tensors)
    if (t.defined() && t.is_floating_point() && t.numel() > 0 && !at::isfinite(t).all().item<bool>())
      throw fileError(file, "tensor \"" + name + "\" holds NaN or infinite values");
}

SafetensorsHeader readSafetensorsHeader(const std::string& path) {
  std::ifstream in = openFile(path);
  return readHeader(in, path);
}

TensorMap readSafetensors(const std::string& path) {
  std::ifstream in = openFile(path);
  const SafetensorsHeader header = readHeader(in, path);
  // Tensors are sorted by offset and packed, so one sequential pass reads straight into their memory.
  TensorMap out;
  for (const TensorInfo& info : header.tensors) {
    at::Tensor raw = allocRaw(info);
    const uint64_t size = info.end - info.begin;
    if (size > 0 && !in.read(static_cast<char*>(raw.data_ptr()), static_cast<std::streamsize>(size)))
      throw fileError(path, "file ended while reading tensor " + inQuotes(info.name) + " (changed while reading?)");
    out[info.name] = finish(raw, info);
  }
  return out;
}

}  // namespace pw::io
