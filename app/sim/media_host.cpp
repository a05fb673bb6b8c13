#include "app/sim/media_host.h"

#include <QAbstractHttpServer>
#include <QCryptographicHash>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrlQuery>
#include <array>
#include <string>

#include <openssl/crypto.h>

#include "app/sim/sim_tls.h"

namespace chorus::sim {
namespace {

using Status = QHttpServerResponder::StatusCode;

constexpr auto kMediaFolder = "/media";
constexpr auto kCategory = "sim-media";
constexpr auto kUploadPattern = R"(^/mms/([a-z0-9-]{1,32})/([A-Za-z0-9_=-]{1,128})$)";
constexpr auto kBlobPattern = R"(^/v/([A-Za-z0-9_-]{1,128})\.enc$)";
// §11.4: whatsmeow appends "&hash=…" to direct_path, so it must already carry a query.
constexpr auto kDirectPathQuery = "?x=1";
constexpr qsizetype kSha256Size = 32;
constexpr std::size_t kAuthTokenBytes = 24;

QString randomToken() {
  std::array<quint32, kAuthTokenBytes / sizeof(quint32)> words{};
  QRandomGenerator::system()->fillRange(words.data(), words.size());
  const QByteArray raw(reinterpret_cast<const char*>(words.data()),
                       static_cast<qsizetype>(kAuthTokenBytes));
  return QString::fromLatin1(
      raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool sameSecret(const QByteArray& a, const QByteArray& b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.constData(), b.constData(), static_cast<std::size_t>(a.size())) == 0;
}

QByteArray headerValue(const QHttpServerRequest& request, const QByteArray& name) {
  const auto headers = request.headers();
  for (const auto& [key, value] : headers) {
    if (key.compare(name, Qt::CaseInsensitive) == 0) return value.trimmed();
  }
  return {};
}

void writeJson(QHttpServerResponder& out, const QJsonObject& object, Status status = Status::Ok) {
  out.write(QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json", status);
}

void writeError(QHttpServerResponder& out, Status status, const char* reason) {
  writeJson(out, QJsonObject{{QStringLiteral("error"), QLatin1String(reason)}}, status);
}

bool parseDigits(QByteArrayView text, qint64& value) {
  if (text.isEmpty() || text.size() > 18) return false;
  value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

enum class RangeKind { Whole, Part, Unsatisfiable };

// One "bytes=first-last" / "bytes=first-" / "bytes=-suffix" range (RFC 9110 §14.1.2). Anything
// else (several ranges, other units, bad syntax) is ignored and the whole blob is served.
RangeKind parseRange(const QByteArray& header, qint64 size, qint64& first, qint64& last) {
  constexpr QByteArrayView kUnit = "bytes=";
  if (!header.startsWith(kUnit) || header.contains(',')) return RangeKind::Whole;
  const QByteArrayView spec = QByteArrayView(header).sliced(kUnit.size()).trimmed();
  const qsizetype dash = spec.indexOf('-');
  if (dash < 0) return RangeKind::Whole;
  const QByteArrayView head = spec.first(dash).trimmed();
  const QByteArrayView tail = spec.sliced(dash + 1).trimmed();
  if (head.isEmpty()) {
    qint64 suffix = 0;
    if (!parseDigits(tail, suffix)) return RangeKind::Whole;
    if (suffix == 0 || size == 0) return RangeKind::Unsatisfiable;
    first = suffix >= size ? 0 : size - suffix;
    last = size - 1;
    return RangeKind::Part;
  }
  if (!parseDigits(head, first)) return RangeKind::Whole;
  if (tail.isEmpty()) {
    last = size - 1;
  } else if (!parseDigits(tail, last) || last < first) {
    return RangeKind::Whole;
  }
  if (first >= size) return RangeKind::Unsatisfiable;
  if (last >= size) last = size - 1;
  return RangeKind::Part;
}

}  // namespace

// QtHttpServer's request entry point, forwarding to MediaHost::handle.
class MediaHttpFront final : public QAbstractHttpServer {
 public:
  explicit MediaHttpFront(MediaHost& host) : QAbstractHttpServer(&host), host_(host) {}

 protected:
  bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override {
    QHttpServerResponder responder = makeResponder(request, socket);
    host_.handle(request, responder);
    return true;
  }
  void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override {
    makeResponder(request, socket).write(Status::NotFound);
  }

 private:
  MediaHost& host_;
};

MediaHost::MediaHost(const QString& dataDir, const core::Logger& log, QObject* parent)
    : QObject(parent),
      dataDir_(dataDir),
      log_(log),
      store_(dataDir + QLatin1String(kMediaFolder)),
      authToken_(randomToken()) {}

MediaHost::~MediaHost() = default;

core::Status MediaHost::start(quint16 port) {
  if (front_ != nullptr) return core::fail(core::Errc::InvalidArgument, "already started");
  CHORUS_TRY(tls, SimTls::loadOrCreate(dataDir_, log_));
  CHORUS_CHECK(store_.open());
  auto* front = new MediaHttpFront(*this);
  front->sslSetup(tls.serverConfiguration());
  const quint16 bound = front->listen(QHostAddress::LocalHost, port);
  if (bound == 0) {
    delete front;
    return core::fail(core::Errc::Io,
                      "media host cannot listen on 127.0.0.1:" + std::to_string(port));
  }
  front_ = front;
  port_ = bound;
  caPemPath_ = tls.caPemPath();
  log_.info(kCategory, "media host on https://" + hostname().toStdString());
  return core::ok();
}

QString MediaHost::hostname() const {
  return QStringLiteral("127.0.0.1:%1").arg(port_);
}

void MediaHost::handle(const QHttpServerRequest& request, QHttpServerResponder& responder) {
  if (!request.remoteAddress().isLoopback()) {
    writeError(responder, Status::Forbidden, "loopback only");
    return;
  }
  const QString path = request.url().path(QUrl::FullyDecoded);
  if (path.contains(QLatin1String("..")) || path.contains(u'\\')) {
    writeError(responder, Status::BadRequest, "bad path");
    return;
  }
  static const QRegularExpression uploadPath{QLatin1String(kUploadPattern)};
  static const QRegularExpression blobPath{QLatin1String(kBlobPattern)};
  const auto method = request.method();
  if (const auto match = uploadPath.match(path); match.hasMatch()) {
    if (method != QHttpServerRequest::Method::Post) {
      writeError(responder, Status::MethodNotAllowed, "method not allowed");
      return;
    }
    upload(request, match.capturedView(2), responder);
    return;
  }
  if (const auto match = blobPath.match(path); match.hasMatch()) {
    if (method == QHttpServerRequest::Method::Get) {
      download(request, match.capturedView(1), responder);
    } else if (method == QHttpServerRequest::Method::Delete) {
      remove(match.capturedView(1), responder);
    } else {
      writeError(responder, Status::MethodNotAllowed, "method not allowed");
    }
    return;
  }
  writeError(responder, Status::NotFound, "not found");
}

void MediaHost::upload(const QHttpServerRequest& request, QStringView pathToken,
                       QHttpServerResponder& out) {
  const QUrlQuery query(request.url());
  const QByteArray auth = query.queryItemValue(QStringLiteral("auth"), QUrl::FullyDecoded).toUtf8();
  if (!sameSecret(auth, authToken_.toUtf8())) {
    log_.warn(kCategory, "upload refused: wrong or missing auth");
    writeError(out, Status::Unauthorized, "bad auth");
    return;
  }
  const QByteArray body = request.body();
  if (body.size() > maxBodyBytes_) {
    log_.warn(kCategory,
              "upload refused: " + core::maskBytes(static_cast<std::size_t>(body.size())) +
                  " is over the cap");
    writeError(out, Status::PayloadTooLarge, "too large");
    return;
  }
  if (hashCheck_) {
    const QByteArray digest = QCryptographicHash::hash(body, QCryptographicHash::Sha256);
    // Baileys and whatsmeow send the same token in the path and in ?token=; check both.
    QStringList tokens{pathToken.toString()};
    if (query.hasQueryItem(QStringLiteral("token"))) {
      tokens.append(query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded));
    }
    for (const QString& token : tokens) {
      const auto decoded = QByteArray::fromBase64Encoding(
          token.toLatin1(),
          QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
      if (!decoded || decoded.decoded.size() != kSha256Size || decoded.decoded != digest) {
        log_.warn(kCategory, "upload refused: token is not the body's SHA-256");
        writeError(out, Status::BadRequest, "hash mismatch");
        return;
      }
    }
  }
  auto id = store_.put(body);
  if (!id) {
    log_.error(kCategory, core::describe(id.error()));
    writeError(out, Status::InternalServerError, "storage");
    return;
  }
  const QString directPath =
      QStringLiteral("/v/") + *id + QLatin1String(".enc") + QLatin1String(kDirectPathQuery);
  log_.debug(kCategory, "stored " + core::maskBytes(static_cast<std::size_t>(body.size())) +
                            " at " + directPath.toStdString());
  writeJson(out, QJsonObject{
                     {QStringLiteral("url"), QStringLiteral("https://") + hostname() + directPath},
                     {QStringLiteral("direct_path"), directPath}});
}

void MediaHost::download(const QHttpServerRequest& request, QStringView id,
                         QHttpServerResponder& out) {
  auto blob = store_.read(id);
  if (!blob) {
    const bool missing = blob.error().code == core::Errc::NotFound;
    if (!missing) log_.error(kCategory, core::describe(blob.error()));
    writeError(out, missing ? Status::NotFound : Status::InternalServerError,
               missing ? "not found" : "storage");
    return;
  }
  const qint64 size = blob->size();
  qint64 first = 0;
  qint64 last = 0;
  switch (parseRange(headerValue(request, "range"), size, first, last)) {
    case RangeKind::Whole:
      out.write(*blob, {{"Content-Type", "application/octet-stream"}, {"Accept-Ranges", "bytes"}});
      return;
    case RangeKind::Part:
      out.write(blob->sliced(first, last - first + 1),
                {{"Content-Type", "application/octet-stream"},
                 {"Accept-Ranges", "bytes"},
                 {"Content-Range", "bytes " + QByteArray::number(first) + '-' +
                                       QByteArray::number(last) + '/' + QByteArray::number(size)}},
                Status::PartialContent);
      return;
    case RangeKind::Unsatisfiable:
      out.write(QByteArray(),
                {{"Content-Type", "application/octet-stream"},
                 {"Content-Range", "bytes */" + QByteArray::number(size)}},
                Status::RequestRangeNotSatisfiable);
      return;
  }
}

void MediaHost::remove(QStringView id, QHttpServerResponder& out) {
  const auto removed = store_.remove(id);
  if (!removed) {
    const bool missing = removed.error().code == core::Errc::NotFound;
    if (!missing) log_.error(kCategory, core::describe(removed.error()));
    writeError(out, missing ? Status::NotFound : Status::InternalServerError,
               missing ? "not found" : "storage");
    return;
  }
  log_.debug(kCategory, "deleted a blob");
  writeJson(out, QJsonObject{{QStringLiteral("deleted"), true}});
}

}  // namespace chorus::sim
