// ZIP central-directory reader for stored entries (see zip_archive.h). Every offset and size read from the
// archive is checked against its length before use: the bytes come from an untrusted file.
#include "io/zip_archive.h"

#include <array>
#include <cstring>

#include "util/error.h"

namespace pw::io {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50, kCentralHeader = 0x02014b50, kEnd = 0x06054b50;
constexpr uint32_t kEnd64 = 0x06064b50, kEnd64Locator = 0x07064b50;
constexpr uint32_t k32 = 0xffffffffu;
constexpr size_t kMaxEntries = 1000000;

// Little-endian fields at checked offsets.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& name) : b_(bytes), name_(name) {}
  bool fits(uint64_t at, uint64_t n) const { return at <= b_.size() && n <= b_.size() - at; }
  void need(uint64_t at, uint64_t n, const char* what) const {
    if (!fits(at, n)) throw fileError(name_, std::string("ZIP archive is cut short (") + what + " past its end)");
  }
  uint64_t le(uint64_t at, int n, const char* what) const {
    need(at, uint64_t(n), what);
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | uint8_t(b_[size_t(at) + size_t(i)]);
    return v;
  }
  std::string_view slice(uint64_t at, uint64_t n, const char* what) const {
    need(at, n, what);
    return b_.substr(size_t(at), size_t(n));
  }
  size_t size() const { return b_.size(); }

 private:
  std::string_view b_;
  const std::string& name_;
};

}  // namespace

