#include "connectors/sshd/sshd_message.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::sshd {
namespace {

SshdMessage Parse(std::string_view text, MessageType expected) {
  SshdMessage message;
  SshdMessageError error;
  const MessageType type = ParseSshdMessage(text, message, &error);
  EXPECT_EQ(static_cast<int>(type), static_cast<int>(expected)) << text << " / " << error.message;
  return message;
}

SshdMessageError ParseError(std::string_view text) {
  SshdMessage message;
  SshdMessageError error;
  EXPECT_EQ(ParseSshdMessage(text, message, &error), MessageType::kMalformed) << text;
  return error;
}

TEST(SshdMessageTest, ReadsFailedPassword) {
  const SshdMessage m =
      Parse("Failed password for root from 5.36.59.76 port 42393 ssh2", MessageType::kAuthFailure);
  EXPECT_EQ(m.user, "root");
  EXPECT_TRUE(m.has_user);
  EXPECT_FALSE(m.invalid_user);
  EXPECT_EQ(m.method, "password");
  EXPECT_EQ(m.address, "5.36.59.76");
  EXPECT_EQ(m.port, 42393);
  EXPECT_FALSE(m.ip_is_hostname);
  EXPECT_EQ(m.repeat, 1u);
}

TEST(SshdMessageTest, ReadsInvalidUsersEmptyOrWithSpaces) {
  SshdMessage m = Parse("Failed password for invalid user webmaster from 173.234.31.186 port "
                        "38926 ssh2",
                        MessageType::kAuthFailure);
  EXPECT_EQ(m.user, "webmaster");
  EXPECT_TRUE(m.invalid_user);
  m = Parse("Failed password for invalid user  from 1.2.3.4 port 22 ssh2",
            MessageType::kAuthFailure);
  EXPECT_EQ(m.user, "");
  EXPECT_TRUE(m.invalid_user);
  m = Parse("Failed password for invalid user a b from 1.2.3.4 port 22 ssh2",
            MessageType::kAuthFailure);
  EXPECT_EQ(m.user, "a b");
  m = Parse("Failed password for invalid user  0 from 1.2.3.4 port 22 ssh2",
            MessageType::kAuthFailure);
  EXPECT_EQ(m.user, " 0");
  // A user name holding a fake peer: sshd writes the real one last.
  m = Parse("Failed password for invalid user x from 9.9.9.9 port 1 ssh2 from 1.2.3.4 port 22 "
            "ssh2",
            MessageType::kAuthFailure);
  EXPECT_EQ(m.user, "x from 9.9.9.9 port 1 ssh2");
  EXPECT_EQ(m.address, "1.2.3.4");
  EXPECT_EQ(m.port, 22);
  // rsyslog's escapes of control bytes stay as logged.
  m = Parse("Failed password for invalid user a#033[31m from 1.2.3.4 port 22 ssh2",
            MessageType::kAuthFailure);
  EXPECT_EQ(m.user, "a#033[31m");
}

TEST(SshdMessageTest, ReadsEveryMethod) {
  SshdMessage m = Parse("Failed publickey for git from 10.0.0.1 port 5 ssh2: RSA SHA256:abc",
                        MessageType::kAuthFailure);
  EXPECT_EQ(m.method, "publickey");
  EXPECT_EQ(m.port, 5);
  m = Parse("Failed keyboard-interactive/pam for invalid user x from 10.0.0.1 port 5 ssh2",
            MessageType::kAuthFailure);
  EXPECT_EQ(m.method, "keyboard-interactive");
  m = Parse("Failed hostbased for u from 10.0.0.1 port 5 ssh2", MessageType::kAuthFailure);
  EXPECT_EQ(m.method, "hostbased");
  m = Parse("Failed gssapi-with-mic for u from 10.0.0.1 port 5 ssh2", MessageType::kAuthFailure);
  EXPECT_EQ(m.method, "gssapi-with-mic");
  m = Parse("Failed none for invalid user admin from 5.188.10.180 port 52631 ssh2",
            MessageType::kNoneFailure);
  EXPECT_EQ(m.method, "none");
  EXPECT_EQ(m.user, "admin");
  m = Parse("Accepted publickey for ubuntu from 85.245.107.41 port 54259 ssh2: RSA "
            "SHA256:Kl8kPGZrTiz7g4FO1hyqHdsSBBb5Fge6NWOobN03XJg",
            MessageType::kAuthSuccess);
  EXPECT_EQ(m.method, "publickey");
  EXPECT_EQ(m.user, "ubuntu");
  EXPECT_EQ(m.port, 54259);
  m = Parse("Accepted password for fztu from 119.137.62.142 port 49116 ssh2",
            MessageType::kAuthSuccess);
  EXPECT_EQ(m.method, "password");
}

TEST(SshdMessageTest, ReadsIpv6AndHostNamePeers) {
  SshdMessage m = Parse("Failed password for root from 2001:DB8::0001 port 22 ssh2",
                        MessageType::kAuthFailure);
  EXPECT_EQ(m.address, "2001:DB8::0001");
  EXPECT_FALSE(m.ip.is_v4);
  m = Parse("Failed password for root from ::ffff:10.1.2.3 port 22 ssh2",
            MessageType::kAuthFailure);
  EXPECT_TRUE(m.ip.is_v4);
  m = Parse("Failed password for root from host-5.example.net port 22 ssh2",
            MessageType::kAuthFailure);
  EXPECT_TRUE(m.ip_is_hostname);
  EXPECT_EQ(m.address, "host-5.example.net");
}

TEST(SshdMessageTest, ReadsInvalidUserWithAndWithoutPort) {
  SshdMessage m = Parse("Invalid user webmaster from 173.234.31.186", MessageType::kInvalidUser);
  EXPECT_EQ(m.user, "webmaster");
  EXPECT_EQ(m.port, -1);
  m = Parse("Invalid user admin from 1.2.3.4 port 5555", MessageType::kInvalidUser);
  EXPECT_EQ(m.port, 5555);
  m = Parse("Invalid user  from 1.2.3.4", MessageType::kInvalidUser);
  EXPECT_EQ(m.user, "");
  EXPECT_TRUE(m.has_user);
  m = Parse("Illegal user test from 1.2.3.4", MessageType::kInvalidUser);
  EXPECT_EQ(m.user, "test");
}

TEST(SshdMessageTest, ReadsMaxTriesAndTooMany) {
  SshdMessage m = Parse("error: maximum authentication attempts exceeded for invalid user "
                        "support from 95.152.57.58 port 53679 ssh2 [preauth]",
                        MessageType::kMaxTries);
  EXPECT_EQ(m.user, "support");
  EXPECT_TRUE(m.invalid_user);
  EXPECT_EQ(m.port, 53679);
  m = Parse("Disconnecting: Too many authentication failures [preauth]",
            MessageType::kTooManyFailures);
  EXPECT_FALSE(m.has_user);
  EXPECT_TRUE(m.address.empty());
  m = Parse("Disconnecting: Too many authentication failures for root [preauth]",
            MessageType::kTooManyFailures);
  EXPECT_EQ(m.user, "root");
  m = Parse("Disconnecting authenticating user root 1.2.3.4 port 22: Too many authentication "
            "failures [preauth]",
            MessageType::kTooManyFailures);
  EXPECT_EQ(m.user, "root");
  EXPECT_EQ(m.address, "1.2.3.4");
  EXPECT_EQ(m.port, 22);
  m = Parse("Disconnecting invalid user a b 1.2.3.4 port 22: Too many authentication failures "
            "[preauth]",
            MessageType::kTooManyFailures);
  EXPECT_EQ(m.user, "a b");
  EXPECT_TRUE(m.invalid_user);
  Parse("Disconnecting: Change of username or service not allowed: (a,ssh-connection) -> "
        "(b,ssh-connection) [preauth]",
        MessageType::kClose);
}

TEST(SshdMessageTest, ReadsConnectionEnds) {
  SshdMessage m = Parse("Connection closed by 173.234.31.186 [preauth]", MessageType::kClose);
  EXPECT_EQ(m.address, "173.234.31.186");
  EXPECT_EQ(m.port, -1);
  EXPECT_TRUE(m.preauth);
  EXPECT_FALSE(m.has_user);
  m = Parse("Connection closed by 1.2.3.4 port 5 [preauth]", MessageType::kClose);
  EXPECT_EQ(m.port, 5);
  m = Parse("Connection closed by 1.2.3.4 port 5", MessageType::kClose);
  EXPECT_FALSE(m.preauth);
  m = Parse("Connection closed by invalid user admin 1.2.3.4 port 5 [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.user, "admin");
  EXPECT_TRUE(m.invalid_user);
  m = Parse("Connection closed by invalid user  1.2.3.4 port 5 [preauth]", MessageType::kClose);
  EXPECT_EQ(m.user, "");
  EXPECT_TRUE(m.has_user);
  m = Parse("Connection closed by authenticating user root 1.2.3.4 port 5 [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.user, "root");
  EXPECT_FALSE(m.invalid_user);
  m = Parse("Disconnected from invalid user x y 2001:db8::5 port 41 [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.user, "x y");
  EXPECT_EQ(m.address, "2001:db8::5");
  m = Parse("Disconnected from user ubuntu 1.2.3.4 port 5", MessageType::kClose);
  EXPECT_FALSE(m.preauth);
  m = Parse("Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]", MessageType::kClose);
  EXPECT_EQ(m.address, "52.80.34.196");
  EXPECT_TRUE(m.preauth);
  m = Parse("Received disconnect from 218.65.30.53 port 22445:11:  [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.port, 22445);
  m = Parse("error: Received disconnect from 103.99.0.122: 14: No more user authentication "
            "methods available. [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.address, "103.99.0.122");
  m = Parse("Received disconnect from 2001:db8::1: 11: Bye", MessageType::kClose);
  EXPECT_EQ(m.address, "2001:db8::1");
  EXPECT_FALSE(m.preauth);
  m = Parse("Connection reset by 1.2.3.4 port 5 [preauth]", MessageType::kClose);
  EXPECT_EQ(m.port, 5);
  m = Parse("fatal: Write failed: Connection reset by peer [preauth]", MessageType::kClose);
  EXPECT_TRUE(m.address.empty());
  EXPECT_TRUE(m.preauth);
  m = Parse("fatal: Read from socket failed: Connection reset by peer [preauth]",
            MessageType::kClose);
  EXPECT_TRUE(m.address.empty());
  m = Parse("Read error from remote host 1.2.3.4 port 5: Connection timed out [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.address, "1.2.3.4");
  m = Parse("Timeout before authentication for 1.2.3.4 port 5", MessageType::kClose);
  EXPECT_TRUE(m.preauth);
  m = Parse("ssh_dispatch_run_fatal: Connection from 1.2.3.4 port 5: message authentication "
            "code incorrect [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.port, 5);
  EXPECT_FALSE(m.has_user);
  m = Parse("ssh_dispatch_run_fatal: Connection from authenticating user root 1.2.3.4 port 5: "
            "Connection corrupted [preauth]",
            MessageType::kClose);
  EXPECT_EQ(m.user, "root");
}

TEST(SshdMessageTest, ReadsScannerNoise) {
  SshdMessage m = Parse("Did not receive identification string from 123.235.32.19",
                        MessageType::kScan);
  EXPECT_EQ(m.address, "123.235.32.19");
  m = Parse("Did not receive identification string from 1.2.3.4 port 5", MessageType::kScan);
  EXPECT_EQ(m.port, 5);
  m = Parse("Bad protocol version identification 'GET / HTTP/1.1' from 1.2.3.4 port 5",
            MessageType::kScan);
  EXPECT_EQ(m.address, "1.2.3.4");
  m = Parse("Bad protocol version identification 'x from 9.9.9.9 port 1' from 1.2.3.4 port 5",
            MessageType::kScan);
  EXPECT_EQ(m.address, "1.2.3.4");
  m = Parse("fatal: Unable to negotiate with 1.2.3.4 port 5: no matching cipher found. Their "
            "offer: aes128-cbc [preauth]",
            MessageType::kScan);
  EXPECT_EQ(m.port, 5);
  m = Parse("banner exchange: Connection from 1.2.3.4 port 5: invalid format", MessageType::kScan);
  EXPECT_EQ(m.address, "1.2.3.4");
  m = Parse("Protocol major versions differ for 1.2.3.4: SSH-2.0-OpenSSH vs. SSH-1.5-x",
            MessageType::kScan);
  EXPECT_EQ(m.address, "1.2.3.4");
  Parse("error: kex_exchange_identification: Connection closed by remote host",
        MessageType::kScanNoAddress);
  Parse("kex_exchange_identification: client sent invalid protocol identifier \"GET /\"",
        MessageType::kScanNoAddress);
  m = Parse("Connection from 85.245.107.41 port 61663 on 10.77.20.248 port 222",
            MessageType::kConnectionFrom);
  EXPECT_EQ(m.address, "85.245.107.41");
  EXPECT_EQ(m.port, 61663);
}

TEST(SshdMessageTest, ExpandsRepeatedMessages) {
  SshdMessage m = Parse("message repeated 5 times: [ Failed password for root from 5.36.59.76 "
                        "port 42393 ssh2]",
                        MessageType::kAuthFailure);
  EXPECT_EQ(m.repeat, 5u);
  EXPECT_EQ(m.user, "root");
  EXPECT_EQ(m.port, 42393);
  m = Parse("message repeated 1000000 times: [ Failed password for root from 1.2.3.4 port 1 "
            "ssh2]",
            MessageType::kAuthFailure);
  EXPECT_EQ(m.repeat, 1'000'000u);
  EXPECT_EQ(ParseError("message repeated 0 times: [ Failed password for r from 1.2.3.4 port 1 "
                       "ssh2]")
                .column,
            "repeat");
  EXPECT_EQ(ParseError("message repeated 1000001 times: [ x]").column, "repeat");
  EXPECT_EQ(ParseError("message repeated 99999999999999999999 times: [ x]").column, "repeat");
  EXPECT_EQ(ParseError("message repeated -3 times: [ x]").column, "repeat");
  EXPECT_EQ(ParseError("message repeated 3 times").column, "message");
  Parse("message repeated 2 times: [ message repeated 3 times: [ Failed password for r from "
        "1.2.3.4 port 1 ssh2]]",
        MessageType::kUnknown);
  m = Parse("message repeated 2 times: [ pam_unix(sshd:auth): check pass; user unknown]",
            MessageType::kIgnored);
}

TEST(SshdMessageTest, ReportsMalformedFields) {
  SshdMessageError e = ParseError("Failed password for root from 999.1.1.1 port 22 ssh2");
  EXPECT_EQ(e.column, "ip");
  EXPECT_EQ(e.value, "999.1.1.1");
  EXPECT_EQ(e.expected, "an IPv4 or IPv6 address or a host name");
  EXPECT_NE(e.message.find("999.1.1.1"), std::string::npos);
  e = ParseError("Failed password for root from 1.2.3.4 port 65536 ssh2");
  EXPECT_EQ(e.column, "port");
  EXPECT_EQ(e.value, "65536");
  EXPECT_EQ(ParseError("Failed password for root from 1.2.3.4 port 123456789 ssh2").column,
            "port");
  EXPECT_EQ(ParseError("Invalid user x from bad_host!").column, "ip");
  EXPECT_EQ(ParseError("Connection closed by 1.2.3.999 port 5 [preauth]").column, "ip");
  EXPECT_EQ(ParseError("Failed password for root").column, "message");
  EXPECT_EQ(ParseError("Failed pass<word for root from 1.2.3.4 port 1 ssh2").column, "method");
  EXPECT_EQ(Parse("Failed password for " + std::string(512, 'u') + " from 1.2.3.4 port 1 ssh2",
                  MessageType::kAuthFailure)
                .user.size(),
            512u);
  EXPECT_EQ(ParseError("Failed password for " + std::string(513, 'u') +
                       " from 1.2.3.4 port 1 ssh2")
                .column,
            "user");
  e = ParseError("Failed password for root from " + std::string(5000, '9') + " port 1 ssh2");
  EXPECT_EQ(e.column, "ip");
  EXPECT_LE(e.value.size(), 260u);  // bounded
}

TEST(SshdMessageTest, SortsOtherLines) {
  for (const char* text :
       {"pam_unix(sshd:auth): check pass; user unknown",
        "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
        "rhost=173.234.31.186 ",
        "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4",
        "PAM service(sshd) ignoring max retries; 6 > 3",
        "error: PAM: Authentication failure for root from 1.2.3.4",
        "error: PAM: User not known to the underlying authentication module for illegal user x "
        "from 1.2.3.4",
        "input_userauth_request: invalid user webmaster [preauth]",
        "pam_unix(sshd:session): session opened for user ubuntu by (uid=0)",
        "reverse mapping checking getaddrinfo for ns.example.com [173.234.31.186] failed - "
        "POSSIBLE BREAK-IN ATTEMPT!",
        "Server listening on 0.0.0.0 port 22.", "Received signal 15; terminating.",
        "Accepted key RSA SHA256:abc found at /home/u/.ssh/authorized_keys:1",
        "Postponed keyboard-interactive for u from 1.2.3.4 port 5 ssh2 [preauth]",
        "Partial publickey for u from 1.2.3.4 port 5 ssh2: ED25519 SHA256:x",
        "User child is on pid 1234", "Starting session: shell on pts/0 for u from 1.2.3.4 port 5 "
                                     "id 0"}) {
    Parse(text, MessageType::kIgnored);
  }
  for (const char* text : {"", "hello", "Failed to open something", "error: ", "fatal: ",
                           "Connection closed by", "Disconnecting", "Received disconnect from"}) {
    Parse(text, MessageType::kUnknown);
  }
}

}  // namespace
}  // namespace vigil::sshd
