// noise_peer: a loopback TCP server that answers Baileys' makeNoiseHandler client with Chorus's
// NoiseResponder, FrameDecoder/FrameEncoder, TransportCipher and binary codec. Driven by
// node/noise_client.js (test interop_noise).
//
//   noise_peer --connections N
//
// Prints "PORT <port>" on stdout, then serves N connections one after another. Per connection:
//   1. intro (+ optional "ED" routing prefix) and ClientHello → ServerHello (fresh ephemeral key,
//      a certificate chain from createCertChain);
//   2. ClientFinish → transport ciphers; sends <success client_static=HEX payload=HEX> so the
//      client can check what the responder authenticated;
//   3. transport phase: every node received is decoded and sent back re-encoded by Chorus;
//      <burst count=K seed=S/> is answered by K generated nodes written in one send() (merged
//      frames); <split/> makes the next reply go out one byte per send(); <bye/> closes.
// Reads use a cycle of sizes from 1 byte to 64 KiB, so the frame decoder sees frames split at
// every position and several frames per read. Exit status 0 only when every session completed.
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/crypto/x25519.h"
#include "core/protocol/binary/codec.h"
#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/frame/intro.h"
#include "core/protocol/noise/cert_chain.h"
#include "core/protocol/noise/noise_responder.h"
#include "core/util/random.h"

namespace {

using chorus::core::Bytes;
using chorus::core::BytesView;
using chorus::core::Errc;
using chorus::core::fail;
using chorus::core::Result;
using chorus::core::Status;
using chorus::core::binary::DictVersion;
using chorus::core::binary::Node;
namespace frame = chorus::core::frame;
namespace noise = chorus::core::noise;
namespace crypto = chorus::core::crypto;

constexpr std::array<std::size_t, 8> kReadSizes{1, 2, 3, 7, 64, 1000, 4096, 65536};
constexpr std::uint64_t kCertNotBefore = 1700000000;
constexpr std::uint64_t kCertNotAfter = 4102444800;

class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Reads until the decoder yields at least one frame; returns them all.
  Result<std::vector<Bytes>> readFrames(frame::FrameDecoder& decoder) {
    std::vector<std::uint8_t> buf(kReadSizes.back());
    while (true) {
      const std::size_t want = kReadSizes[reads_++ % kReadSizes.size()];
      const ssize_t n = ::recv(fd_, buf.data(), want, 0);
      if (n == 0) return fail(Errc::Io, "peer closed the connection");
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(Errc::Io, std::string("recv: ") + std::strerror(errno));
      }
      CHORUS_TRY(frames, decoder.feed(BytesView(buf.data(), static_cast<std::size_t>(n))));
      if (!frames.empty()) return frames;
    }
  }

  Status send(BytesView data, bool byteByByte = false) {
    std::size_t off = 0;
    while (off < data.size()) {
      const std::size_t want = byteByByte ? 1 : data.size() - off;
      const ssize_t n = ::send(fd_, data.data() + off, want, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(Errc::Io, std::string("send: ") + std::strerror(errno));
      }
      off += static_cast<std::size_t>(n);
    }
    return chorus::core::ok();
  }

 private:
  int fd_;
  std::size_t reads_ = 0;
};

// The K generated nodes of a burst, in the same way node/noise_client.js expects them.
Node burstItem(std::uint32_t seed, std::uint32_t i) {
  static constexpr std::array<std::size_t, 6> kSizes{0, 1, 255, 256, 4096, 70000};
  Node n;
  n.tag = "burst-item";
  n.attrs.push_back({"i", std::to_string(i)});
  n.attrs.push_back({"seed", std::to_string(seed)});
  const std::size_t size = kSizes[(seed + i) % kSizes.size()];
  Bytes content(size);
  for (std::size_t k = 0; k < size; ++k)
    content[k] = static_cast<std::uint8_t>((seed * 31 + i * 7 + k) & 0xff);
  n.content = std::move(content);
  return n;
}

Result<std::uint32_t> attrNumber(const Node& n, const char* key) {
  const auto text = n.attrText(key);
  if (!text || text->empty() || text->size() > 9)
    return fail(Errc::Protocol, std::string("missing attribute ") + key);
  return static_cast<std::uint32_t>(std::stoul(*text));
}

