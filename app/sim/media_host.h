// MediaHost: the simulator's media server over HTTPS on 127.0.0.1 (protocol notes §11.3, §11.4,
// §15.6). Both Baileys and whatsmeow build https://<media_conn hostname>/…, so media_conn hands
// out hostname() ("127.0.0.1:PORT") and authToken(), and clients trust caPemPath() (SimTls).
//
//   POST /mms/<type>/<token>?auth=A&token=T   auth must equal authToken() (else 401); with hash
//        checking on, T (base64url SHA-256 of the body, padded or not) must match (else 400);
//        bodies over maxBodyBytes() → 413. Stores the body content-addressed in DATA/media/ and
//        answers {"url":"https://127.0.0.1:PORT/v/<id>.enc?x=1","direct_path":"/v/<id>.enc?x=1"}.
//   GET /v/<id>.enc?…      the stored bytes (extra query parameters such as hash, mms-type,
//        __wa-mms are ignored); "Range: bytes=a-b" / "a-" / "-n" → 206, unsatisfiable → 416;
//        unknown id → 404.
//   DELETE /v/<id>.enc?…   removes the blob (whatsmeow deletes history blobs): 200 or 404.
// Anything else: 400 for paths with "..", 404 for other paths, 405 for other methods. Only
// loopback peers are served. QtHttpServer 6.4 buffers a whole request before it is handled, so
// the size cap is enforced once the body has arrived (the simulator is loopback-only).
#pragma once

#include <QObject>
#include <QString>

#include "app/sim/media_store.h"
#include "core/util/logger.h"
#include "core/util/result.h"

class QHttpServerRequest;
class QHttpServerResponder;

namespace chorus::sim {

class MediaHttpFront;

class MediaHost final : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kDefaultMaxBodyBytes = qint64{100} * 1024 * 1024;

  // Keeps its state in dataDir/tls and dataDir/media; nothing happens before start().
  MediaHost(const QString& dataDir, const core::Logger& log, QObject* parent = nullptr);
  ~MediaHost() override;

  // Loads or creates the TLS files and the media folder, then listens on 127.0.0.1:port
  // (0 = any free port). Errc::Io when the port is taken; SimTls's errors otherwise.
  [[nodiscard]] core::Status start(quint16 port = 0);
  [[nodiscard]] bool isListening() const noexcept { return front_ != nullptr; }
  [[nodiscard]] quint16 port() const noexcept { return port_; }
  // "127.0.0.1:PORT": the <host hostname="…"/> of media_conn (§8.4).
  [[nodiscard]] QString hostname() const;
  // DATA/tls/ca.pem, known after start(): the only root a client needs to trust.
  [[nodiscard]] const QString& caPemPath() const noexcept { return caPemPath_; }

  // The media_conn auth token uploads must carry. Defaults to a random URL-safe string.
  void setAuthToken(const QString& token) { authToken_ = token; }
  [[nodiscard]] const QString& authToken() const noexcept { return authToken_; }
  void setMaxBodyBytes(qint64 bytes) noexcept { maxBodyBytes_ = bytes; }
  [[nodiscard]] qint64 maxBodyBytes() const noexcept { return maxBodyBytes_; }
  // Whether uploads must carry a token equal to SHA-256(body). On by default.
  void setHashCheck(bool on) noexcept { hashCheck_ = on; }
  [[nodiscard]] bool hashCheck() const noexcept { return hashCheck_; }

 private:
  friend class MediaHttpFront;
  void handle(const QHttpServerRequest& request, QHttpServerResponder& responder);
  void upload(const QHttpServerRequest& request, QStringView token, QHttpServerResponder& out);
  void download(const QHttpServerRequest& request, QStringView id, QHttpServerResponder& out);
  void remove(QStringView id, QHttpServerResponder& out);

  QString dataDir_;
  const core::Logger& log_;
  MediaStore store_;
  MediaHttpFront* front_ = nullptr;
  quint16 port_ = 0;
  QString caPemPath_;
  QString authToken_;
  qint64 maxBodyBytes_ = kDefaultMaxBodyBytes;
  bool hashCheck_ = true;
};

}  // namespace chorus::sim
