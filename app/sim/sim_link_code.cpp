// Pairing by phone-number code (protocol notes §7), the simulated phone's side:
//
//   companion_hello  (companion → server)  keep the companion's wrapped ephemeral key, answer
//                    with a <link_code_pairing_ref>
//   enterCode        (control API: the user types the code on the phone) unwrap E_c with
//                    PBKDF2-SHA256(code, salt, 2^17) + AES-256-CTR, make E_p, send the companion
//                    <notification type="link_code_companion_reg"> with the primary identity key
//                    and E_p wrapped with the same code
//   companion_finish (companion → server)  open the key bundle (HKDF over X25519(E_p, E_c),
//                    AES-256-GCM), check both identity keys, derive the adv secret from both
//                    exchanges and link the companion exactly as after a QR scan.
#include <algorithm>
#include <cctype>

#include <openssl/evp.h>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_pairing.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/crypto/aes_gcm.h"
#include "core/crypto/hash.h"
#include "core/crypto/x25519.h"
#include "core/protocol/jid/jid.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::Errc;
using core::fail;
using core::LogLevel;
using core::Status;
using core::binary::Children;
using core::binary::Node;

constexpr std::string_view kCodeAlphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
constexpr std::size_t kCodeLength = 8;
constexpr int kCodeIterations = 2 << 16;  // 131072
constexpr std::size_t kSaltSize = 32;
constexpr std::size_t kCtrIvSize = 16;
constexpr std::size_t kKeySize = 32;
constexpr std::size_t kWrappedSize = kSaltSize + kCtrIvSize + kKeySize;  // 80
constexpr std::size_t kGcmNonceSize = 12;
constexpr std::size_t kBundlePlainSize = 3 * kKeySize;
constexpr std::size_t kRefBytes = 18;
constexpr int kBadRequest = 400;
constexpr int kUnauthorized = 401;
constexpr int kNotFound = 404;
constexpr std::string_view kBundleInfo = "link_code_pairing_key_bundle_encryption_key";
constexpr std::string_view kAdvSecretInfo = "adv_secret";

// PBKDF2 key, then AES-256-CTR over `data` (encryption and decryption are the same).
core::Result<Bytes> codeCtr(std::string_view code, core::BytesView salt, core::BytesView iv,
                            core::BytesView data) {
  Bytes key(kKeySize);
  if (PKCS5_PBKDF2_HMAC(code.data(), static_cast<int>(code.size()), salt.data(),
                        static_cast<int>(salt.size()), kCodeIterations, EVP_sha256(),
                        static_cast<int>(key.size()), key.data()) != 1) {
    return fail(Errc::Crypto, "PBKDF2 failed");
  }
  Bytes out(data.size());
  int written = 0;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_ctr(), nullptr, key.data(), iv.data()) == 1 &&
      EVP_EncryptUpdate(ctx, out.data(), &written, data.data(), static_cast<int>(data.size())) == 1;
  EVP_CIPHER_CTX_free(ctx);
  std::fill(key.begin(), key.end(), std::uint8_t{0});
  if (!ok || static_cast<std::size_t>(written) != data.size())
    return fail(Errc::Crypto, "AES-CTR failed");
  return out;
}

// "abcd-efgh" → "ABCDEFGH" when it is 8 characters of the code alphabet.
std::optional<std::string> normalizeCode(std::string_view text) {
  std::string code;
  for (const char ch : text) {
    if (ch == '-' || ch == ' ') continue;
    const char up = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (kCodeAlphabet.find(up) == std::string_view::npos) return std::nullopt;
    code.push_back(up);
  }
  if (code.size() != kCodeLength) return std::nullopt;
  return code;
}

}  // namespace

Status SimPairing::onLinkCode(SimConnection& c, const std::string& id, const Node& iq) {
  const Node* reg = iq.child("link_code_companion_reg");
  if (!reg || c.kind() != SimConnection::Kind::Registration) {
    return c.send(stanza::iqError(id, kBadRequest, "bad-request"));
  }
  const auto stage = reg->attrText("stage");
  if (stage == "companion_hello") return onCompanionHello(c, id, *reg);
  if (stage == "companion_finish") return onCompanionFinish(c, id, *reg);
  return c.send(stanza::iqError(id, kBadRequest, "bad-request"));
}

Status SimPairing::onCompanionHello(SimConnection& c, const std::string& id, const Node& reg) {
  const auto jidText = reg.attrText("jid");
  auto jid =
      jidText ? core::jid::parse(*jidText) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  const Bytes* wrapped =
      stanza::childBytes(reg, "link_code_pairing_wrapped_companion_ephemeral_pub");
  const Bytes* noise = stanza::childBytes(reg, "companion_server_auth_key_pub");
  if (!jid || !wrapped || wrapped->size() != kWrappedSize || !noise) {
    return c.send(stanza::iqError(id, kBadRequest, "bad-request"));
  }
  const AccountRecord* account = hub_.registry().findAccount(jid->user);
  if (!account || !account->hasPhone())
    return c.send(stanza::iqError(id, kNotFound, "item-not-found"));
  if (!core::constantTimeEqual(*noise, c.companion().noiseKey)) {
    return c.send(stanza::iqError(id, kUnauthorized, "not-authorized"));
  }
  CodeLink link{
      account->phone, "2@" + core::toBase64(hub_.random().bytes(kRefBytes)), *wrapped, {}, {}};
  Node result = stanza::iqResult(id);
  result.content = Children{stanza::parent(
      "link_code_companion_reg", {stanza::leaf("link_code_pairing_ref", core::toBytes(link.ref))})};
  codeLinks_.insert_or_assign(c.id(), std::move(link));
  c.logLine(LogLevel::Info, "pairing code requested for " + core::maskPhone(account->phone));
  return c.send(result);
}

