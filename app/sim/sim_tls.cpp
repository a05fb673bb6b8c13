#include "app/sim/sim_tls.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <array>
#include <ctime>
#include <memory>
#include <string>
#include <utility>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::Result;

constexpr auto kTlsFolder = "/tls";
constexpr auto kCaCertFile = "/ca.pem";
constexpr auto kCaKeyFile = "/ca.key";
constexpr auto kServerCertFile = "/server.pem";
constexpr auto kServerKeyFile = "/server.key";
constexpr auto kCurve = "P-256";
constexpr auto kOrganization = "Chorus simulator (test only)";
constexpr auto kCaCommonName = "Chorus Simulator Test CA";
constexpr auto kServerCommonName = "127.0.0.1";
constexpr auto kServerAltNames = "IP:127.0.0.1,DNS:localhost";
constexpr auto kLoopbackIp = "127.0.0.1";
// Validity from 2023-11-14 to 2100-01-01, as for the Noise chain (sim_keys.cpp): no test ever
// meets an expired certificate. Private CAs have no maximum validity in OpenSSL or node.
constexpr std::time_t kNotBefore = 1'700'000'000;
constexpr std::time_t kNotAfter = 4'102'444'800;
constexpr std::size_t kSerialBytes = 16;

struct OpenSslFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
  void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using CertPtr = std::unique_ptr<X509, OpenSslFree>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
using BnPtr = std::unique_ptr<BIGNUM, OpenSslFree>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree>;

// A failure with OpenSSL's first queued reason, then an empty queue for the next call.
core::Unexpected<core::Error> sslFail(const std::string& what) {
  std::array<char, 256> reason{};
  const unsigned long code = ERR_get_error();
  if (code != 0) ERR_error_string_n(code, reason.data(), reason.size());
  ERR_clear_error();
  return fail(Errc::Crypto, what + (code != 0 ? std::string(": ") + reason.data() : ""));
}

// Never prompts for a passphrase (OpenSSL's default callback would read the terminal).
int noPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
  return 0;
}

BioPtr memoryBio(const QByteArray& data) {
  return BioPtr(BIO_new_mem_buf(data.constData(), static_cast<int>(data.size())));
}

QByteArray drain(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? QByteArray(data, static_cast<qsizetype>(size)) : QByteArray();
}

Result<QByteArray> certToPem(X509* cert) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return sslFail("PEM_write_bio_X509");
  return drain(bio.get());
}

Result<QByteArray> keyToPem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return sslFail("PEM_write_bio_PrivateKey");
  }
  return drain(bio.get());
}

CertPtr certFromPem(const QByteArray& pem) {
  const BioPtr bio = memoryBio(pem);
  return CertPtr(bio ? PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
}

KeyPtr keyFromPem(const QByteArray& pem) {
  const BioPtr bio = memoryBio(pem);
  return KeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
}

Result<KeyPtr> generateKey() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kCurve));
  if (!key) return sslFail("EC key generation");
  return key;
}

core::Status addExtension(X509* cert, X509V3_CTX& ctx, int nid, const char* value) {
  const ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return sslFail(std::string("certificate extension ") + OBJ_nid2sn(nid));
  }
  return core::ok();
}

core::Status setName(X509_NAME* name, const char* commonName) {
  const auto add = [name](const char* field, const char* value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value), -1, -1,
                                      0) == 1;
  };
  if (!add("O", kOrganization) || !add("CN", commonName)) return sslFail("certificate name");
  return core::ok();
}

