// A read-only view of an uncompressed ZIP archive held in memory: the container torch.save writes
// (pytorch_model.bin: data.pkl plus one entry per storage, every entry stored, not deflated). Torch-free.
//
//   ZipArchive zip(bytes, "pytorch_model.bin");       // throws pw::Error naming the file for a bad archive
//   std::string_view pkl = zip.entry("archive/data.pkl");
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pw::io {

// CRC-32 (IEEE 802.3, as ZIP and gzip use it) of `data`.
uint32_t zipCrc32(std::string_view data);

class ZipArchive {
 public:
  // Parses the central directory (ZIP64 included) and checks every entry: stored (method 0), not encrypted,
  // inside the archive, its CRC-32 right (unless checkCrc is false: tests that damage an entry on purpose).
  // `bytes` must outlive the archive; `name` is used in messages.
  ZipArchive(std::string_view bytes, std::string name, bool checkCrc = true);

  bool has(const std::string& entryName) const { return entries_.count(entryName) > 0; }
  std::string_view entry(const std::string& entryName) const;  // throws when missing
  const std::map<std::string, std::string_view>& entries() const { return entries_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::map<std::string, std::string_view> entries_;
};

// True when `bytes` starts like a ZIP archive (a local file header).
bool looksLikeZip(std::string_view bytes);

// A ZIP archive of stored (uncompressed) entries, in the given order, as torch.save lays them out (no ZIP64:
// under 4 GB). For tests and fuzzing that build archives around hand-made contents.
std::string storedZip(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace pw::io
