#include "app/sim/sim_connection.h"

#include <QWebSocket>
#include <chrono>
#include <utility>

#include "app/sim/sim_hub.h"
#include "app/sim/sim_keys.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/frame/intro.h"
#include "core/protocol/jid/jid.h"
#include "core/protocol/noise/proto_io.h"
#include "proto/client_payload.pb.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::Errc;
using core::fail;
using core::LogLevel;
using core::Status;
using core::binary::Node;

// Refs in one <pair-device>: 60 s for the first QR, 20 s for each later one (§6.2).
constexpr std::size_t kRefCount = 6;
constexpr std::size_t kRefRandomBytes = 18;  // 24 base64 characters, never padded
constexpr std::chrono::milliseconds kHandshakeTimeout{20'000};
// Clients ping every 20–30 s (§15.9); a connection silent for this long is dead.
constexpr std::chrono::milliseconds kIdleTimeout{75'000};
// The first stanza after the handshake waits this long. Baileys switches to its transport keys
// asynchronously after sending ClientFinish (an awaited WebCrypto HKDF) and silently drops frames
// that arrive before that; a real server's round trip hides the race, loopback does not.
constexpr std::chrono::milliseconds kFirstStanzaDelay{150};
constexpr std::size_t kMaxEarlyFrames = 64;  // frames queued meanwhile
// Client frames are stanzas (media goes over HTTP): a length prefix over this closes the
// connection before its body arrives. The wire format allows 16 MiB.
constexpr std::size_t kMaxClientFrame = 1024 * 1024;
// After <failure>, clients close by themselves; closing first would race their reading of it
// (Baileys would report "connection closed" instead of the failure reason).
constexpr std::chrono::milliseconds kEndGrace{2'000};
constexpr std::uint8_t kDjbKeyType = 0x05;
constexpr std::size_t kRegistrationIdSize = 4;
constexpr std::size_t kSignedPreKeyIdSize = 3;
// <failure reason=…> codes (§4.7).
constexpr int kFailureBadRequest = 400;
constexpr int kFailureLoggedOut = 401;

core::frame::FrameDecoder makeDecoder() {
  core::frame::FrameDecoder::Options options;
  options.role = core::frame::Role::Server;
  options.maxFrameSize = kMaxClientFrame;
  return core::frame::FrameDecoder(options);
}

std::string makeRef(core::Random& random) {
  return "2@" + core::toBase64(random.bytes(kRefRandomBytes));
}

}  // namespace

SimConnection::SimConnection(QWebSocket* socket, SimContext& context, std::uint64_t id,
                             QObject* parent)
    : QObject(parent),
      socket_(socket),
      ctx_(context),
      id_(id),
      idleTimer_(this),
      refTimer_(this),
      faults_(new SimFaults([this](const Bytes& plain) { writeFrame(plain); }, this)),
      decoder_(makeDecoder()) {
  socket_->setParent(this);
  iqPrefix_ = core::toHex(ctx_.random.bytes(3)) + "-";
  idleTimer_.setSingleShot(true);
  idleTimer_.setInterval(kHandshakeTimeout);
  connect(&idleTimer_, &QTimer::timeout, this, [this] {
    if (stage_ == Stage::Closing) {
      stage_ = Stage::Closed;
      socket_->close(QWebSocketProtocol::CloseCodeNormal);
      return;
    }
    closeWith("idle timeout");
  });
  refTimer_.setSingleShot(true);
  connect(&refTimer_, &QTimer::timeout, this, &SimConnection::onRefsExhausted);
  connect(socket_, &QWebSocket::binaryMessageReceived, this, &SimConnection::onBinary);
  connect(socket_, &QWebSocket::textMessageReceived, this,
          [this] { logLine(LogLevel::Warn, "ignoring a text WebSocket message"); });
  connect(socket_, &QWebSocket::disconnected, this, &SimConnection::onDisconnected);
  idleTimer_.start();
  logLine(LogLevel::Info, "connected");
}

SimConnection::~SimConnection() {
  if (!detached_) ctx_.hub.onClosed(*this);
}

void SimConnection::onDisconnected() {
  logLine(LogLevel::Info, "disconnected");
  stage_ = Stage::Closed;
  idleTimer_.stop();
  if (!detached_) ctx_.hub.onClosed(*this);
  detached_ = true;
  deleteLater();
}

core::jid::Jid SimConnection::deviceJid() const {
  core::jid::Jid jid;
  jid.user = phone_;
  jid.server = std::string(core::jid::kUserServer);
  jid.device = static_cast<std::uint16_t>(device_);
  jid.form = core::jid::JidForm::AD;
  return jid;
}

void SimConnection::onBinary(const QByteArray& data) {
  if (stage_ == Stage::Closing || stage_ == Stage::Closed) return;
  if (inputHeld_) {  // stalled (sim_connection_faults.cpp): read later
    heldInput_.push_back(data);
    return;
  }
  idleTimer_.start();
  auto frames = decoder_.feed(
      core::asBytes(std::string_view(data.constData(), static_cast<std::size_t>(data.size()))));
  if (!frames) {
    closeWith("bad framing: " + core::describe(frames.error()));
    return;
  }
  for (const Bytes& frame : *frames) {
    if (auto st = onFrame(frame); !st) {
      closeWith(core::describe(st.error()));
      return;
    }
    if (stage_ == Stage::Closing || stage_ == Stage::Closed) return;
  }
}

Status SimConnection::onFrame(const Bytes& frame) {
  switch (stage_) {
    case Stage::AwaitHello: return onClientHello(frame);
    case Stage::AwaitFinish: return onClientFinish(frame);
    case Stage::Settling:
      if (earlyFrames_.size() >= kMaxEarlyFrames) return fail(Errc::TooLarge, "frame flood");
      earlyFrames_.push_back(frame);
      return core::ok();
    case Stage::Transport: return onTransportFrame(frame);
    case Stage::Closing:
    case Stage::Closed: return core::ok();
  }
  return fail(Errc::Internal, "unknown connection stage");
}

Status SimConnection::onClientHello(const Bytes& frame) {
  if (!decoder_.dictVersion()) return fail(Errc::Protocol, "frame before the intro header");
  const std::uint8_t dict = *decoder_.dictVersion();
  dict_ = static_cast<core::binary::DictVersion>(dict);
  CHORUS_TRY(prologue, core::frame::introHeader(dict));
  CHORUS_TRY(ephemeral, core::crypto::generateKeyPair(ctx_.random));
  const auto& serverStatic = ctx_.keys.serverStatic();
  core::noise::ResponderConfig config{std::move(prologue),
                                      {serverStatic.privateKey.clone(), serverStatic.publicKey},
                                      std::move(ephemeral),
                                      ctx_.keys.certChain()};
  CHORUS_TRY(responder, core::noise::NoiseResponder::create(std::move(config)));
  responder_.emplace(std::move(responder));
  core::frame::FrameEncoder::Options options;
  options.role = core::frame::Role::Server;
  CHORUS_TRY(encoder, core::frame::FrameEncoder::create(std::move(options)));
  encoder_.emplace(std::move(encoder));

  CHORUS_TRY(serverHello, responder_->onClientHello(frame));
  CHORUS_TRY(wire, encoder_->encode(serverHello));
  socket_->sendBinaryMessage(
      QByteArray(reinterpret_cast<const char*>(wire.data()), static_cast<qsizetype>(wire.size())));
  stage_ = Stage::AwaitFinish;
  logLine(LogLevel::Debug, "ServerHello sent (dict v" + std::to_string(dict) + ")");
  return core::ok();
}

Status SimConnection::onClientFinish(const Bytes& frame) {
  CHORUS_TRY(finish, responder_->onClientFinish(frame));
  CHORUS_TRY(cipher, responder_->transport());
  cipher_.emplace(std::move(cipher));
  responder_.reset();
  clientStaticKey_ = std::move(finish.clientStaticKey);
  clientPayload_ = std::move(finish.clientPayload);
  stage_ = Stage::Settling;
  idleTimer_.setInterval(kIdleTimeout);
  idleTimer_.start();
  QTimer::singleShot(kFirstStanzaDelay, this, &SimConnection::onSettled);
  return core::ok();
}

void SimConnection::onSettled() {
  if (stage_ != Stage::Settling) return;
  stage_ = Stage::Transport;
  auto payload = core::noise::parseProto<proto::ClientPayload>(clientPayload_, "ClientPayload");
  clientPayload_.clear();
  core::Status st = payload ? (payload->has_devicepairingdata() ? handleRegistration(*payload)
                                                                : handleLogin(*payload))
                            : core::Status(core::Unexpected<core::Error>(payload.error()));
  std::vector<Bytes> early = std::move(earlyFrames_);
  earlyFrames_.clear();
  for (std::size_t i = 0; st && i < early.size() && stage_ == Stage::Transport; ++i) {
    st = onTransportFrame(early[i]);
  }
  if (!st) closeWith(core::describe(st.error()));
}

Status SimConnection::handleRegistration(const proto::ClientPayload& payload) {
  const auto& reg = payload.devicepairingdata();
  if (reg.eident().size() != core::crypto::kCurveKeySize ||
      reg.eskeyval().size() != core::crypto::kCurveKeySize ||
      reg.eskeysig().size() != core::crypto::kSignatureSize ||
      reg.eregid().size() != kRegistrationIdSize || reg.eskeyid().size() != kSignedPreKeyIdSize ||
      reg.ekeytype().size() != 1 || static_cast<std::uint8_t>(reg.ekeytype()[0]) != kDjbKeyType) {
    return refuse(kFailureBadRequest, "malformed registration data");
  }
  Bytes signedMessage{kDjbKeyType};
  core::append(signedMessage, core::asBytes(reg.eskeyval()));
  if (!core::crypto::xeddsaVerify(core::asBytes(reg.eident()), signedMessage,
                                  core::asBytes(reg.eskeysig()))) {
    return refuse(kFailureBadRequest, "the signed prekey signature does not verify");
  }

  PendingCompanion& companion = companion_;
  companion.noiseKey = clientStaticKey_;
  companion.identityKey = core::toBytes(core::asBytes(reg.eident()));
  companion.registrationId =
      core::readU32BE(reinterpret_cast<const std::uint8_t*>(reg.eregid().data()));
  companion.signedPreKeyId =
      core::readU24BE(reinterpret_cast<const std::uint8_t*>(reg.eskeyid().data()));
  companion.signedPreKey = core::toBytes(core::asBytes(reg.eskeyval()));
  companion.signedPreKeySignature = core::toBytes(core::asBytes(reg.eskeysig()));
  for (std::size_t i = 0; i < kRefCount; ++i) companion.refs.push_back(makeRef(ctx_.random));
  kind_ = Kind::Registration;
  ctx_.hub.onRegistration(*this);
  logLine(LogLevel::Info, "registration: signed prekey verified, sending " +
                              std::to_string(kRefCount) + " QR refs");
  CHORUS_CHECK(send(stanza::pairDevice(nextIqId(), companion.refs)));
  startRefExpiry();
  return core::ok();
}

Status SimConnection::handleLogin(const proto::ClientPayload& payload) {
  if (!payload.has_username())
    return refuse(kFailureBadRequest, "neither registration data nor a username");
  const std::string phone = std::to_string(payload.username());
  const std::uint32_t device = payload.device();
  who_ = core::maskPhone(phone) + ":" + std::to_string(device);
  if (auto refusal = ctx_.hub.sessions().loginRefusal(phone, payload)) {
    endWith(*refusal, "login refused (" + refusal->attrText("reason").value_or("?") + ")");
    return core::ok();
  }
  const DeviceRecord* record = ctx_.registry.findDevice(phone, device);
  if (!record) return refuse(kFailureLoggedOut, "login by an unknown device");
  if (!core::constantTimeEqual(record->noiseKey, clientStaticKey_)) {
    return refuse(kFailureLoggedOut, "login with a noise key that is not the device's");
  }
  phone_ = phone;
  device_ = device;
  kind_ = Kind::Device;
  std::optional<core::jid::Jid> lid;
  if (const AccountRecord* account = ctx_.registry.findAccount(phone);
      account && !account->lid.empty()) {
    auto parsed = core::jid::parse(account->lid + ":" + std::to_string(device) + "@" +
                                   std::string(core::jid::kLidServer));
    if (parsed) lid = std::move(*parsed);
  }
  CHORUS_CHECK(send(stanza::success(core::toUnixSeconds(ctx_.clock.now()), std::move(lid))));
  logLine(LogLevel::Info, "logged in");
  return ctx_.hub.onLogin(*this);
}

Status SimConnection::onTransportFrame(const Bytes& frame) {
  CHORUS_TRY(plain, cipher_->decrypt(frame));
  CHORUS_TRY(node, core::binary::decodeFrame(plain, dict_));
  return ctx_.hub.onNode(*this, node);
}

Status SimConnection::send(const Node& node) {
  if (stage_ != Stage::Transport) return fail(Errc::Internal, "send outside the transport phase");
  CHORUS_TRY(plain, core::binary::encodeFrame(node, dict_));
  faults_->send(std::move(plain));  // writeFrame(), now or as the faults say
  return core::ok();
}

std::string SimConnection::nextIqId() {
  return iqPrefix_ + std::to_string(++iqCounter_);
}

Status SimConnection::refuse(int reason, const char* why) {
  endWith(stanza::failure(reason), "refused (" + std::to_string(reason) + "): " + why);
  return core::ok();
}

void SimConnection::endWith(const Node& last, const std::string& why) {
  if (stage_ != Stage::Transport) return;
  logLine(LogLevel::Info, "ending: " + why);
  if (auto sent = send(last); !sent) {
    closeWith("cannot send the final stanza: " + core::describe(sent.error()));
    return;
  }
  stage_ = Stage::Closing;
  if (!detached_) ctx_.hub.onClosed(*this);
  detached_ = true;
  idleTimer_.setInterval(kEndGrace);
  idleTimer_.start();
}

void SimConnection::closeWith(const std::string& why) {
  if (stage_ == Stage::Closed) return;
  logLine(LogLevel::Warn, "closing: " + why);
  stage_ = Stage::Closed;
  idleTimer_.stop();
  socket_->close(QWebSocketProtocol::CloseCodeProtocolError);
}

void SimConnection::logLine(LogLevel level, const std::string& message) const {
  if (!ctx_.log.enabled(level)) return;
  std::string line = "conn " + std::to_string(id_);
  if (!who_.empty()) line += " " + who_;
  ctx_.log.log(level, "sim", line + ": " + message);
}

}  // namespace chorus::sim
