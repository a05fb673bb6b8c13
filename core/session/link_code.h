// Pairing by phone-number code, the companion's side (protocol §7), as pure functions and one
// small state object. The companion shows an 8-character code; the user types it on the phone.
//
//   companion_hello   we send our ephemeral key E_c wrapped with the code
//                     (salt ‖ iv ‖ AES-256-CTR(PBKDF2-SHA256(code, salt, 2^17), iv, E_c.pub))
//   primary_hello     the server relays the phone's <notification type="link_code_companion_reg">
//                     with its identity key and E_p wrapped the same way; we unwrap E_p
//   companion_finish  we send the key bundle (HKDF over X25519(E_c, E_p), AES-256-GCM of our
//                     identity ‖ the primary's identity ‖ 32 random bytes) and derive the adv
//                     secret from both exchanges. It replaces the random adv secret of §6.1, and
//                     <pair-success> then goes through processPairSuccess (pairing.h) as for QR.
//
// A wrong code cannot be detected here: AES-CTR unwraps anything. The phone side fails to open
// the key bundle and the server answers companion_finish with an error.
//
// The code and everything derived from it are secrets: they go to the screen, never to logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/crypto/x25519.h"
#include "core/protocol/binary/node.h"
#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::session {

// The code alphabet: base32 without 0, I, O, U (WhatsApp's "Crockford"), 5 bits per character.
inline constexpr std::string_view kLinkCodeAlphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
inline constexpr std::size_t kLinkCodeLength = 8;      // 5 random bytes
inline constexpr std::size_t kLinkCodeRandomBytes = 5;
inline constexpr int kLinkCodeIterations = 2 << 16;  // 131072 PBKDF2-SHA256 rounds
inline constexpr std::size_t kLinkCodeSaltSize = 32;
inline constexpr std::size_t kLinkCodeIvSize = 16;
inline constexpr std::size_t kLinkCodeWrappedSize = kLinkCodeSaltSize + kLinkCodeIvSize + 32;  // 80

inline constexpr std::string_view kLinkCodeRegTag = "link_code_companion_reg";
inline constexpr std::string_view kLinkCodeNotificationType = "link_code_companion_reg";

// Base32 of `data` with kLinkCodeAlphabet, most significant bits first, no padding.
// linkCodeFromBytes(01 02 03 04 05) == "15217216".
[[nodiscard]] std::string linkCodeFromBytes(BytesView data);
// "abcd-efgh" / "ABCD EFGH" → "ABCDEFGH"; Errc::InvalidArgument unless it is 8 characters of the
// alphabet once dashes and spaces are dropped.
[[nodiscard]] Result<std::string> normalizeLinkCode(std::string_view text);
// "ABCDEFGH" → "ABCD-EFGH", as the UI shows it.
[[nodiscard]] std::string formatLinkCode(std::string_view code);

// PBKDF2-HMAC-SHA256(code, salt, kLinkCodeIterations, 32).
[[nodiscard]] Result<SecretBytes> linkCodeKey(std::string_view code, BytesView salt);
// salt(32 random) ‖ iv(16 random) ‖ AES-256-CTR(linkCodeKey(code, salt), iv, key) for a 32-byte
// key. Errc::InvalidArgument for a wrong key size.
[[nodiscard]] Result<Bytes> wrapWithLinkCode(std::string_view code, BytesView key, Random& random);
// The inverse. Errc::Protocol unless `wrapped` is kLinkCodeWrappedSize bytes.
[[nodiscard]] Result<Bytes> unwrapWithLinkCode(std::string_view code, BytesView wrapped);

// How the phone lists the companion while it asks for the code (§7 step 4).
struct LinkCodeHelloOptions {
  std::string platformId = "1";  // PairClientType: 1 = Chrome
  std::string platformDisplay = "Chrome (Linux)";  // "Browser (OS)"; the server rejects others
  bool showPushNotification = true;
};

// What the phone's primary_hello yields.
struct LinkCodeFinish {
  std::string ref;
  Bytes primaryIdentityKey;  // 32: the phone's identity (the later ADV account key)
  SecretBytes advSecret;     // 32: use it instead of the stored random adv secret
  // <iq to="s.whatsapp.net" type="set" xmlns="md" id=…><link_code_companion_reg
  // stage="companion_finish">…
  binary::Node iq;
};

// One code-pairing attempt: the code, the ephemeral key E_c and the phone number it is for.
class LinkCodePairing {
 public:
  // A fresh random code and ephemeral key for `phone` (international digits, no '+', no
  // leading 0). Errc::InvalidArgument for another phone number.
  [[nodiscard]] static Result<LinkCodePairing> create(std::string_view phone, Random& random);
  // A given code (any form normalizeLinkCode accepts) and ephemeral key: tests, or a resumed
  // attempt.
  [[nodiscard]] static Result<LinkCodePairing> fromParts(std::string_view phone,
                                                         std::string_view code,
                                                         crypto::KeyPair ephemeral);

  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  [[nodiscard]] std::string displayCode() const { return formatLinkCode(code_); }
  [[nodiscard]] const std::string& phone() const noexcept { return phone_; }
  [[nodiscard]] const Bytes& ephemeralPublicKey() const noexcept { return ephemeral_.publicKey; }
  // The ref of the companion_hello answer, once processCompanionHelloResult accepted it.
  [[nodiscard]] const std::string& ref() const noexcept { return ref_; }

  // <iq to="s.whatsapp.net" type="set" xmlns="md" id=…><link_code_companion_reg
  // jid="<phone>@s.whatsapp.net" stage="companion_hello" …> with E_c wrapped by the code and our
  // noise public key. Errc::InvalidArgument for a noise key that is not 32 bytes.
  [[nodiscard]] Result<binary::Node> buildCompanionHello(std::string id, BytesView noisePublicKey,
                                                         Random& random,
                                                         const LinkCodeHelloOptions& options = {});

  // The answer to companion_hello: <iq type="result"><link_code_companion_reg>
  // <link_code_pairing_ref>REF</…>. Returns and keeps the ref. Errc::Protocol for an error iq
  // (the server refused the number or the platform) or a result without a usable ref.
  [[nodiscard]] Result<std::string> processCompanionHelloResult(const binary::Node& iq);

  // True for <notification type="link_code_companion_reg">.
  [[nodiscard]] static bool isPrimaryHello(const binary::Node& node);

  // The phone's primary_hello: unwraps E_p, derives the bundle key and the adv secret and builds
  // companion_finish (iq id `id`) with our identity key. Errors: Errc::Protocol for a node that
  // is not that notification, a `from` other than the server, missing parts, wrong sizes or a
  // ref other than the one companion_hello returned; Errc::InvalidArgument for an identity key
  // pair of the wrong size; Errc::Crypto when a key exchange fails (a low-order key).
  [[nodiscard]] Result<LinkCodeFinish> processPrimaryHello(const binary::Node& notification,
                                                           const crypto::KeyPair& identity,
                                                           std::string id, Random& random) const;

 private:
  LinkCodePairing(std::string phone, std::string code, crypto::KeyPair ephemeral)
      : phone_(std::move(phone)), code_(std::move(code)), ephemeral_(std::move(ephemeral)) {}

  std::string phone_;
  std::string code_;
  crypto::KeyPair ephemeral_;
  std::string ref_;
};

}  // namespace chorus::core::session
