// media_host_check: chorus-sim's media host (app/sim/media_host.h) over real HTTPS on loopback,
// with a client that trusts only the generated test CA (peer verification on).
//
//   media_host_check                 run the checks below in a temporary folder; exit 0 if all pass
//   media_host_check --serve DIR     start a MediaHost in DIR, print one JSON line
//                                    {"host":"127.0.0.1:P","ca":"DIR/tls/ca.pem","auth":"…"} and
//                                    serve until stdin closes (used by media_host_test.js)
//
// Checks: TLS files and permissions; upload with Baileys' token (unpadded) and whatsmeow's
// (padded) → the same direct_path; download via direct_path plus whatsmeow's extra parameters;
// Range (a-b, -n, unsatisfiable); wrong or missing auth → 401; wrong or undecodable hash → 400;
// unknown id → 404; oversize → 413; path traversal over a raw TLS socket → 400/404; a client
// without the CA fails the handshake; https://localhost works too; DELETE; restart keeps the
// CA, the server certificate and the blobs; a lost server certificate is re-issued from the
// same CA; a damaged CA key makes start() fail with Errc::Malformed.
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include <unistd.h>

#include "app/sim/media_host.h"
#include "core/util/logger.h"
#include "tests/integration/support/sim_client.h"

namespace {

namespace core = chorus::core;
using chorus::sim::MediaHost;

constexpr int kWaitMs = 10'000;
constexpr qsizetype kBlobSize = 200'000;
constexpr auto kOrigin = "https://web.whatsapp.com";

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "media_host_check: FAIL: %s\n", message.c_str());
  std::exit(1);
}

void check(bool condition, const std::string& message) {
  if (!condition) die(message);
}

using chorus::testing::waitUntil;

QByteArray readAll(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) die("cannot read " + path.toStdString());
  return file.readAll();
}