Status serve(int fd, chorus::core::Random& random, const crypto::KeyPair& serverStatic,
             const Bytes& certChain, int index) {
  Connection conn(fd);
  frame::FrameDecoder::Options decoderOptions;
  decoderOptions.role = frame::Role::Server;
  frame::FrameDecoder decoder(decoderOptions);
  frame::FrameEncoder::Options encoderOptions;
  encoderOptions.role = frame::Role::Server;
  CHORUS_TRY(encoder, frame::FrameEncoder::create(std::move(encoderOptions)));

  CHORUS_TRY(hello, conn.readFrames(decoder));
  if (hello.size() != 1)
    return fail(Errc::Protocol, "client sent more than ClientHello before ServerHello");
  if (!decoder.dictVersion()) return fail(Errc::Protocol, "no intro header");
  CHORUS_TRY(prologue, frame::introHeader(*decoder.dictVersion()));
  CHORUS_TRY(ephemeral, crypto::generateKeyPair(random));
  CHORUS_TRY(responder, noise::NoiseResponder::create(
                            {prologue,
                             {serverStatic.privateKey.clone(), serverStatic.publicKey},
                             std::move(ephemeral),
                             certChain}));
  CHORUS_TRY(serverHello, responder.onClientHello(hello[0]));
  CHORUS_TRY(helloFrame, encoder.encode(serverHello));
  CHORUS_CHECK(conn.send(helloFrame));

  CHORUS_TRY(finish, conn.readFrames(decoder));
  if (finish.size() != 1)
    return fail(Errc::Protocol, "client sent transport frames before the handshake ended");
  CHORUS_TRY(info, responder.onClientFinish(finish[0]));
  CHORUS_TRY(cipher, responder.transport());
  const auto dict = static_cast<DictVersion>(*decoder.dictVersion());

  auto sendNode = [&](const Node& n, Bytes& out) -> Status {
    CHORUS_TRY(plain, chorus::core::binary::encodeFrame(n, dict));
    CHORUS_TRY(sealed, cipher.encrypt(plain));
    return encoder.encodeInto(out, sealed);
  };

  Node success;
  success.tag = "success";
  success.attrs.push_back({"client_static", chorus::core::toHex(info.clientStaticKey)});
  success.attrs.push_back({"payload", chorus::core::toHex(info.clientPayload)});
  success.attrs.push_back({"routing", chorus::core::toHex(decoder.routingInfo())});
  success.attrs.push_back({"connection", std::to_string(index)});
  Bytes out;
  CHORUS_CHECK(sendNode(success, out));
  CHORUS_CHECK(conn.send(out));

  bool splitNext = false;
  std::size_t received = 0;
  while (true) {
    CHORUS_TRY(frames, conn.readFrames(decoder));
    out.clear();
    for (const Bytes& sealed : frames) {
      ++received;
      CHORUS_TRY(plain, cipher.decrypt(sealed));
      CHORUS_TRY(node, chorus::core::binary::decodeFrame(plain, dict));
      if (node.tag == "bye") {
        std::fprintf(stderr, "noise_peer: connection %d: %zu frames received, closing\n", index,
                     received);
        return conn.send(out, splitNext);
      }
      if (node.tag == "split") {
        splitNext = true;
        continue;
      }
      if (node.tag == "burst") {
        CHORUS_TRY(count, attrNumber(node, "count"));
        CHORUS_TRY(seed, attrNumber(node, "seed"));
        for (std::uint32_t i = 0; i < count; ++i) CHORUS_CHECK(sendNode(burstItem(seed, i), out));
        continue;
      }
      CHORUS_CHECK(sendNode(node, out));  // echo, re-encoded by Chorus
    }
    if (!out.empty()) {
      CHORUS_CHECK(conn.send(out, splitNext));
      splitNext = false;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int connections = 1;
  if (argc == 3 && std::strcmp(argv[1], "--connections") == 0) connections = std::atoi(argv[2]);

  chorus::core::SystemRandom random;
  auto serverStatic = crypto::generateKeyPair(random);
  auto root = crypto::generateKeyPair(random);
  auto intermediate = crypto::generateKeyPair(random);
  if (!serverStatic || !root || !intermediate) return 1;
  noise::CertChainParams params;
  params.rootPrivateKey = root->privateKey.view();
  params.intermediatePrivateKey = intermediate->privateKey.view();
  params.leafKey = serverStatic->publicKey;
  params.notBefore = kCertNotBefore;
  params.notAfter = kCertNotAfter;
  auto chain = noise::createCertChain(params, random);
  if (!chain) {
    std::fprintf(stderr, "noise_peer: createCertChain: %s\n",
                 chorus::core::describe(chain.error()).c_str());
    return 1;
  }

  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 4) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("noise_peer: listen");
    return 1;
  }
  std::printf("PORT %u\n", static_cast<unsigned>(ntohs(addr.sin_port)));
  std::fflush(stdout);

  int failures = 0;
  for (int i = 0; i < connections; ++i) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) {
      std::perror("noise_peer: accept");
      return 1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (auto done = serve(fd, random, *serverStatic, *chain, i); !done) {
      std::fprintf(stderr, "noise_peer: connection %d failed: %s\n", i,
                   chorus::core::describe(done.error()).c_str());
      ++failures;
    }
  }
  ::close(listener);
  return failures == 0 ? 0 : 1;
}
