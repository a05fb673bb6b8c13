// SimTls: the simulator's test certificate authority and the HTTPS server certificate for
// 127.0.0.1 / localhost it signs (protocol notes §15.6, §16.1: both clients force https:// for
// media). Created with OpenSSL on first start (EC P-256, SHA-256) and kept in DATA/tls/:
//
//   ca.pem      the test CA certificate (CA:TRUE), what clients add as their only trusted root
//   ca.key      its private key (owner-only), kept so a lost server certificate can be re-issued
//   server.pem  the leaf: subjectAltName IP:127.0.0.1, DNS:localhost; serverAuth
//   server.key  its private key (owner-only)
//
// A restarted simulator reuses all four, so clients that trust ca.pem keep trusting it. A missing
// or unusable server certificate is re-issued from the CA; a damaged CA is an error (delete
// DATA/tls to start over). These are test keys for loopback use, not secrets worth a keychain.
#pragma once

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

#include "core/util/logger.h"
#include "core/util/result.h"

namespace chorus::sim {

class SimTls {
 public:
  // Loads DIR/tls/*, creating what is missing. Errc::Io when a file cannot be read or written,
  // Errc::Malformed when the CA files are damaged, Errc::Crypto when OpenSSL fails.
  [[nodiscard]] static core::Result<SimTls> loadOrCreate(const QString& dataDir,
                                                         const core::Logger& log);

  [[nodiscard]] const QString& caPemPath() const noexcept { return caPemPath_; }
  [[nodiscard]] const QSslCertificate& caCertificate() const noexcept { return ca_; }
  [[nodiscard]] const QSslCertificate& serverCertificate() const noexcept { return server_; }
  // TLS 1.2+ with the server certificate and key, no client certificates requested.
  [[nodiscard]] QSslConfiguration serverConfiguration() const;

 private:
  SimTls() = default;

  QString caPemPath_;
  QSslCertificate ca_;
  QSslCertificate server_;
  QSslKey serverKey_;
};

}  // namespace chorus::sim
