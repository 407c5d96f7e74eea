// safetensors writing: tensors packed in name order, "__metadata__" with format "pt", header padded to 8 bytes.
#include "io/safetensors.h"

#include "util/error.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace pw::io {
namespace {

struct Stored {
  std::string dtype;
  at::Tensor data;  // contiguous, CPU, in the stored type
};

Stored prepare(const std::string& name, const at::Tensor& tensor, StoreDtype dtype) {
  if (!tensor.defined()) throw Error("safetensors: tensor \"" + name + "\" is undefined");
  at::Tensor t = tensor.detach().to(at::kCPU);
  Stored s;
  if (t.is_floating_point()) {
    switch (dtype) {
      case StoreDtype::F32: s.dtype = "F32", t = t.to(at::kFloat); break;
      case StoreDtype::F16: s.dtype = "F16", t = t.to(at::kHalf); break;
      case StoreDtype::BF16: s.dtype = "BF16", t = t.to(at::kBFloat16); break;
    }
  } else {
    switch (t.scalar_type()) {
      case at::kLong: s.dtype = "I64"; break;
      case at::kInt: s.dtype = "I32"; break;
      case at::kByte: s.dtype = "U8"; break;
      case at::kBool: s.dtype = "BOOL"; break;
      default:
        throw Error("safetensors: cannot store tensor \"" + name + "\" of type " +
                    std::string(c10::toString(t.scalar_type())) + " (floats, int64, int32, uint8, bool only)");
    }
  }
  // contiguous() also materialises transposed, sliced and expanded views.
  s.data = t.contiguous();
  return s;
}

}  // namespace

std::string serializeSafetensors(const TensorMap& tensors, StoreDtype dtype,
                                 const std::map<std::string, std::string>& metadata) {
  std::vector<std::pair<std::string, Stored>> stored;
  stored.reserve(tensors.size());
  for (const auto& [name, tensor] : tensors) {
    if (name == "__metadata__") throw Error("safetensors: \"__metadata__\" cannot be a tensor name");
    stored.emplace_back(name, prepare(name, tensor, dtype));
  }

  nlohmann::json header = nlohmann::json::object();
  nlohmann::json meta = nlohmann::json::object();
  for (const auto& [k, v] : metadata) meta[k] = v;
  meta["format"] = "pt";  // Hugging Face tools refuse files without it
  header["__metadata__"] = meta;
  uint64_t offset = 0;
  for (const auto& [name, s] : stored) {
    const uint64_t bytes = s.data.numel() * s.data.element_size();
    header[name] = {{"dtype", s.dtype}, {"shape", s.data.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the data buffer 8-byte aligned

  std::string out;
  out.reserve(8 + text.size() + offset);
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out += text;
  const size_t dataStart = out.size();
  out.resize(dataStart + offset);
  uint64_t at = dataStart;
  for (const auto& [name, s] : stored) {
    const uint64_t bytes = s.data.numel() * s.data.element_size();
    if (bytes > 0) std::memcpy(&out[at], s.data.data_ptr(), bytes);
    at += bytes;
  }
  return out;
}

void writeSafetensors(const std::string& path, const TensorMap& tensors, StoreDtype dtype,
                      const std::map<std::string, std::string>& metadata) {
  const std::string bytes = serializeSafetensors(tensors, dtype, metadata);
  // Write a temporary file and rename it, so a crash never leaves a half-written checkpoint behind.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw fileError(path, "cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      throw fileError(path, "write failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw fileError(path, "cannot rename temporary file: " + ec.message());
  }
}

}  // namespace pw::io
