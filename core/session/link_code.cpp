#include "core/session/link_code.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <memory>
#include <utility>

#include <openssl/evp.h>

#include "core/crypto/aes_ctr.h"
#include "core/crypto/aes_gcm.h"
#include "core/crypto/hash.h"
#include "core/protocol/jid/jid.h"
#include "core/session/qr.h"
#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

constexpr std::string_view kWrappedCompanionTag = "link_code_pairing_wrapped_companion_ephemeral_pub";
constexpr std::string_view kServerAuthKeyTag = "companion_server_auth_key_pub";
constexpr std::string_view kPlatformIdTag = "companion_platform_id";
constexpr std::string_view kPlatformDisplayTag = "companion_platform_display";
constexpr std::string_view kNonceTag = "link_code_pairing_nonce";
constexpr std::string_view kRefTag = "link_code_pairing_ref";
constexpr std::string_view kPrimaryIdentityTag = "primary_identity_pub";
constexpr std::string_view kWrappedPrimaryTag = "link_code_pairing_wrapped_primary_ephemeral_pub";
constexpr std::string_view kKeyBundleTag = "link_code_pairing_wrapped_key_bundle";
constexpr std::string_view kCompanionIdentityTag = "companion_identity_public";
constexpr std::string_view kStageHello = "companion_hello";
constexpr std::string_view kStageFinish = "companion_finish";

constexpr std::string_view kBundleInfo = "link_code_pairing_key_bundle_encryption_key";
constexpr std::string_view kAdvSecretInfo = "adv_secret";
constexpr std::size_t kKeySize = 32;
constexpr std::size_t kBundleSaltSize = 32;
constexpr std::size_t kBundleRandomSize = 32;
constexpr unsigned kBitsPerChar = 5;
constexpr std::size_t kMinPhoneDigits = 5;
constexpr std::size_t kMaxPhoneDigits = 20;

bool isValidPhone(std::string_view phone) {
  if (phone.size() < kMinPhoneDigits || phone.size() > kMaxPhoneDigits || phone.front() == '0') {
    return false;
  }
  for (const char ch : phone) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

binary::Node leaf(std::string_view tag, Bytes content) {
  binary::Node node;
  node.tag = std::string(tag);
  node.content = std::move(content);
  return node;
}

binary::Node regIq(std::string id, const std::string& phone, std::string_view stage) {
  binary::Node iq;
  iq.tag = std::string(kIqTag);
  iq.set("to", serverJid());
  iq.set("type", std::string(kIqSet));
  iq.set("xmlns", std::string("md"));
  iq.set("id", std::move(id));
  binary::Node reg;
  reg.tag = std::string(kLinkCodeRegTag);
  jid::Jid user = serverJid();
  user.user = phone;
  reg.set("jid", user);
  reg.set("stage", std::string(stage));
  iq.content = binary::Children{std::move(reg)};
  return iq;
}

binary::Node& regOf(binary::Node& iq) {
  return std::get<binary::Children>(iq.content).front();
}

// The content of `parent`'s child `tag` as bytes; Errc::Protocol when it is absent, not bytes
// or not `size` bytes long (size 0: any non-empty length).
Result<BytesView> childBytes(const binary::Node& parent, std::string_view tag, std::size_t size) {
  const binary::Node* child = parent.child(tag);
  const std::optional<BytesView> bytes = child != nullptr ? contentBytes(*child) : std::nullopt;
  if (!bytes) return fail(Errc::Protocol, "<" + std::string(kLinkCodeRegTag) + "> without " + std::string(tag));
  if (size != 0 ? bytes->size() != size : bytes->empty()) {
    return fail(Errc::Protocol, std::string(tag) + " has the wrong size");
  }
  return *bytes;
}

// Concatenation straight into wiped storage.
SecretBytes joinSecret(std::initializer_list<BytesView> parts) {
  std::size_t size = 0;
  for (const BytesView part : parts) size += part.size();
  SecretBytes out(size);
  std::size_t offset = 0;
  for (const BytesView part : parts) {
    std::copy(part.begin(), part.end(), out.data() + offset);
    offset += part.size();
  }
  return out;
}

Result<std::string> readRef(const binary::Node& reg) {
  CHORUS_TRY(ref, childBytes(reg, kRefTag, 0));
  if (ref.size() > kMaxQrRefSize) return fail(Errc::Protocol, "link code ref too long");
  return std::string(asString(ref));
}

}  // namespace

