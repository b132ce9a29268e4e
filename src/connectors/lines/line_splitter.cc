#include "connectors/lines/line_splitter.h"

#include <algorithm>
#include <cstring>

#include "vigil/common/check.h"

namespace vigil {

namespace {
/// First buffer size: small, so that many followed files cost little; it grows with the
/// chunks appended and the longest unfinished line.
constexpr size_t kInitialCapacity = size_t{64} << 10;
/// Reset() releases buffers grown beyond this (one huge line should not pin memory).
constexpr size_t kKeptCapacity = size_t{8} << 20;
}  // namespace

LineSplitter::LineSplitter(size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

void LineSplitter::Reset() {
  if (capacity_ > kKeptCapacity) {
    buffer_.reset();
    capacity_ = 0;
  }
  begin_ = scan_ = end_ = 0;
  base_offset_ = 0;
  next_number_ = 1;
  finished_ = false;
  skipping_ = false;
  skipped_bytes_ = 0;
}

void LineSplitter::Reserve(size_t size) {
  if (AppendKeepsLines(size)) return;
  const size_t live = end_ - begin_;
  const size_t needed = live + size + kReadablePadding;
  if (needed <= capacity_ && begin_ > 0) {
    // Consumed lines make room: move the unfinished line to the front.
    std::memmove(buffer_.get(), buffer_.get() + begin_, live);
  } else {
    const size_t grown = std::max({needed, capacity_ * 2, kInitialCapacity + kReadablePadding});
    auto larger = std::make_unique_for_overwrite<char[]>(grown);
    if (live > 0) std::memcpy(larger.get(), buffer_.get() + begin_, live);
    buffer_ = std::move(larger);
    capacity_ = grown;
  }
  base_offset_ += begin_;
  scan_ -= begin_;
  end_ = live;
  begin_ = 0;
}

void LineSplitter::Append(std::string_view data) {
  if (data.empty()) return;
  const std::span<char> space = AppendSpace(data.size());
  std::memcpy(space.data(), data.data(), data.size());
  CommitAppend(data.size());
}

std::span<char> LineSplitter::AppendSpace(size_t size) {
  VIGIL_CHECK(!finished_);
  Reserve(size);
  return std::span<char>(buffer_.get() + end_, capacity_ - end_ - kReadablePadding);
}

void LineSplitter::CommitAppend(size_t size) {
  VIGIL_CHECK_LE(end_ + size + kReadablePadding, capacity_);
  end_ += size;
}

bool LineSplitter::Next(Line& line) {
  char* const data = buffer_.get();
  if (skipping_) {
    const auto* newline = static_cast<const char*>(std::memchr(data + begin_, '\n', end_ - begin_));
    if (newline != nullptr) {
      const size_t position = static_cast<size_t>(newline - data);
      line = Line{};
      line.number = next_number_++;
      line.end_offset = base_offset_ + position + 1;
      line.too_long = true;
      line.length = skipped_bytes_ + (position - begin_);
      begin_ = scan_ = position + 1;
      skipping_ = false;
      skipped_bytes_ = 0;
      return true;
    }
    skipped_bytes_ += end_ - begin_;
    begin_ = scan_ = end_;
  } else if (scan_ < end_) {
    const auto* newline = static_cast<const char*>(std::memchr(data + scan_, '\n', end_ - scan_));
    if (newline != nullptr) {
      const size_t position = static_cast<size_t>(newline - data);
      const size_t length = position - begin_;
      line = Line{};
      line.number = next_number_++;
      line.end_offset = base_offset_ + position + 1;
      line.length = length;
      if (length > max_line_bytes_) {
        line.too_long = true;
      } else {
        size_t text_length = length;
        if (text_length > 0 && data[begin_ + text_length - 1] == '\r') --text_length;
        line.text = std::string_view(data + begin_, text_length);
      }
      begin_ = scan_ = position + 1;
      return true;
    }
    scan_ = end_;
    if (end_ - begin_ > max_line_bytes_) {
      // The unfinished line is already too long: drop it as it comes.
      skipping_ = true;
      skipped_bytes_ = end_ - begin_;
      begin_ = scan_ = end_;
    }
  }
  if (!finished_) return false;
  // End of input: what is left is a last line without terminator.
  if (skipping_) {
    line = Line{};
    line.number = next_number_++;
    line.end_offset = base_offset_ + end_;
    line.terminated = false;
    line.too_long = true;
    line.length = skipped_bytes_;
    skipping_ = false;
    skipped_bytes_ = 0;
    return true;
  }
  if (begin_ == end_) return false;
  line = Line{};
  line.number = next_number_++;
  line.end_offset = base_offset_ + end_;
  line.terminated = false;
  line.length = end_ - begin_;
  line.text = std::string_view(data + begin_, end_ - begin_);
  begin_ = scan_ = end_;
  return true;
}

void LineSplitter::Finish() { finished_ = true; }

}  // namespace vigil
