// sim_handshake_check: chorus-sim against Chorus's own client-side protocol pieces, covering
// what Baileys cannot: Baileys 6.17.16 checks nothing in the certificate chain and speaks only
// dictionary v2. Here NoiseInitiator verifies the chain with whatsmeow's seven checks against
// the root_key the simulator published, and the connections use dictionary v3 and an "ED"
// routing prefix.
//
//   sim_handshake_check --sim PATH/chorus-sim
//
// Cases: (1) registration: ServerHello verifies, <pair-device> carries 6 refs, ping → result,
// unknown iq → 501; (2) a wrong trusted root key makes the chain check fail (Errc::Crypto);
// (3) login by an unknown device → <failure reason="401"/>; (4) a registration whose signed
// prekey signature does not verify → <failure reason="400"/>. Exit status 0 only if all pass.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QWebSocket>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/binary/codec.h"
#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/noise/noise_initiator.h"
#include "core/protocol/noise/proto_io.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "proto/client_payload.pb.h"
#include "tests/integration/support/sim_client.h"

namespace {

namespace core = chorus::core;
using core::Bytes;
using core::binary::DictVersion;
using core::binary::Node;

constexpr int kWaitMs = 10'000;
constexpr auto kDict = DictVersion::V3;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "sim_handshake_check: FAIL: %s\n", message.c_str());
  std::exit(1);
}

template <class T>
T need(core::Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + core::describe(r.error()));
  return std::move(r).value();
}

using chorus::testing::waitUntil;

QByteArray toQt(const Bytes& b) {
  return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
}

// One client WebSocket with client-role framing.
class Client {
 public:
  Client(const QString& url, Bytes routingInfo)
      : socket_(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &owner_)) {
    core::frame::FrameEncoder::Options options;
    options.dictVersion = static_cast<std::uint8_t>(kDict);
    options.routingInfo = std::move(routingInfo);
    encoder_.emplace(need(core::frame::FrameEncoder::create(std::move(options)), "frame encoder"));
    QObject::connect(
        socket_, &QWebSocket::binaryMessageReceived, &owner_, [this](const QByteArray& data) {
          auto frames = decoder_.feed(core::asBytes(
              std::string_view(data.constData(), static_cast<std::size_t>(data.size()))));
          if (!frames) die("client framing: " + core::describe(frames.error()));
          for (Bytes& f : *frames) frames_.push_back(std::move(f));
        });
    QObject::connect(socket_, &QWebSocket::disconnected, &owner_, [this] { closed_ = true; });
    socket_->open(QUrl(url));
    if (!waitUntil([this] { return socket_->state() == QAbstractSocket::ConnectedState; }))
      die("cannot connect");
  }

  [[nodiscard]] const Bytes& prologue() const { return encoder_->introHeader(); }
  void sendFrame(const Bytes& payload) {
    socket_->sendBinaryMessage(toQt(need(encoder_->encode(payload), "encode frame")));
  }
  Bytes nextFrame(const char* what) {
    if (!waitUntil([this] { return !frames_.empty() || closed_; }) || frames_.empty())
      die(std::string("no frame: ") + what);
    Bytes f = std::move(frames_.front());
    frames_.pop_front();
    return f;
  }
  void sendNode(core::noise::TransportCipher& cipher, const Node& node) {
    sendFrame(need(cipher.encrypt(need(core::binary::encodeFrame(node, kDict), "encode node")),
                   "encrypt"));
  }
  Node nextNode(core::noise::TransportCipher& cipher, const char* what) {
    const Bytes sealed = nextFrame(what);
    return need(core::binary::decodeFrame(need(cipher.decrypt(sealed), "decrypt"), kDict),
                "decode node");
  }
  bool waitClosed() {
    return waitUntil([this] { return closed_; });
  }

 private:
  QObject owner_;
  QWebSocket* socket_;
  core::frame::FrameDecoder decoder_;
  std::optional<core::frame::FrameEncoder> encoder_;
  std::deque<Bytes> frames_;
  bool closed_ = false;
};

struct Sim {
  QString ws;
  Bytes rootKey;
};

Bytes registrationPayload(core::Random& random, bool corruptSignature) {
  const auto identity = need(core::crypto::generateKeyPair(random), "identity key");
  const auto signedPreKey = need(core::crypto::generateKeyPair(random), "signed prekey");
  Bytes signedMessage{0x05};
  core::append(signedMessage, signedPreKey.publicKey);
  Bytes signature =
      need(core::crypto::xeddsaSign(identity.privateKey.view(), signedMessage, random), "sign");
  if (corruptSignature) signature[5] ^= 0x40;
  chorus::proto::ClientPayload payload;
  payload.set_passive(false);
  payload.set_connecttype(chorus::proto::ClientPayload::WIFI_UNKNOWN);
  payload.set_connectreason(chorus::proto::ClientPayload::USER_ACTIVATED);
  auto* reg = payload.mutable_devicepairingdata();
  reg->set_eregid(std::string("\x00\x00\x12\x34", 4));
  reg->set_ekeytype(std::string("\x05", 1));
  reg->set_eident(std::string(core::asString(identity.publicKey)));
  reg->set_eskeyid(std::string("\x00\x00\x01", 3));
  reg->set_eskeyval(std::string(core::asString(signedPreKey.publicKey)));
  reg->set_eskeysig(std::string(core::asString(signature)));
  return core::noise::serializeProto(payload);
}

Bytes loginPayload(std::uint64_t phone, std::uint32_t device) {
  chorus::proto::ClientPayload payload;
  payload.set_username(phone);
  payload.set_device(device);
  payload.set_passive(false);
  payload.set_pull(true);
  return core::noise::serializeProto(payload);
}