std::string linkCodeFromBytes(BytesView data) {
  std::string out;
  unsigned buffer = 0;
  unsigned bits = 0;
  for (const std::uint8_t byte : data) {
    buffer = ((buffer << 8U) | byte) & 0xFFFFU;
    bits += 8;
    while (bits >= kBitsPerChar) {
      bits -= kBitsPerChar;
      out.push_back(kLinkCodeAlphabet[(buffer >> bits) & 0x1FU]);
    }
  }
  if (bits > 0) out.push_back(kLinkCodeAlphabet[(buffer << (kBitsPerChar - bits)) & 0x1FU]);
  return out;
}

Result<std::string> normalizeLinkCode(std::string_view text) {
  std::string code;
  for (const char ch : text) {
    if (ch == '-' || ch == ' ') continue;
    const char up = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (kLinkCodeAlphabet.find(up) == std::string_view::npos) {
      return fail(Errc::InvalidArgument, "a link code is 1-9 A-Z without I, O, U");
    }
    code.push_back(up);
  }
  if (code.size() != kLinkCodeLength) {
    return fail(Errc::InvalidArgument, "a link code has 8 characters");
  }
  return code;
}

std::string formatLinkCode(std::string_view code) {
  if (code.size() != kLinkCodeLength) return std::string(code);
  const std::size_t half = kLinkCodeLength / 2;
  return std::string(code.substr(0, half)) + "-" + std::string(code.substr(half));
}

Result<SecretBytes> linkCodeKey(std::string_view code, BytesView salt) {
  SecretBytes key(kKeySize);
  static constexpr std::uint8_t kNoSalt = 0;
  if (PKCS5_PBKDF2_HMAC(code.data(), static_cast<int>(code.size()),
                        salt.empty() ? &kNoSalt : salt.data(), static_cast<int>(salt.size()),
                        kLinkCodeIterations, EVP_sha256(), static_cast<int>(key.size()),
                        key.data()) != 1) {
    return fail(Errc::Crypto, "PBKDF2 failed");
  }
  return key;
}

Result<Bytes> wrapWithLinkCode(std::string_view code, BytesView key, Random& random) {
  if (key.size() != kKeySize) return fail(Errc::InvalidArgument, "a wrapped key is 32 bytes");
  Bytes out = random.bytes(kLinkCodeSaltSize);
  append(out, random.bytes(kLinkCodeIvSize));
  const BytesView head = out;
  CHORUS_TRY(wrapKey, linkCodeKey(code, head.subspan(0, kLinkCodeSaltSize)));
  CHORUS_TRY(sealed, crypto::aes256Ctr(wrapKey.view(), head.subspan(kLinkCodeSaltSize), key));
  append(out, sealed);
  return out;
}

Result<Bytes> unwrapWithLinkCode(std::string_view code, BytesView wrapped) {
  if (wrapped.size() != kLinkCodeWrappedSize) {
    return fail(Errc::Protocol, "a wrapped link-code key is 80 bytes");
  }
  CHORUS_TRY(wrapKey, linkCodeKey(code, wrapped.subspan(0, kLinkCodeSaltSize)));
  return crypto::aes256Ctr(wrapKey.view(), wrapped.subspan(kLinkCodeSaltSize, kLinkCodeIvSize),
                   wrapped.subspan(kLinkCodeSaltSize + kLinkCodeIvSize));
}

Result<LinkCodePairing> LinkCodePairing::create(std::string_view phone, Random& random) {
  const Bytes raw = random.bytes(kLinkCodeRandomBytes);
  CHORUS_TRY(ephemeral, crypto::generateKeyPair(random));
  return fromParts(phone, linkCodeFromBytes(raw), std::move(ephemeral));
}

Result<LinkCodePairing> LinkCodePairing::fromParts(std::string_view phone, std::string_view code,
                                                   crypto::KeyPair ephemeral) {
  if (!isValidPhone(phone)) {
    return fail(Errc::InvalidArgument, "the phone number must be international digits only");
  }
  CHORUS_TRY(normalized, normalizeLinkCode(code));
  if (ephemeral.publicKey.size() != kKeySize || ephemeral.privateKey.size() != kKeySize) {
    return fail(Errc::InvalidArgument, "the ephemeral key pair must be 32-byte keys");
  }
  return LinkCodePairing(std::string(phone), std::move(normalized), std::move(ephemeral));
}

Result<binary::Node> LinkCodePairing::buildCompanionHello(std::string id,
                                                          BytesView noisePublicKey,
                                                          Random& random,
                                                          const LinkCodeHelloOptions& options) {
  if (noisePublicKey.size() != kKeySize) {
    return fail(Errc::InvalidArgument, "the noise public key must be 32 bytes");
  }
  CHORUS_TRY(wrapped, wrapWithLinkCode(code_, ephemeral_.publicKey, random));
  binary::Node iq = regIq(std::move(id), phone_, kStageHello);
  binary::Node& reg = regOf(iq);
  reg.set("should_show_push_notification",
          std::string(options.showPushNotification ? "true" : "false"));
  reg.content = binary::Children{
      leaf(kWrappedCompanionTag, std::move(wrapped)),
      leaf(kServerAuthKeyTag, toBytes(noisePublicKey)),
      leaf(kPlatformIdTag, toBytes(options.platformId)),
      leaf(kPlatformDisplayTag, toBytes(options.platformDisplay)),
      leaf(kNonceTag, Bytes{0x00}),
  };
  return iq;
}

