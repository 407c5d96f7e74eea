// TensorBoard event files (see tensorboard_events.h).
#include "results/tensorboard_events.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "util/error.h"

namespace pw::results {
namespace {

const std::array<uint32_t, 256>& crcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

// Protocol-buffer wire format: what an Event needs and nothing more.
void varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(char((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(char(v));
}
void key(std::string& out, int field, int wireType) { varint(out, uint64_t(field) << 3 | uint64_t(wireType)); }
void bytesField(std::string& out, int field, const std::string& bytes) {
  key(out, field, 2);
  varint(out, bytes.size());
  out += bytes;
}
void varintField(std::string& out, int field, uint64_t v) {
  key(out, field, 0);
  varint(out, v);
}
template <typename T>
void fixedField(std::string& out, int field, T value) {  // double: wire type 1, float: wire type 5
  key(out, field, sizeof(T) == 8 ? 1 : 5);
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));  // little-endian, as the wire format is (x86, ARM)
  out.append(raw, sizeof(T));
}

std::string littleEndian(uint64_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s.push_back(char((v >> (8 * i)) & 0xff));
  return s;
}

std::string hostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0 || !name[0]) return "localhost";
  return name;
}

}  // namespace

uint32_t crc32c(const std::string& bytes) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = crcTable()[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t maskedCrc32c(const std::string& bytes) {
  const uint32_t c = crc32c(bytes);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

EventFileWriter::EventFileWriter(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw fileError(dir, "cannot create the TensorBoard log folder: " + ec.message());
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  static std::atomic<int> files{0};  // two files of one process in one second stay apart
  path_ = dir + "/events.out.tfevents." + std::to_string(seconds) + "." + hostName() + "." +
          std::to_string(getpid()) + ".pw" + std::to_string(++files);
  out_.open(path_, std::ios::binary | std::ios::trunc);
  if (!out_) throw fileError(path_, "cannot write the TensorBoard event file");
  std::string version;
  bytesField(version, 3, "brain.Event:2");  // Event.file_version
  writeEvent(version);
  flush();
}

void EventFileWriter::addScalar(const std::string& tag, int64_t step, double value) {
  std::string v;  // Summary.Value: tag = 1, simple_value = 2 (float)
  bytesField(v, 1, tag);
  fixedField(v, 2, float(value));
  std::string summary;  // Summary: repeated Value value = 1
  bytesField(summary, 1, v);
  std::string event;  // Event: step = 2, summary = 5
  varintField(event, 2, uint64_t(step));
  bytesField(event, 5, summary);
  writeEvent(event);
}

void EventFileWriter::addText(const std::string& tag, int64_t step, const std::string& text) {
  std::string plugin;  // SummaryMetadata.PluginData: plugin_name = 1
  bytesField(plugin, 1, "text");
  std::string metadata;  // SummaryMetadata: plugin_data = 1
  bytesField(metadata, 1, plugin);
  std::string shape;  // TensorShapeProto: dim = 2 (one dimension of size 1)
  std::string dim;
  varintField(dim, 1, 1);
  bytesField(shape, 2, dim);
  std::string tensor;  // TensorProto: dtype = 1 (DT_STRING = 7), tensor_shape = 2, string_val = 8
  varintField(tensor, 1, 7);
  bytesField(tensor, 2, shape);
  bytesField(tensor, 8, text);
  std::string v;  // Summary.Value: tag = 1, tensor = 8, metadata = 9
  bytesField(v, 1, tag);
  bytesField(v, 8, tensor);
  bytesField(v, 9, metadata);
  std::string summary;
  bytesField(summary, 1, v);
  std::string event;
  varintField(event, 2, uint64_t(step));
  bytesField(event, 5, summary);
  writeEvent(event);
}

void EventFileWriter::flush() { out_.flush(); }

void EventFileWriter::writeEvent(const std::string& eventFields) {
  const double wallTime =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string record;  // Event: wall_time = 1 (double)
  fixedField(record, 1, wallTime);
  record += eventFields;
  const std::string length = littleEndian(record.size(), 8);
  out_ << length << littleEndian(maskedCrc32c(length), 4) << record << littleEndian(maskedCrc32c(record), 4);
  if (!out_) throw fileError(path_, "cannot write the TensorBoard event file");
}

}  // namespace pw::results