// Runs the handshake; returns the transport cipher, or the verification error of ServerHello.
core::Result<core::noise::TransportCipher> handshake(Client& client, core::Random& random,
                                                     const Bytes& trustedRoot,
                                                     const Bytes& payload) {
  core::noise::InitiatorConfig config{
      client.prologue(), need(core::crypto::generateKeyPair(random), "noise key"),
      need(core::crypto::generateKeyPair(random), "ephemeral"), trustedRoot};
  auto initiator = need(core::noise::NoiseInitiator::create(std::move(config)), "initiator");
  client.sendFrame(need(initiator.start(), "ClientHello"));
  const Bytes hello = client.nextFrame("ServerHello");
  CHORUS_TRY(finish, initiator.onServerHello(hello, payload, core::SystemClock().now()));
  client.sendFrame(finish);
  return initiator.transport();
}

Node serverIq(const std::string& id, const std::string& xmlns, const std::string& child) {
  core::jid::Jid server;
  server.server = std::string(core::jid::kUserServer);
  Node iq{"iq", {}, {}};
  iq.set("id", id).set("to", server).set("type", std::string("get")).set("xmlns", xmlns);
  iq.content = core::binary::Children{Node{child, {}, {}}};
  return iq;
}

void expectFailure(Client& client, core::noise::TransportCipher& cipher, const std::string& reason,
                   const char* what) {
  const Node failure = client.nextNode(cipher, what);
  if (failure.tag != "failure" || failure.attrText("reason") != reason)
    die(std::string(what) + ": no failure " + reason);
  if (!client.waitClosed()) die(std::string(what) + ": connection stayed open after the failure");
}

void runChecks(const Sim& sim, core::Random& random) {
  {  // 1. Registration with an "ED" routing prefix.
    Client client(sim.ws, random.bytes(11));
    auto cipher = need(handshake(client, random, sim.rootKey, registrationPayload(random, false)),
                       "chain check");
    const Node iq = client.nextNode(cipher, "pair-device");
    const Node* pair = iq.child("pair-device");
    if (iq.tag != "iq" || iq.attrText("type") != "set" || iq.attrText("xmlns") != "md" || !pair ||
        !pair->children() || pair->children()->size() != 6) {
      die("registration: no <pair-device> with 6 refs");
    }
    for (const Node& ref : *pair->children()) {
      if (ref.tag != "ref" || !ref.bytes() || ref.bytes()->empty())
        die("registration: a ref is empty");
    }
    Node ack{"iq", {}, {}};
    ack.set("id", *iq.attrText("id")).set("type", std::string("result"));
    client.sendNode(cipher, ack);
    client.sendNode(cipher, serverIq("ping-1", "w:p", "ping"));
    const Node pong = client.nextNode(cipher, "ping result");
    if (pong.attrText("id") != "ping-1" || pong.attrText("type") != "result")
      die("ping: no result");
    client.sendNode(cipher, serverIq("odd-1", "nonsense", "x"));
    const Node error = client.nextNode(cipher, "501");
    const Node* e = error.child("error");
    if (error.attrText("id") != "odd-1" || error.attrText("type") != "error" || !e ||
        e->attrText("code") != "501" || e->attrText("text") != "feature-not-implemented") {
      die("unknown iq: no 501");
    }
    std::printf(
        "ok 1 - registration (dict v3, ED prefix): chain verified against root_key, 6 refs, ping, "
        "501\n");
  }
  {  // 2. A different trusted root makes the chain check fail.
    Client client(sim.ws, {});
    auto cipher = handshake(client, random, random.bytes(32), loginPayload(15550003333, 2));
    if (cipher || cipher.error().code != core::Errc::Crypto)
      die("chain check passed with a wrong root key");
    std::printf("ok 2 - the chain does not verify against another root key\n");
  }
  {  // 3. Unknown device.
    Client client(sim.ws, {});
    auto cipher =
        need(handshake(client, random, sim.rootKey, loginPayload(15550003333, 2)), "chain check");
    expectFailure(client, cipher, "401", "unknown device");
    std::printf("ok 3 - unknown device login → <failure reason=\"401\"/>, closed\n");
  }
  {  // 4. Bad signed prekey signature.
    Client client(sim.ws, {});
    auto cipher = need(handshake(client, random, sim.rootKey, registrationPayload(random, true)),
                       "chain check");
    expectFailure(client, cipher, "400", "bad registration");
    std::printf(
        "ok 4 - registration with a bad signed prekey signature → <failure reason=\"400\"/>, "
        "closed\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (argc != 3 || std::string(argv[1]) != "--sim")
    die("usage: sim_handshake_check --sim PATH/chorus-sim");
  QTemporaryDir dir;
  if (!dir.isValid()) die("no temporary folder");
  QProcess sim;
  sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  sim.start(QString::fromLocal8Bit(argv[2]),
            {QStringLiteral("--data"), dir.path(), QStringLiteral("--log-level"),
             QStringLiteral("warn")});
  if (!sim.waitForStarted(kWaitMs)) die("chorus-sim did not start");
  if (!waitUntil([&sim] { return sim.canReadLine() || sim.state() == QProcess::NotRunning; }) ||
      !sim.canReadLine()) {
    die("chorus-sim printed no ready line");
  }
  const QJsonObject ready = QJsonDocument::fromJson(sim.readLine()).object();
  Sim info{ready.value(QStringLiteral("ws")).toString(),
           need(core::fromHex(ready.value(QStringLiteral("root_key")).toString().toStdString()),
                "root_key")};
  if (info.ws.isEmpty() || info.rootKey.size() != 32) die("bad ready line");

  core::SystemRandom random;
  runChecks(info, random);
  sim.terminate();
  sim.waitForFinished(kWaitMs);
  std::printf("sim_handshake_check: all passed\n");
  return 0;
}
