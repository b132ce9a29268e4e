#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil {

/// Where a line's bytes stop being UTF-8, as Rust's `std::str::from_utf8` reports it.
struct Utf8Problem {
  size_t valid_up_to = 0;  ///< Bytes before the bad sequence.
  /// Length of the bad sequence (1 to 3), or 0 when the input ends inside a sequence
  /// (Rust's `error_len() == None`).
  size_t error_length = 0;
};

/// A line's text after Pathway's `prepare_plaintext_str`: checked to be UTF-8, then trimmed.
struct PreparedLine {
  std::string_view text;  ///< Trimmed view into the line; meaningful when `valid`.
  bool valid = true;
  Utf8Problem problem;  ///< When !valid.
};

/// Checks `bytes` as Rust's `from_utf8` does. `followed_by_terminator` says whether a `\r`
/// or `\n` came right after them in the file: Pathway checks the line with its terminator,
/// so a sequence cut by the end of the line is then reported as invalid (with the bytes seen
/// so far), not as incomplete.
bool CheckUtf8(std::string_view bytes, bool followed_by_terminator, Utf8Problem& problem);

/// Rust's `str::trim`: drops leading and trailing Unicode White_Space characters (ASCII
/// space, `\t` `\n` `\v` `\f` `\r`, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000). `text` must be valid UTF-8.
std::string_view TrimUnicodeWhitespace(std::string_view text);

/// UTF-8 check, then trim: what Pathway does to every line before its jsonlines and plaintext
/// parsers look at it.
PreparedLine PrepareLine(std::string_view bytes, bool followed_by_terminator);

/// Rust's Display of the Utf8Error: `invalid utf-8 sequence of 1 bytes from index 3`, or
/// `incomplete utf-8 byte sequence from index 3`.
std::string DescribeUtf8Problem(const Utf8Problem& problem);

/// Pathway's message for a line that is not UTF-8:
/// `received plaintext message is not in utf-8 format: invalid utf-8 sequence of ...`.
std::string NotUtf8Message(const Utf8Problem& problem);

/// Pathway's line that asks for a commit instead of carrying data (trimmed lines equal to it
/// produce no row, in both formats).
inline constexpr std::string_view kCommitLine = "*COMMIT*";

}  // namespace vigil
