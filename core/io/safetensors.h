// safetensors reader and writer (format: 8-byte LE header size, JSON header, packed row-major data).
// Every validation rule of docs/FORMATS.md is enforced; F32/F16/BF16 are read into float32.
#pragma once
#include <ATen/ATen.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pw::io {

// Ordered by name, so written files are deterministic.
using TensorMap = std::map<std::string, at::Tensor>;

// One entry of a parsed header.
struct TensorInfo {
  std::string name;
  std::string dtype;  // "F32", "F16", "BF16", "I64", "I32", "U8", "BOOL"
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // relative to the start of the data buffer, end exclusive
};

struct SafetensorsHeader {
  std::vector<TensorInfo> tensors;            // sorted by begin offset
  std::map<std::string, std::string> metadata;  // the "__metadata__" object
  uint64_t dataStart = 0;                      // 8 + N
};

// Parses and validates a whole file image (header and buffer sizes). `name` is used in error messages.
// Throws pw::Error naming `name` and the problem.
SafetensorsHeader parseSafetensors(const std::string& bytes, const std::string& name);

// Decodes a whole in-memory file image into tensors (same rules and results as readSafetensors).
TensorMap decodeSafetensors(const std::string& bytes, const std::string& name);

// Reads every tensor. Floating-point tensors come back as float32; integer/bool ones keep their type.
TensorMap readSafetensors(const std::string& path);

// Throws pw::Error naming `file` and the first tensor (in name order) that holds a NaN or an infinity: weights
// like that train to chance and predict "null" probabilities without a word otherwise.
void checkFinite(const TensorMap& tensors, const std::string& file);

// Reads only the header (for cheap inspection of large files).
SafetensorsHeader readSafetensorsHeader(const std::string& path);

enum class StoreDtype { F32, F16, BF16 };

// Writes tensors (floats stored as `dtype`; integer/bool tensors as they are), with
// "__metadata__": {"format": "pt"} plus `metadata`, the header padded with spaces to a multiple of 8.
void writeSafetensors(const std::string& path, const TensorMap& tensors,
                      StoreDtype dtype = StoreDtype::F32,
                      const std::map<std::string, std::string>& metadata = {});

// In-memory variant of the writer (used by the file writer and by tests).
std::string serializeSafetensors(const TensorMap& tensors, StoreDtype dtype = StoreDtype::F32,
                                 const std::map<std::string, std::string>& metadata = {});

}  // namespace pw::io
