// TensorBoard event files (events.out.tfevents.*), written without TensorFlow: TFRecord framing (length,
// masked CRC-32C of the length, the record, masked CRC-32C of the record) around `Event` protocol buffers
// holding scalar summaries (simple_value) and text summaries (the "text" plugin's string tensor).
// Field numbers from tensorflow/core/util/event.proto and framework/summary.proto. Torch-free.
#pragma once
#include <cstdint>
#include <fstream>
#include <string>

namespace pw::results {

// CRC-32C (Castagnoli, reflected 0x82F63B78), as TFRecord uses; crc32c("123456789") = 0xE3069283.
uint32_t crc32c(const std::string& bytes);
// TFRecord's masked form: ((crc >> 15) | (crc << 17)) + 0xa282ead8.
uint32_t maskedCrc32c(const std::string& bytes);

class EventFileWriter {
 public:
  // Creates `dir` (and its parents) and a new event file in it, starting with the file-version event.
  // Throws pw::Error naming the path when it cannot be written.
  explicit EventFileWriter(const std::string& dir);

  const std::string& path() const { return path_; }
  void addScalar(const std::string& tag, int64_t step, double value);
  void addText(const std::string& tag, int64_t step, const std::string& text);  // shown as markdown
  void flush();

 private:
  void writeEvent(const std::string& eventFields);  // wall_time is added here
  std::string path_;
  std::ofstream out_;
};

}  // namespace pw::results
