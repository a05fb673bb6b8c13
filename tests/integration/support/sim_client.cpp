#include "tests/integration/support/sim_client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>
#include <QWebSocket>

#include "core/protocol/noise/proto_io.h"
#include "core/util/clock.h"
#include "proto/client_payload.pb.h"

namespace chorus::testing {
namespace {

constexpr auto kDict = core::binary::DictVersion::V2;
constexpr int kStartMs = 15'000;    // to start, to print the ready line, to stop
constexpr int kControlMs = 60'000;  // one control API call

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

quint16 freePort() {
  QTcpServer server;
  if (!server.listen(QHostAddress::LocalHost, 0)) return 0;
  return server.serverPort();
}

SimProcess::SimProcess() : process_(std::make_unique<QProcess>()) {}

SimProcess::~SimProcess() {
  stop();
}

std::optional<std::string> SimProcess::start(const QString& program, const QString& dataDir,
                                             const SimOptions& options) {
  stop();
  program_ = program;
  dataDir_ = dataDir;
  options_ = options;
  QFile::remove(serverJson());  // never read a stale one
  QStringList args{QStringLiteral("--data"), dataDir, QStringLiteral("--log-level"),
                   options.logLevel};
  const SimPorts& asked = options.ports;
  if (asked.ws != 0) args << QStringLiteral("--port") << QString::number(asked.ws);
  if (asked.control != 0)
    args << QStringLiteral("--control-port") << QString::number(asked.control);
  if (asked.media != 0) args << QStringLiteral("--media-port") << QString::number(asked.media);
  const std::string portsText = "ports " + std::to_string(asked.ws) + ", " +
                                std::to_string(asked.control) + ", " + std::to_string(asked.media);

  process_ = std::make_unique<QProcess>();
  QProcess* p = process_.get();
  p->setProcessChannelMode(options.captureLog ? QProcess::SeparateChannels
                                              : QProcess::ForwardedErrorChannel);
  p->start(program, args);
  if (!p->waitForStarted(kStartMs)) return "chorus-sim did not start";
  if (!waitUntil([p] { return p->canReadLine() || p->state() == QProcess::NotRunning; },
                 kStartMs) ||
      !p->canReadLine()) {
    return "chorus-sim printed no ready line (" + portsText + ")";
  }
  const QJsonObject ready = QJsonDocument::fromJson(p->readLine()).object();
  ws_ = ready.value(QStringLiteral("ws")).toString();
  control_ = ready.value(QStringLiteral("control")).toString();
  auto root = core::fromHex(ready.value(QStringLiteral("root_key")).toString().toStdString());
  ports_ = SimPorts{QUrl(ws_).port(), QUrl(control_).port(),
                    QUrl(ready.value(QStringLiteral("media")).toString()).port()};
  if (ws_.isEmpty() || control_.isEmpty() || !root || root->size() != 32 || ports_.ws <= 0 ||
      ports_.control <= 0) {
    return "bad ready line";
  }
  if ((asked.ws != 0 && asked.ws != ports_.ws) ||
      (asked.control != 0 && asked.control != ports_.control) ||
      (asked.media != 0 && asked.media != ports_.media)) {
    return "chorus-sim is not on the " + portsText +
           " asked for: " + QJsonDocument(ready).toJson(QJsonDocument::Compact).toStdString();
  }
  rootKey_ = std::move(*root);
  return std::nullopt;
}

std::optional<std::string> SimProcess::restart() {
  if (program_.isEmpty()) return "chorus-sim was never started";
  SimOptions again = options_;
  again.ports = ports_;
  return start(program_, dataDir_, again);
}

void SimProcess::stop() {
  if (process_->state() == QProcess::NotRunning) return;
  process_->terminate();
  if (!process_->waitForFinished(kStartMs)) {
    process_->kill();
    process_->waitForFinished(kStartMs);
  }
}

SimReply SimProcess::call(const QByteArray& method, const QString& path, const QByteArray& body) {
  QNetworkAccessManager manager;
  QNetworkRequest request(QUrl(control_ + path));
  request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
  QNetworkReply* reply = manager.sendCustomRequest(request, method, body);
  (void)waitUntil([reply] { return reply->isFinished(); }, kControlMs);
  SimReply result;
  result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  result.json = QJsonDocument::fromJson(reply->readAll());
  reply->deleteLater();
  return result;
}

std::pair<int, QJsonObject> SimProcess::control(const QByteArray& method, const QString& path,
                                                const QByteArray& body) {
  const SimReply reply = call(method, path, body);
  return {reply.status, reply.object()};
}

long SimProcess::rssKiB() const {
  QFile status(QStringLiteral("/proc/%1/status").arg(process_->processId()));
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