QString token(const QByteArray& data, bool padded) {
  const QByteArray digest = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
  return QString::fromLatin1(
      digest.toBase64(padded ? QByteArray::Base64UrlEncoding
                             : QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray randomBytes(qsizetype size) {
  QByteArray out(size, '\0');
  for (char& c : out) c = static_cast<char>(QRandomGenerator::global()->bounded(256));
  return out;
}

struct Response {
  int status = 0;
  QByteArray body;
  QByteArray contentRange;
  QNetworkReply::NetworkError error = QNetworkReply::NoError;
};

// An HTTPS client whose only trusted root is the simulator's CA (or none at all).
class Client {
 public:
  explicit Client(const QString& caPemPath) {
    config_ = QSslConfiguration::defaultConfiguration();
    config_.setCaCertificates(caPemPath.isEmpty()
                                  ? QList<QSslCertificate>{}
                                  : QSslCertificate::fromPath(caPemPath, QSsl::Pem));
    config_.setPeerVerifyMode(QSslSocket::VerifyPeer);
  }

  Response send(const QByteArray& method, const QString& url, const QByteArray& body = {},
                const QByteArray& range = {}) {
    QNetworkRequest request{QUrl(url)};
    request.setSslConfiguration(config_);
    request.setRawHeader("Origin", kOrigin);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
    if (!range.isEmpty()) request.setRawHeader("Range", range);
    QNetworkReply* reply = manager_.sendCustomRequest(request, method, body);
    if (!waitUntil([reply] { return reply->isFinished(); }))
      die("no reply from " + url.toStdString());
    Response r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.contentRange = reply->rawHeader("Content-Range");
    r.error = reply->error();
    reply->deleteLater();
    return r;
  }

 private:
  QNetworkAccessManager manager_;
  QSslConfiguration config_;
};

QString uploadUrl(const MediaHost& host, const QString& type, const QString& pathToken,
                  const QString& auth, const QString& queryToken) {
  QUrlQuery query;
  query.addQueryItem(QStringLiteral("auth"), QString::fromLatin1(QUrl::toPercentEncoding(auth)));
  query.addQueryItem(QStringLiteral("token"), queryToken);
  return QStringLiteral("https://%1/mms/%2/%3?%4")
      .arg(host.hostname(), type, pathToken, query.toString(QUrl::FullyEncoded));
}

// A raw request over TLS (QNetworkAccessManager would normalize "..") → the status code.
int rawStatus(const MediaHost& host, const QByteArray& requestLine) {
  QSslSocket socket;
  QSslConfiguration config = QSslConfiguration::defaultConfiguration();
  config.setCaCertificates(QSslCertificate::fromPath(host.caPemPath(), QSsl::Pem));
  config.setPeerVerifyMode(QSslSocket::VerifyPeer);
  socket.setSslConfiguration(config);
  socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), host.port());
  if (!waitUntil([&socket] { return socket.isEncrypted(); })) die("raw TLS connection failed");
  socket.write(requestLine + "\r\nHost: " + host.hostname().toLatin1() +
               "\r\nConnection: close\r\n\r\n");
  QByteArray received;
  // A timeout needs no branch here: the status-line check below fails on an empty answer.
  (void)waitUntil([&] {
    received += socket.readAll();
    return received.contains("\r\n") || socket.state() == QAbstractSocket::UnconnectedState;
  });
  static const QRegularExpression statusLine(QStringLiteral("^HTTP/1\\.1 (\\d{3}) "));
  const auto match = statusLine.match(QString::fromLatin1(received));
  return match.hasMatch() ? match.captured(1).toInt() : -1;
}

std::unique_ptr<MediaHost> startHost(const QString& dir, const core::Logger& log) {
  auto host = std::make_unique<MediaHost>(dir, log);
  const auto started = host->start();
  if (!started) die("start: " + core::describe(started.error()));
  return host;
}

void checkTlsFiles(const QString& dir) {
  const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
  for (const char* name : {"ca.pem", "ca.key", "server.pem", "server.key"}) {
    check(QFile::exists(dir + "/tls/" + name), std::string("missing tls/") + name);
  }
  for (const char* name : {"ca.key", "server.key"}) {
    const auto perms = QFile::permissions(dir + "/tls/" + name);
    check((perms & ~(ownerOnly | QFileDevice::ReadUser | QFileDevice::WriteUser)) == 0,
          std::string("tls/") + name + " is readable by others");
  }
  const auto ca = QSslCertificate::fromPath(dir + "/tls/ca.pem");
  const auto server = QSslCertificate::fromPath(dir + "/tls/server.pem");
  check(ca.size() == 1 && server.size() == 1, "ca.pem / server.pem do not hold one certificate");
  check(ca[0].isSelfSigned(), "the CA is not self-signed");
  check(server[0].issuerDisplayName() == ca[0].subjectDisplayName(), "server not issued by CA");
  const auto names = server[0].subjectAlternativeNames();
  check(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")) &&
            names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")),
        "server certificate lacks IP:127.0.0.1 / DNS:localhost");
}

int runChecks() {
  QTemporaryDir temp;
  check(temp.isValid(), "no temporary folder");
  const QString dir = temp.path();
  const core::Logger& log = core::Logger::null();

  auto host = startHost(dir, log);
  check(host->hostname() == QStringLiteral("127.0.0.1:%1").arg(host->port()), "hostname()");
  check(host->caPemPath() == dir + "/tls/ca.pem", "caPemPath()");
  checkTlsFiles(dir);
  host->setAuthToken(QStringLiteral("sim auth/token+=%"));  // needs URL encoding
  const QString auth = host->authToken();
  Client client(host->caPemPath());

  // 1. Upload (Baileys: unpadded token) and again (whatsmeow: padded, other type).
  const QByteArray blob = randomBytes(kBlobSize);
  Response up = client.send(
      "POST", uploadUrl(*host, "image", token(blob, false), auth, token(blob, false)), blob);
  check(up.status == 200,
        "upload: status " + std::to_string(up.status) + " " + up.body.toStdString());
  const QJsonObject json = QJsonDocument::fromJson(up.body).object();
  const QString directPath = json.value(QStringLiteral("direct_path")).toString();
  check(QRegularExpression(QStringLiteral("^/v/[0-9a-f]{64}\\.enc\\?x=1$"))
            .match(directPath)
            .hasMatch(),
        "direct_path: " + directPath.toStdString());
  check(json.value(QStringLiteral("url")).toString() ==
            QStringLiteral("https://") + host->hostname() + directPath,
        "url");
  up = client.send(
      "POST", uploadUrl(*host, "md-msg-hist", token(blob, true), auth, token(blob, true)), blob);
  check(up.status == 200 && QJsonDocument::fromJson(up.body).object().value(
                                QStringLiteral("direct_path")) == directPath,
        "padded-token upload");

  // 2. Download via direct_path with whatsmeow's extra parameters, and Range.
  const QString blobUrl = QStringLiteral("https://") + host->hostname() + directPath +
                          QStringLiteral("&hash=") + token(blob, true) +
                          QStringLiteral("&mms-type=image&__wa-mms=");
  Response down = client.send("GET", blobUrl);
  check(down.status == 200 && down.body == blob, "download: status " + std::to_string(down.status));
  down = client.send("GET", blobUrl, {}, "bytes=100-199");
  check(down.status == 206 && down.body == blob.mid(100, 100) &&
            down.contentRange == "bytes 100-199/" + QByteArray::number(kBlobSize),
        "range a-b: " + std::to_string(down.status) + " " + down.contentRange.toStdString());
  down = client.send("GET", blobUrl, {}, "bytes=-10");
  check(down.status == 206 && down.body == blob.right(10), "range -n");
  down = client.send("GET", blobUrl, {}, "bytes=" + QByteArray::number(kBlobSize) + "-");
  check(down.status == 416, "unsatisfiable range: " + std::to_string(down.status));

  // 3. Refusals.
  const QByteArray small = randomBytes(2048);
  Response bad = client.send(
      "POST", uploadUrl(*host, "image", token(small, false), "wrong", token(small, false)), small);
  check(bad.status == 401, "wrong auth: " + std::to_string(bad.status));
  bad = client.send(
      "POST", QStringLiteral("https://%1/mms/image/%2").arg(host->hostname(), token(small, false)),
      small);
  check(bad.status == 401, "missing auth: " + std::to_string(bad.status));
  bad = client.send("POST", uploadUrl(*host, "image", token(blob, false), auth, token(blob, false)),
                    small);
  check(bad.status == 400, "wrong hash: " + std::to_string(bad.status));
  bad = client.send("POST", uploadUrl(*host, "image", "not-base64", auth, "not-base64"), small);
  check(bad.status == 400, "undecodable hash: " + std::to_string(bad.status));
  bad = client.send(
      "GET", QStringLiteral("https://%1/v/%2.enc?x=1").arg(host->hostname(), QString(64, u'0')));
  check(bad.status == 404, "unknown id: " + std::to_string(bad.status));
  host->setMaxBodyBytes(1024);
  bad = client.send(
      "POST", uploadUrl(*host, "image", token(small, false), auth, token(small, false)), small);
  check(bad.status == 413, "oversize: " + std::to_string(bad.status));
  host->setMaxBodyBytes(MediaHost::kDefaultMaxBodyBytes);
  check(rawStatus(*host, "GET /v/../tls/server.key HTTP/1.1") == 400, "traversal ../");
  check(rawStatus(*host, "GET /v/..%2Ftls%2Fserver.key.enc?x=1 HTTP/1.1") == 400, "traversal %2F");
  check(rawStatus(*host, "GET /v/%2e%2e%2fca.enc HTTP/1.1") == 400, "traversal %2e");
  check(rawStatus(*host, "GET /tls/server.key HTTP/1.1") == 404, "other path");
  check(rawStatus(*host, "GET /v/a.b.enc HTTP/1.1") == 404, "id with a dot");
  check(rawStatus(*host, "PUT " + directPath.toLatin1() + " HTTP/1.1") == 405, "PUT");

  // 4. TLS: without the CA the handshake fails; https://localhost is covered by the SAN.
  Client untrusting{QString()};
  const Response untrusted = untrusting.send("GET", blobUrl);
  check(untrusted.error == QNetworkReply::SslHandshakeFailedError && untrusted.status == 0,
        "a client without the CA was not refused");
  down = client.send("GET",
                     QStringLiteral("https://localhost:%1%2").arg(host->port()).arg(directPath));
  check(down.status == 200 && down.body == blob, "https://localhost");

  // 5. DELETE.
  up = client.send(
      "POST", uploadUrl(*host, "document", token(small, false), auth, token(small, false)), small);
  const QString smallPath =
      QJsonDocument::fromJson(up.body).object().value(QStringLiteral("direct_path")).toString();
  const QString smallUrl = QStringLiteral("https://") + host->hostname() + smallPath;
  check(up.status == 200 && client.send("DELETE", smallUrl).status == 200, "delete");
  check(client.send("GET", smallUrl).status == 404, "get after delete");
  check(client.send("DELETE", smallUrl).status == 404, "second delete");

  // 6. Restart: same CA, same server certificate, same blobs.
  const QByteArray caPem = readAll(dir + "/tls/ca.pem");
  const QByteArray serverPem = readAll(dir + "/tls/server.pem");
  host.reset();
  host = startHost(dir, log);
  check(readAll(dir + "/tls/ca.pem") == caPem && readAll(dir + "/tls/server.pem") == serverPem,
        "restart changed the TLS files");
  Client again(host->caPemPath());
  down = again.send("GET", QStringLiteral("https://") + host->hostname() + directPath);
  check(down.status == 200 && down.body == blob, "download after restart");

  // 7. A lost server certificate is re-issued by the same CA; a damaged CA key is an error.
  host.reset();
  check(QFile::remove(dir + "/tls/server.pem"), "remove server.pem");
  host = startHost(dir, log);
  check(readAll(dir + "/tls/ca.pem") == caPem && readAll(dir + "/tls/server.pem") != serverPem,
        "server certificate not re-issued by the same CA");
  Client third(host->caPemPath());
  check(third.send("GET", QStringLiteral("https://") + host->hostname() + directPath).body == blob,
        "download with the re-issued certificate");
  host.reset();
  {
    QFile key(dir + "/tls/ca.key");
    check(key.open(QIODevice::WriteOnly | QIODevice::Truncate) && key.write("damaged\n") > 0,
          "damage ca.key");
  }
  MediaHost broken(dir, log);
  const auto refused = broken.start();
  check(!refused && refused.error().code == core::Errc::Malformed && !broken.isListening(),
        "a damaged CA key did not make start() fail with Malformed");

  std::printf("media_host_check: all checks passed\n");
  return 0;
}

int serve(const QString& dir) {
  static const core::Logger log(core::stderrSink(), core::LogLevel::Warn);
  auto host = startHost(dir, log);
  const QJsonObject ready{{QStringLiteral("host"), host->hostname()},
                          {QStringLiteral("ca"), host->caPemPath()},
                          {QStringLiteral("auth"), host->authToken()}};
  std::printf("%s\n", QJsonDocument(ready).toJson(QJsonDocument::Compact).constData());
  std::fflush(stdout);
  QSocketNotifier stdinWatch(STDIN_FILENO, QSocketNotifier::Read);
  QObject::connect(&stdinWatch, &QSocketNotifier::activated, &stdinWatch, [&stdinWatch] {
    char buffer[256];
    if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) {
      stdinWatch.setEnabled(false);
      QCoreApplication::quit();
    }
  });
  return QCoreApplication::exec();
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const QStringList args = QCoreApplication::arguments();
  if (args.size() == 3 && args[1] == QLatin1String("--serve")) {
    if (!QDir().mkpath(args[2])) die("cannot create " + args[2].toStdString());
    return serve(QDir(args[2]).absolutePath());
  }
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: media_host_check [--serve DIR]\n");
    return 2;
  }
  return runChecks();
}