uint32_t zipCrc32(std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xffffffffu;
  for (unsigned char ch : data) c = table[(c ^ ch) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

bool looksLikeZip(std::string_view bytes) {
  return bytes.size() >= 4 && uint8_t(bytes[0]) == 0x50 && uint8_t(bytes[1]) == 0x4b && uint8_t(bytes[2]) == 0x03 &&
         uint8_t(bytes[3]) == 0x04;
}

ZipArchive::ZipArchive(std::string_view bytes, std::string name, bool checkCrc) : name_(std::move(name)) {
  const Reader r(bytes, name_);
  if (bytes.size() < 22) throw fileError(name_, "too short to be a ZIP archive");
  // The end-of-central-directory record: the last signature within the final 22 + 65,535 (comment) bytes.
  uint64_t end = 0;
  bool found = false;
  const uint64_t lowest = bytes.size() > 22 + 65535 ? bytes.size() - 22 - 65535 : 0;
  for (uint64_t at = bytes.size() - 22;; --at) {
    if (r.le(at, 4, "end record") == kEnd) {
      end = at, found = true;
      break;
    }
    if (at == lowest) break;
  }
  if (!found) throw fileError(name_, "not a ZIP archive (no end-of-central-directory record)");
  uint64_t count = r.le(end + 10, 2, "end record"), cdSize = r.le(end + 12, 4, "end record");
  uint64_t cdOffset = r.le(end + 16, 4, "end record");
  if (r.le(end + 4, 2, "end record") != 0 || r.le(end + 6, 2, "end record") != 0)
    throw fileError(name_, "a multi-part ZIP archive is not supported");
  if (count == 0xffff || cdSize == k32 || cdOffset == k32) {  // ZIP64: the real values are in its own record
    if (end < 20 || r.le(end - 20, 4, "ZIP64 locator") != kEnd64Locator)
      throw fileError(name_, "ZIP64 archive without its end-record locator");
    const uint64_t at = r.le(end - 20 + 8, 8, "ZIP64 locator");
    if (r.le(at, 4, "ZIP64 end record") != kEnd64) throw fileError(name_, "ZIP64 end record not where its locator says");
    count = r.le(at + 32, 8, "ZIP64 end record");
    cdSize = r.le(at + 40, 8, "ZIP64 end record");
    cdOffset = r.le(at + 48, 8, "ZIP64 end record");
  }
  if (count > kMaxEntries) throw fileError(name_, "ZIP archive claims " + std::to_string(count) + " entries");
  r.need(cdOffset, cdSize, "central directory");

  uint64_t at = cdOffset;
  for (uint64_t i = 0; i < count; ++i) {
    if (r.le(at, 4, "central directory") != kCentralHeader)
      throw fileError(name_, "ZIP central directory entry " + std::to_string(i + 1) + " is damaged");
    const uint64_t flags = r.le(at + 8, 2, "central directory"), method = r.le(at + 10, 2, "central directory");
    const uint32_t crc = uint32_t(r.le(at + 16, 4, "central directory"));
    uint64_t packed = r.le(at + 20, 4, "central directory"), size = r.le(at + 24, 4, "central directory");
    const uint64_t nameLen = r.le(at + 28, 2, "central directory"), extraLen = r.le(at + 30, 2, "central directory");
    const uint64_t commentLen = r.le(at + 32, 2, "central directory");
    uint64_t local = r.le(at + 42, 4, "central directory");
    const std::string entryName(r.slice(at + 46, nameLen, "entry name"));
    // ZIP64 extra field (id 1): the 8-byte values of exactly the fields that read 0xffffffff, in this order.
    const std::string_view extra = r.slice(at + 46 + nameLen, extraLen, "extra field");
    const Reader x(extra, name_);
    for (uint64_t e = 0; e + 4 <= extra.size();) {
      const uint64_t id = x.le(e, 2, "extra field"), len = x.le(e + 2, 2, "extra field");
      if (id == 1) {
        uint64_t f = e + 4;
        for (uint64_t* field : {&size, &packed, &local})
          if (*field == k32) {
            if (f + 8 > e + 4 + len) throw fileError(name_, "ZIP64 extra field of \"" + entryName + "\" is too short");
            *field = x.le(f, 8, "extra field"), f += 8;
          }
      }
      e += 4 + len;
    }
    if (flags & 1) throw fileError(name_, "entry \"" + entryName + "\" is encrypted");
    if (method != 0)
      throw fileError(name_, "entry \"" + entryName + "\" is compressed (method " + std::to_string(method) +
                                 "); torch.save stores its entries uncompressed");
    if (packed != size) throw fileError(name_, "entry \"" + entryName + "\" has different stored and real sizes");
    if (r.le(local, 4, "local header") != kLocalHeader)
      throw fileError(name_, "entry \"" + entryName + "\" has no local header where the directory says");
    const uint64_t dataAt = local + 30 + r.le(local + 26, 2, "local header") + r.le(local + 28, 2, "local header");
    const std::string_view data = r.slice(dataAt, size, "entry data");
    if (checkCrc && zipCrc32(data) != crc) throw fileError(name_, "entry \"" + entryName + "\" is corrupt (its CRC-32 does not match)");
    if (!entries_.emplace(entryName, data).second)
      throw fileError(name_, "entry \"" + entryName + "\" appears twice in the ZIP archive");
    at += 46 + nameLen + extraLen + commentLen;
  }
}

std::string storedZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto le = [](uint64_t v, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(char((v >> (8 * i)) & 0xff));
    return s;
  };
  std::string out, central;
  for (const auto& [name, data] : entries) {
    const uint32_t crc = zipCrc32(data);
    const size_t local = out.size();
    const std::string sizes = le(crc, 4) + le(data.size(), 4) + le(data.size(), 4) + le(name.size(), 2) + le(0, 2);
    out += le(kLocalHeader, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + sizes + name + data;
    central += le(kCentralHeader, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + sizes + le(0, 2) +
               le(0, 2) + le(0, 2) + le(0, 4) + le(local, 4) + name;
  }
  const size_t at = out.size();
  out += central + le(kEnd, 4) + le(0, 2) + le(0, 2) + le(entries.size(), 2) + le(entries.size(), 2) +
         le(central.size(), 4) + le(at, 4) + le(0, 2);
  return out;
}

std::string_view ZipArchive::entry(const std::string& entryName) const {
  const auto it = entries_.find(entryName);
  if (it == entries_.end()) throw fileError(name_, "the archive has no entry \"" + entryName + "\"");
  return it->second;
}

}  // namespace pw::io