Result<std::string> LinkCodePairing::processCompanionHelloResult(const binary::Node& iq) {
  const std::optional<std::string> type = iq.attrText("type");
  if (iq.tag != kIqTag || type != kIqResult) {
    const binary::Node* error = iq.child("error");
    const std::string code = error != nullptr ? error->attrText("code").value_or("?") : "?";
    return fail(Errc::Protocol, "companion_hello refused (error " + code + ")");
  }
  const binary::Node* reg = iq.child(kLinkCodeRegTag);
  if (reg == nullptr) return fail(Errc::Protocol, "companion_hello result without <link_code_companion_reg>");
  CHORUS_TRY(ref, readRef(*reg));
  ref_ = ref;
  return ref;
}

bool LinkCodePairing::isPrimaryHello(const binary::Node& node) {
  return node.tag == "notification" &&
         node.attrText("type") == std::string(kLinkCodeNotificationType);
}

Result<LinkCodeFinish> LinkCodePairing::processPrimaryHello(const binary::Node& notification,
                                                            const crypto::KeyPair& identity,
                                                            std::string id,
                                                            Random& random) const {
  if (identity.publicKey.size() != kKeySize || identity.privateKey.size() != kKeySize) {
    return fail(Errc::InvalidArgument, "identity key pair must be 32-byte keys");
  }
  if (!isPrimaryHello(notification)) {
    return fail(Errc::Protocol, "not a link_code_companion_reg notification");
  }
  if (const binary::AttrValue* from = notification.attr("from");
      from != nullptr && !isServerJid(*from)) {
    return fail(Errc::Protocol, "link code notification not from the server");
  }
  const binary::Node* reg = notification.child(kLinkCodeRegTag);
  if (reg == nullptr) return fail(Errc::Protocol, "notification without <link_code_companion_reg>");
  CHORUS_TRY(ref, readRef(*reg));
  if (!ref_.empty() && ref != ref_) {
    return fail(Errc::Protocol, "link code notification for another ref");
  }
  CHORUS_TRY(primaryIdentity, childBytes(*reg, kPrimaryIdentityTag, kKeySize));
  CHORUS_TRY(wrappedPrimary, childBytes(*reg, kWrappedPrimaryTag, kLinkCodeWrappedSize));

  // 1–2: E_p and the ephemeral exchange.
  CHORUS_TRY(primaryEphemeral, unwrapWithLinkCode(code_, wrappedPrimary));
  CHORUS_TRY(shared, crypto::x25519(ephemeral_.privateKey.view(), primaryEphemeral));
  // 3–4: the key bundle.
  const Bytes bundleSalt = random.bytes(kBundleSaltSize);
  CHORUS_TRY(bundleKey, crypto::hkdfSha256(shared.view(), bundleSalt, asBytes(kBundleInfo), kKeySize));
  const SecretBytes extra = random.secret(kBundleRandomSize);
  const Bytes nonce = random.bytes(crypto::kGcmIvSize);
  const SecretBytes plain = joinSecret({identity.publicKey, primaryIdentity, extra.view()});
  CHORUS_TRY(sealed, crypto::aesGcmEncrypt(bundleKey.view(), nonce, {}, plain.view()));
  // 5: the adv secret from both exchanges and the random part.
  CHORUS_TRY(identityShared, crypto::x25519(identity.privateKey.view(), primaryIdentity));
  const SecretBytes ikm = joinSecret({shared.view(), identityShared.view(), extra.view()});
  CHORUS_TRY(advSecret, crypto::hkdfSha256(ikm.view(), {}, asBytes(kAdvSecretInfo), kKeySize));

  // 6: companion_finish.
  binary::Node iq = regIq(std::move(id), phone_, kStageFinish);
  regOf(iq).content = binary::Children{
      leaf(kKeyBundleTag, concat({bundleSalt, nonce, sealed})),
      leaf(kCompanionIdentityTag, identity.publicKey),
      leaf(kRefTag, toBytes(ref)),
  };
  LinkCodeFinish finish;
  finish.ref = std::move(ref);
  finish.primaryIdentityKey = toBytes(primaryIdentity);
  finish.advSecret = std::move(advSecret);
  finish.iq = std::move(iq);
  return finish;
}

}  // namespace chorus::core::session
