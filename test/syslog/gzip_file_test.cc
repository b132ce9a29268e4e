// GzipReader: gzip files made here with zlib (single and multi-member, padded, corrupt,
// truncated), read back in random chunk sizes and compared with the original bytes.
#include "connectors/syslog/gzip_file.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace vigil::syslog {
namespace {

namespace fs = std::filesystem;

/// One gzip member holding `data` (deflate with windowBits 15 + 16 writes gzip framing).
std::string GzipMember(const std::string& data, int level = 6) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

/// Log-like text: lines with varied numbers, so it compresses but not trivially.
std::string SampleText(size_t lines, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string text;
  for (size_t i = 0; i < lines; ++i) {
    text += "Mar 29 23:18:" + std::to_string(10 + rng() % 50) + " web1 sshd[" +
            std::to_string(rng() % 65536) + "]: Failed password for root from 10.0." +
            std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + " port " +
            std::to_string(rng() % 65536) + " ssh2\n";
  }
  return text;
}

class GzipFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_gzip_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  fs::path dir_;
};

/// Reads the whole file in random chunk sizes; the Status of the first error, if any.
Status ReadAll(const std::string& path, std::string& out, uint64_t seed) {
  ASSIGN_OR_RAISE(auto reader, GzipReader::Open(path));
  std::mt19937_64 rng(seed);
  std::string chunk(1 << 17, '\0');
  for (;;) {
    const size_t want = 1 + rng() % chunk.size();
    ASSIGN_OR_RAISE(const size_t got, reader->Read(chunk.data(), want));
    if (got == 0) return Status::OK();
    EXPECT_LE(got, want);
    out.append(chunk.data(), got);
  }
}

TEST_F(GzipFileTest, ReadsSingleMember) {
  const std::string text = SampleText(5000, 1);
  const std::string path = Write("auth.log.2.gz", GzipMember(text));
  std::string out;
  ASSERT_TRUE(ReadAll(path, out, 1).ok());
  EXPECT_EQ(out, text);
}

TEST_F(GzipFileTest, ReadsEmptyContent) {
  const std::string path = Write("empty.gz", GzipMember(""));
  std::string out;
  ASSERT_TRUE(ReadAll(path, out, 2).ok());
  EXPECT_TRUE(out.empty());
}

TEST_F(GzipFileTest, ReadsConcatenatedMembersInOrder) {
  std::string expected, file;
  for (int i = 0; i < 5; ++i) {
    const std::string part = SampleText(static_cast<size_t>(1 + i * 700), 10 + i);
    expected += part;
    file += GzipMember(part, i % 2 == 0 ? 1 : 9);
  }
  file += GzipMember("");  // An empty member in the middle of nothing is still a member.
  const std::string path = Write("multi.gz", file);
  for (uint64_t seed = 0; seed < 5; ++seed) {
    std::string out;
    ASSERT_TRUE(ReadAll(path, out, seed).ok());
    EXPECT_EQ(out, expected);
  }
}

TEST_F(GzipFileTest, IgnoresZeroPaddingAfterLastMember) {
  const std::string text = SampleText(100, 3);
  const std::string path = Write("padded.gz", GzipMember(text) + std::string(1000, '\0'));
  std::string out;
  ASSERT_TRUE(ReadAll(path, out, 3).ok());
  EXPECT_EQ(out, text);
}

TEST_F(GzipFileTest, DetectsByMagicNotName) {
  const std::string gz = Write("no_suffix", GzipMember("a\n"));
  const std::string plain = Write("plain.gz", "Mar 29 23:18:33 h p: m\n");
  const std::string tiny = Write("tiny", "\x1f");
  EXPECT_TRUE(IsGzipFile(gz).value());
  EXPECT_FALSE(IsGzipFile(plain).value());
  EXPECT_FALSE(IsGzipFile(tiny).value());
  EXPECT_FALSE(IsGzipFile((dir_ / "missing").string()).ok());
  std::string out;
  EXPECT_TRUE(ReadAll(gz, out, 4).ok());
  EXPECT_EQ(out, "a\n");
  const auto opened = GzipReader::Open(plain);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kParseError);
  EXPECT_NE(opened.status().message().find("plain.gz: not a gzip file"), std::string::npos);
  EXPECT_EQ(GzipReader::Open((dir_ / "missing.gz").string()).status().code(), StatusCode::kIoError);
}

TEST_F(GzipFileTest, TruncatedFileIsAnErrorWithOffset) {
  const std::string member = GzipMember(SampleText(3000, 5));
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20; ++i) {
    // Cut anywhere past the 10-byte header, including inside the 8-byte trailer.
    const size_t cut = 10 + rng() % (member.size() - 10);
    const std::string path = Write("cut.gz", member.substr(0, cut));
    std::string out;
    const Status status = ReadAll(path, out, rng());
    ASSERT_FALSE(status.ok()) << "cut at " << cut;
    EXPECT_EQ(status.code(), StatusCode::kParseError);
    EXPECT_NE(status.message().find("truncated gzip data"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("byte offset " + std::to_string(cut)), std::string::npos)
        << status.message();
    EXPECT_NE(status.message().find(path), std::string::npos);
  }
}

TEST_F(GzipFileTest, CorruptDataIsAnError) {
  std::string member = GzipMember(SampleText(3000, 6));
  // A flipped byte in the deflate data, or in the CRC trailer.
  for (size_t at : {member.size() / 2, member.size() - 6}) {
    std::string broken = member;
    broken[at] = static_cast<char>(broken[at] ^ 0x55);
    const std::string path = Write("bad.gz", broken);
    std::string out;
    const Status status = ReadAll(path, out, 6);
    ASSERT_FALSE(status.ok()) << "flip at " << at;
    EXPECT_EQ(status.code(), StatusCode::kParseError);
    EXPECT_NE(status.message().find("corrupt gzip data near byte offset"), std::string::npos)
        << status.message();
  }
  // Garbage after a complete member.
  const std::string path = Write("tail.gz", GzipMember("x\n") + "garbage");
  std::string out;
  const Status status = ReadAll(path, out, 7);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("are not another member"), std::string::npos) << status.message();
}

TEST_F(GzipFileTest, ErrorsRepeatAfterFirst) {
  const std::string member = GzipMember(SampleText(50, 8));
  const std::string path = Write("cut.gz", member.substr(0, member.size() - 3));
  auto reader = GzipReader::Open(path);
  ASSERT_TRUE(reader.ok());
  char buffer[1 << 16];
  Status first;
  for (int i = 0; i < 100 && first.ok(); ++i) {
    auto got = (*reader)->Read(buffer, sizeof(buffer));
    if (!got.ok()) first = got.status();
  }
  ASSERT_FALSE(first.ok());
  EXPECT_EQ((*reader)->Read(buffer, sizeof(buffer)).status().message(), first.message());
}

/// Random bytes after a valid gzip header never crash the reader, and end in an error or
/// the end of the stream within a bounded number of reads.
TEST_F(GzipFileTest, SurvivesRandomBytes) {
  std::mt19937_64 rng(11);
  const std::string header = GzipMember("").substr(0, 10);
  for (int i = 0; i < 200; ++i) {
    std::string bytes = header;
    const size_t size = rng() % 4000;
    for (size_t k = 0; k < size; ++k) bytes.push_back(static_cast<char>(rng() % 256));
    const std::string path = Write("random.gz", bytes);
    std::string out;
    (void)ReadAll(path, out, i);
    SUCCEED();
  }
}

}  // namespace
}  // namespace vigil::syslog