// A certificate for `subjectKey`, signed by `issuerKey`. Without an issuer certificate it is the
// self-signed CA; otherwise the loopback server leaf.
Result<CertPtr> issue(EVP_PKEY* subjectKey, X509* issuer, EVP_PKEY* issuerKey) {
  const bool isCa = issuer == nullptr;
  CertPtr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return sslFail("X509_new");

  std::array<unsigned char, kSerialBytes> serial{};
  if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) return sslFail("RAND");
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7f) | 0x01);  // positive, 16 bytes
  const BnPtr bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()))) {
    return sslFail("certificate serial");
  }
  if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), kNotBefore) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), kNotAfter)) {
    return sslFail("certificate validity");
  }
  CHORUS_CHECK(
      setName(X509_get_subject_name(cert.get()), isCa ? kCaCommonName : kServerCommonName));
  const X509_NAME* issuerName = X509_get_subject_name(isCa ? cert.get() : issuer);
  if (X509_set_issuer_name(cert.get(), issuerName) != 1 ||
      X509_set_pubkey(cert.get(), subjectKey) != 1) {
    return sslFail("certificate issuer or key");
  }

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, isCa ? cert.get() : issuer, cert.get(), nullptr, nullptr, 0);
  X509* c = cert.get();
  if (isCa) {
    CHORUS_CHECK(addExtension(c, ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
    CHORUS_CHECK(addExtension(c, ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
    CHORUS_CHECK(addExtension(c, ctx, NID_subject_key_identifier, "hash"));
  } else {
    CHORUS_CHECK(addExtension(c, ctx, NID_basic_constraints, "critical,CA:FALSE"));
    CHORUS_CHECK(addExtension(c, ctx, NID_key_usage, "critical,digitalSignature"));
    CHORUS_CHECK(addExtension(c, ctx, NID_ext_key_usage, "serverAuth"));
    CHORUS_CHECK(addExtension(c, ctx, NID_subject_alt_name, kServerAltNames));
    CHORUS_CHECK(addExtension(c, ctx, NID_subject_key_identifier, "hash"));
    CHORUS_CHECK(addExtension(c, ctx, NID_authority_key_identifier, "keyid:always"));
  }
  if (X509_sign(c, issuerKey, EVP_sha256()) <= 0) return sslFail("X509_sign");
  return cert;
}

// Missing → empty; unreadable → Errc::Io.
Result<QByteArray> readIfPresent(const QString& path) {
  QFile file(path);
  if (!file.exists()) return QByteArray();
  if (!file.open(QIODevice::ReadOnly)) {
    return fail(Errc::Io, "cannot read " + path.toStdString());
  }
  return file.readAll();
}

core::Status writeAtomically(const QString& path, const QByteArray& data, bool ownerOnly) {
  QSaveFile out(path);
  const QFileDevice::Permissions permissions =
      ownerOnly ? (QFileDevice::ReadOwner | QFileDevice::WriteOwner)
                : (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                   QFileDevice::ReadOther);
  if (!out.open(QIODevice::WriteOnly) || !out.setPermissions(permissions) ||
      out.write(data) != data.size() || !out.commit()) {
    return fail(Errc::Io, "cannot write " + path.toStdString());
  }
  return core::ok();
}

// The server leaf is usable when it parses, matches its key, is signed by the CA, names
// 127.0.0.1 and localhost and has not expired.
bool serverUsable(X509* server, EVP_PKEY* serverKey, X509* ca) {
  const bool usable = server != nullptr && serverKey != nullptr &&
                      X509_check_private_key(server, serverKey) == 1 &&
                      X509_verify(server, X509_get0_pubkey(ca)) == 1 &&
                      X509_check_ip_asc(server, kLoopbackIp, 0) == 1 &&
                      X509_check_host(server, "localhost", 0, 0, nullptr) == 1 &&
                      X509_cmp_current_time(X509_get0_notAfter(server)) > 0;
  ERR_clear_error();
  return usable;
}

}  // namespace

Result<SimTls> SimTls::loadOrCreate(const QString& dataDir, const core::Logger& log) {
  const QString dir = dataDir + QLatin1String(kTlsFolder);
  if (!QDir().mkpath(dir) ||
      !QFile::setPermissions(
          dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
    return fail(Errc::Io, "cannot create " + dir.toStdString());
  }
  const QString caCertPath = dir + QLatin1String(kCaCertFile);
  const QString caKeyPath = dir + QLatin1String(kCaKeyFile);
  const QString serverCertPath = dir + QLatin1String(kServerCertFile);
  const QString serverKeyPath = dir + QLatin1String(kServerKeyFile);

  CHORUS_TRY(caCertPem, readIfPresent(caCertPath));
  CHORUS_TRY(caKeyPem, readIfPresent(caKeyPath));
  CertPtr caCert;
  KeyPtr caKey;
  bool issueServer = false;
  if (caCertPem.isEmpty() && caKeyPem.isEmpty()) {
    CHORUS_TRY(key, generateKey());
    CHORUS_TRY(cert, issue(key.get(), nullptr, key.get()));
    CHORUS_TRY(certPem, certToPem(cert.get()));
    CHORUS_TRY(keyPem, keyToPem(key.get()));
    CHORUS_CHECK(writeAtomically(caKeyPath, keyPem, true));
    CHORUS_CHECK(writeAtomically(caCertPath, certPem, false));
    caCertPem = certPem;
    caCert = std::move(cert);
    caKey = std::move(key);
    issueServer = true;
    log.info("sim-tls", "created a test CA in " + dir.toStdString());
  } else {
    caCert = certFromPem(caCertPem);
    caKey = keyFromPem(caKeyPem);
    const bool usable = caCert && caKey && X509_check_private_key(caCert.get(), caKey.get()) == 1 &&
                        X509_check_ca(caCert.get()) >= 1;
    ERR_clear_error();
    if (!usable) {
      return fail(Errc::Malformed,
                  "tls/ca.pem or tls/ca.key is missing or damaged; delete " + dir.toStdString() +
                      " to create a new test CA (clients must then trust the new ca.pem)");
    }
  }

  CHORUS_TRY(serverCertPem, readIfPresent(serverCertPath));
  CHORUS_TRY(serverKeyPem, readIfPresent(serverKeyPath));
  CertPtr serverCert = certFromPem(serverCertPem);
  KeyPtr serverKey = keyFromPem(serverKeyPem);
  ERR_clear_error();
  if (issueServer || !serverUsable(serverCert.get(), serverKey.get(), caCert.get())) {
    CHORUS_TRY(key, generateKey());
    CHORUS_TRY(cert, issue(key.get(), caCert.get(), caKey.get()));
    CHORUS_TRY(certPem, certToPem(cert.get()));
    CHORUS_TRY(keyPem, keyToPem(key.get()));
    CHORUS_CHECK(writeAtomically(serverKeyPath, keyPem, true));
    CHORUS_CHECK(writeAtomically(serverCertPath, certPem, false));
    serverCertPem = certPem;
    serverKeyPem = keyPem;
    log.info("sim-tls", "issued the server certificate for 127.0.0.1 / localhost");
  }

  SimTls tls;
  tls.caPemPath_ = caCertPath;
  tls.ca_ = QSslCertificate(caCertPem, QSsl::Pem);
  tls.server_ = QSslCertificate(serverCertPem, QSsl::Pem);
  tls.serverKey_ = QSslKey(serverKeyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
  serverKeyPem.fill('\0');
  caKeyPem.fill('\0');
  if (tls.ca_.isNull() || tls.server_.isNull() || tls.serverKey_.isNull()) {
    return fail(Errc::Crypto, "Qt cannot load the simulator's TLS certificate or key");
  }
  return tls;
}

QSslConfiguration SimTls::serverConfiguration() const {
  QSslConfiguration config = QSslConfiguration::defaultConfiguration();
  config.setLocalCertificate(server_);
  config.setPrivateKey(serverKey_);
  config.setProtocol(QSsl::TlsV1_2OrLater);
  config.setPeerVerifyMode(QSslSocket::VerifyNone);  // no client certificates
  return config;
}

}  // namespace chorus::sim
