#include "tests/integration/support/sim_client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QWebSocket>

#include "core/protocol/noise/proto_io.h"
#include "core/util/clock.h"
#include "proto/client_payload.pb.h"

namespace chorus::testing {
namespace {

constexpr auto kDict = core::binary::DictVersion::V2;
constexpr int kStartMs = 10'000;

QByteArray toQt(const core::Bytes& b) {
  return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
}

}  // namespace

bool waitUntil(const std::function<bool()>& done, int ms) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > ms) return false;
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  }
  return true;
}

SimProcess::~SimProcess() {
  stop();
}

std::optional<std::string> SimProcess::start(const QString& program, const QString& dataDir,
                                             const QString& logLevel, bool captureLog) {
  process_.setProcessChannelMode(captureLog ? QProcess::SeparateChannels
                                            : QProcess::ForwardedErrorChannel);
  process_.start(program, {QStringLiteral("--data"), dataDir, QStringLiteral("--log-level"),
                           logLevel});
  if (!process_.waitForStarted(kStartMs)) return "chorus-sim did not start";
  if (!waitUntil([this] { return process_.canReadLine() ||
                                 process_.state() == QProcess::NotRunning; }, kStartMs) ||
      !process_.canReadLine()) {
    return "chorus-sim printed no ready line";
  }
  const QJsonObject ready = QJsonDocument::fromJson(process_.readLine()).object();
  ws_ = ready.value(QStringLiteral("ws")).toString();
  control_ = ready.value(QStringLiteral("control")).toString();
  auto root = core::fromHex(ready.value(QStringLiteral("root_key")).toString().toStdString());
  if (ws_.isEmpty() || control_.isEmpty() || !root || root->size() != 32) return "bad ready line";
  rootKey_ = std::move(*root);
  return std::nullopt;
}

void SimProcess::stop() {
  if (process_.state() == QProcess::NotRunning) return;
  process_.terminate();
  if (!process_.waitForFinished(kStartMs)) process_.kill();
}

std::pair<int, QJsonObject> SimProcess::control(const QByteArray& method, const QString& path,
                                                const QByteArray& body) {
  QNetworkAccessManager manager;
  QNetworkRequest request(QUrl(control_ + path));
  request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
  QNetworkReply* reply = manager.sendCustomRequest(request, method, body);
  (void)waitUntil([reply] { return reply->isFinished(); }, 60'000);
  const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
  reply->deleteLater();
  return {status, json};
}

long SimProcess::rssKiB() const {
  QFile status(QStringLiteral("/proc/%1/status").arg(process_.processId()));
  if (!status.open(QIODevice::ReadOnly)) return -1;
  for (const QByteArray& line : status.readAll().split('\n')) {
    if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toLong();
  }
  return -1;
}

core::Bytes loginPayload(std::uint64_t phone, std::uint32_t device) {
  proto::ClientPayload payload;
  payload.set_username(phone);
  payload.set_device(device);
  payload.set_passive(false);
  payload.set_pull(true);
  return core::noise::serializeProto(payload);
}

SimClient::SimClient(const QString& url, core::Bytes rootKey, core::crypto::KeyPair noiseKey,
                     core::Bytes payload, core::Random& random, Callbacks callbacks)
    : socket_(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &owner_)),
      url_(url),
      random_(random),
      callbacks_(std::move(callbacks)),
      payload_(std::move(payload)) {
  core::frame::FrameEncoder::Options options;
  options.dictVersion = static_cast<std::uint8_t>(kDict);
  if (auto encoder = core::frame::FrameEncoder::create(std::move(options))) {
    encoder_.emplace(std::move(*encoder));
  }
  auto ephemeral = core::crypto::generateKeyPair(random_);
  if (encoder_ && ephemeral) {
    core::noise::InitiatorConfig config{encoder_->introHeader(), std::move(noiseKey),
                                        std::move(*ephemeral), std::move(rootKey)};
    if (auto initiator = core::noise::NoiseInitiator::create(std::move(config))) {
      initiator_.emplace(std::move(*initiator));
    }
  }
  QObject::connect(socket_, &QWebSocket::connected, &owner_, [this] {
    if (!initiator_) return fail("client setup failed");
    auto hello = initiator_->start();
    auto wire = hello ? encoder_->encode(*hello) : core::Result<core::Bytes>(
                                                       core::Unexpected<core::Error>(hello.error()));
    if (!wire) return fail("ClientHello: " + core::describe(wire.error()));
    state_ = State::Handshake;
    socket_->sendBinaryMessage(toQt(*wire));
  });
  QObject::connect(socket_, &QWebSocket::binaryMessageReceived, &owner_,
                   [this](const QByteArray& data) { onBinary(data); });
  QObject::connect(socket_, &QWebSocket::disconnected, &owner_, [this] {
    if (state_ != State::Closed) fail("disconnected");
  });
}

SimClient::~SimClient() {
  callbacks_ = {};
}

void SimClient::open() {
  socket_->open(QUrl(url_));
}

void SimClient::fail(const std::string& why) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  socket_->abort();
  if (callbacks_.closed) callbacks_.closed(why);
}

void SimClient::onBinary(const QByteArray& data) {
  auto frames = decoder_.feed(
      core::asBytes(std::string_view(data.constData(), static_cast<std::size_t>(data.size()))));
  if (!frames) return fail("framing: " + core::describe(frames.error()));
  for (const core::Bytes& frame : *frames) {
    if (state_ == State::Handshake) {
      auto finish = initiator_->onServerHello(frame, payload_, core::SystemClock().now());
      if (!finish) return fail("ServerHello: " + core::describe(finish.error()));
      auto cipher = initiator_->transport();
      if (!cipher) return fail("transport: " + core::describe(cipher.error()));
      cipher_.emplace(std::move(*cipher));
      initiator_.reset();
      auto wire = encoder_->encode(*finish);
      if (!wire) return fail("ClientFinish framing");
      socket_->sendBinaryMessage(toQt(*wire));
      state_ = State::Open;
      if (callbacks_.open) callbacks_.open();
      continue;
    }
    if (state_ != State::Open) return;
    auto plain = cipher_->decrypt(frame);
    if (!plain) return fail("decrypt: " + core::describe(plain.error()));
    auto node = core::binary::decodeFrame(*plain, kDict);
    if (!node) return fail("decode: " + core::describe(node.error()));
    if (callbacks_.node) callbacks_.node(*node);
    if (state_ != State::Open) return;
  }
}

bool SimClient::send(const core::binary::Node& node) {
  if (state_ != State::Open) return false;
  auto plain = core::binary::encodeFrame(node, kDict);
  if (!plain) return false;
  auto sealed = cipher_->encrypt(*plain);
  if (!sealed) return false;
  auto wire = encoder_->encode(*sealed);
  if (!wire) return false;
  socket_->sendBinaryMessage(toQt(*wire));
  return true;
}

void SimClient::sendRaw(const QByteArray& bytes) {
  socket_->sendBinaryMessage(bytes);
}

void SimClient::sendSealed(const core::Bytes& plaintext) {
  if (state_ != State::Open) return;
  auto sealed = cipher_->encrypt(plaintext);
  auto wire = sealed ? encoder_->encode(*sealed) : core::Result<core::Bytes>(
                                                       core::Unexpected<core::Error>(sealed.error()));
  if (wire) socket_->sendBinaryMessage(toQt(*wire));
}

void SimClient::close() {
  state_ = State::Closed;
  socket_->close();
}

}  // namespace chorus::testing