core::Result<std::uint64_t> SimPairing::enterCode(std::string_view phone, std::string_view text) {
  const auto code = normalizeCode(text);
  if (!code) return fail(Errc::InvalidArgument, "a code is 8 characters of 1-9 A-Z without I O U");
  const AccountRecord* account = hub_.registry().findAccount(phone);
  if (!account) return fail(Errc::NotFound, "no such account");
  auto it = std::find_if(codeLinks_.begin(), codeLinks_.end(), [&](const auto& entry) {
    return entry.second.phone == phone && entry.second.companionKey.empty();
  });
  if (it == codeLinks_.end())
    return fail(Errc::NotFound, "no companion waits for a code for that phone");
  SimConnection* connection = nullptr;
  for (SimConnection* candidate : hub_.connections()) {
    if (candidate->id() == it->first) connection = candidate;
  }
  if (!connection || !connection->isOpen()) return fail(Errc::NotFound, "the companion has gone");
  CodeLink& link = it->second;
  const core::BytesView wrapped = link.wrappedCompanionKey;
  CHORUS_TRY(companionKey,
             codeCtr(*code, wrapped.subspan(0, kSaltSize), wrapped.subspan(kSaltSize, kCtrIvSize),
                     wrapped.subspan(kSaltSize + kCtrIvSize)));
  CHORUS_TRY(ephemeral, core::crypto::generateKeyPair(hub_.random()));
  const Bytes salt = hub_.random().bytes(kSaltSize);
  const Bytes iv = hub_.random().bytes(kCtrIvSize);
  CHORUS_TRY(sealed, codeCtr(*code, salt, iv, ephemeral.publicKey));
  link.companionKey = std::move(companionKey);
  link.phoneKey = std::move(ephemeral.privateKey);

  Node reg = stanza::parent("link_code_companion_reg",
                            {stanza::leaf("link_code_pairing_ref", core::toBytes(link.ref)),
                             stanza::leaf("primary_identity_pub", account->identityKey),
                             stanza::leaf("link_code_pairing_wrapped_primary_ephemeral_pub",
                                          core::concat({salt, iv, sealed}))});
  Node notification{"notification", {}, Children{std::move(reg)}};
  notification.set("from", stanza::serverJid())
      .set("type", std::string("link_code_companion_reg"))
      .set("id", connection->nextIqId())
      .set("t", std::to_string(hub_.nowSeconds()));
  CHORUS_CHECK(connection->send(notification));
  connection->logLine(LogLevel::Info, "the phone entered a pairing code");
  return connection->id();
}

Status SimPairing::onCompanionFinish(SimConnection& c, const std::string& id, const Node& reg) {
  const auto it = codeLinks_.find(c.id());
  const Bytes* bundle = stanza::childBytes(reg, "link_code_pairing_wrapped_key_bundle");
  const Bytes* identity = stanza::childBytes(reg, "companion_identity_public");
  const Bytes* ref = stanza::childBytes(reg, "link_code_pairing_ref");
  if (it == codeLinks_.end() || it->second.companionKey.empty() || !bundle || !identity || !ref ||
      core::asString(*ref) != it->second.ref || bundle->size() <= kSaltSize + kGcmNonceSize) {
    return c.send(stanza::iqError(id, kBadRequest, "bad-request"));
  }
  const CodeLink pending = {
      it->second.phone, it->second.ref, {}, it->second.companionKey, it->second.phoneKey.clone()};
  codeLinks_.erase(it);
  const AccountRecord* account = hub_.registry().findAccount(pending.phone);
  if (!account) return c.send(stanza::iqError(id, kNotFound, "item-not-found"));
  const core::BytesView sealed = *bundle;
  CHORUS_TRY(shared, core::crypto::x25519(pending.phoneKey.view(), pending.companionKey));
  CHORUS_TRY(bundleKey, core::crypto::hkdfSha256(shared.view(), sealed.subspan(0, kSaltSize),
                                                 core::asBytes(kBundleInfo), kKeySize));
  auto plain =
      core::crypto::aesGcmDecrypt(bundleKey.view(), sealed.subspan(kSaltSize, kGcmNonceSize), {},
                                  sealed.subspan(kSaltSize + kGcmNonceSize));
  const PendingCompanion& companion = c.companion();
  if (!plain || plain->size() != kBundlePlainSize ||
      !core::constantTimeEqual(core::BytesView(*plain).subspan(0, kKeySize),
                               companion.identityKey) ||
      !core::constantTimeEqual(core::BytesView(*plain).subspan(kKeySize, kKeySize),
                               account->identityKey) ||
      !core::constantTimeEqual(*identity, companion.identityKey)) {
    c.logLine(LogLevel::Warn, "pairing code: the key bundle does not open (wrong code?)");
    return c.send(stanza::iqError(id, kUnauthorized, "not-authorized"));
  }
  CHORUS_TRY(identityShared,
             core::crypto::x25519(account->identityPrivate.view(), companion.identityKey));
  const Bytes ikm = core::concat(
      {shared.view(), identityShared.view(), core::BytesView(*plain).subspan(2 * kKeySize)});
  CHORUS_TRY(advSecret, core::crypto::hkdfSha256(ikm, {}, core::asBytes(kAdvSecretInfo), kKeySize));
  CHORUS_CHECK(c.send(stanza::iqResult(id)));
  CHORUS_TRY(outcome, link(c, *account, core::toBytes(advSecret.view())));
  c.logLine(LogLevel::Info, "pairing code accepted: linking " + core::maskPhone(pending.phone) +
                                " device key index " + std::to_string(outcome.keyIndex));
  return core::ok();
}

}  // namespace chorus::sim
