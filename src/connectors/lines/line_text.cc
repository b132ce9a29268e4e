#include "connectors/lines/line_text.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>

namespace vigil {

namespace {

/// Length of the UTF-8 sequence a lead byte starts (Rust's utf8_char_width), 0 if invalid.
size_t SequenceWidth(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

/// Whether the second byte is allowed after `lead` (excludes overlong forms, surrogates and
/// code points above U+10FFFF, as Rust's table does).
bool SecondByteFits(unsigned char lead, unsigned char second) {
  switch (lead) {
    case 0xE0:
      return second >= 0xA0 && second <= 0xBF;
    case 0xED:
      return second >= 0x80 && second <= 0x9F;
    case 0xF0:
      return second >= 0x90 && second <= 0xBF;
    case 0xF4:
      return second >= 0x80 && second <= 0x8F;
    default:
      return IsContinuation(second);
  }
}

bool IsAsciiWhitespace(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }

/// Bytes of the Unicode White_Space character that starts at `p` (n bytes available), or 0.
size_t LeadingWhitespace(const unsigned char* p, size_t n) {
  if (n == 0) return 0;
  if (IsAsciiWhitespace(p[0])) return 1;
  if (n >= 2 && p[0] == 0xC2 && (p[1] == 0x85 || p[1] == 0xA0)) return 2;
  if (n >= 3) {
    if (p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) return 3;
    if (p[0] == 0xE2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF)) {
      return 3;
    }
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) return 3;
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;
  }
  return 0;
}

/// Bytes of the Unicode White_Space character that ends just before `end` (n bytes before).
size_t TrailingWhitespace(const unsigned char* end, size_t n) {
  if (n == 0) return 0;
  if (IsAsciiWhitespace(end[-1])) return 1;
  // Valid UTF-8: a lead byte two or three bytes back starts the last character.
  if (n >= 2 && LeadingWhitespace(end - 2, 2) == 2) return 2;
  if (n >= 3 && LeadingWhitespace(end - 3, 3) == 3) return 3;
  return 0;
}

}  // namespace

bool CheckUtf8(std::string_view bytes, bool followed_by_terminator, Utf8Problem& problem) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char lead = s[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const size_t width = SequenceWidth(lead);
    const size_t start = i;
    auto fail = [&](size_t length) {
      problem.valid_up_to = start;
      problem.error_length = length;
      return false;
    };
    if (width == 0) return fail(1);
    // Rust reads the sequence byte by byte: the k-th byte that is missing or wrong ends the
    // check with error length k - 1 (k >= 2). Past the end of the text, the next byte in the
    // file is the ASCII terminator (wrong) or nothing (an incomplete sequence).
    for (size_t k = 1; k < width; ++k) {
      if (start + k >= n) return fail(followed_by_terminator ? k : 0);
      const unsigned char byte = s[start + k];
      const bool fits = k == 1 ? SecondByteFits(lead, byte) : IsContinuation(byte);
      if (!fits) return fail(k);
    }
    i = start + width;
  }
  return true;
}

std::string_view TrimUnicodeWhitespace(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  while (size_t w = LeadingWhitespace(begin, static_cast<size_t>(end - begin))) begin += w;
  while (size_t w = TrailingWhitespace(end, static_cast<size_t>(end - begin))) end -= w;
  return std::string_view(reinterpret_cast<const char*>(begin), static_cast<size_t>(end - begin));
}

PreparedLine PrepareLine(std::string_view bytes, bool followed_by_terminator) {
  PreparedLine prepared;
  if (!CheckUtf8(bytes, followed_by_terminator, prepared.problem)) {
    prepared.valid = false;
    return prepared;
  }
  prepared.text = TrimUnicodeWhitespace(bytes);
  return prepared;
}

std::string DescribeUtf8Problem(const Utf8Problem& problem) {
  if (problem.error_length == 0) {
    return fmt::format("incomplete utf-8 byte sequence from index {}", problem.valid_up_to);
  }
  return fmt::format("invalid utf-8 sequence of {} bytes from index {}", problem.error_length,
                     problem.valid_up_to);
}

std::string NotUtf8Message(const Utf8Problem& problem) {
  return "received plaintext message is not in utf-8 format: " + DescribeUtf8Problem(problem);
}

}  // namespace vigil
