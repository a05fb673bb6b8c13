#include "core/session/pairing.h"

#include <utility>

#include "core/crypto/hash.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/jid/jid.h"
#include "core/protocol/noise/proto_io.h"
#include "core/session/client_payload.h"
#include "core/session/stanzas.h"
#include "core/signal/signal_keys.h"
#include "proto/adv.pb.h"

namespace chorus::core::session {
namespace {

constexpr std::string_view kPairSuccessTag = "pair-success";
constexpr std::string_view kDeviceIdentityTag = "device-identity";
constexpr std::string_view kDeviceTag = "device";
constexpr std::string_view kPlatformTag = "platform";
constexpr std::string_view kBizTag = "biz";
constexpr std::string_view kPairDeviceSignTag = "pair-device-sign";

// Byte prefixes of the ADV messages (§6.3).
constexpr std::uint8_t kHostedHmacPrefix[] = {0x06, 0x05};
constexpr std::uint8_t kAccountSignaturePrefix[] = {0x06, 0x00};
constexpr std::uint8_t kHostedAccountSignaturePrefix[] = {0x06, 0x05};
constexpr std::uint8_t kDeviceSignaturePrefix[] = {0x06, 0x01};

constexpr int kUnauthorized = 401;
constexpr int kInternalError = 500;

std::string str(BytesView bytes) {
  return std::string(asString(bytes));
}

struct ParsedRequest {
  std::string id;
  BytesView hmacContainer;
  std::string deviceJid;
  std::string lid;
  std::string platform;
  std::string businessName;
};

Result<std::string> jidAttr(const binary::Node& node, std::string_view key) {
  const std::optional<std::string> text = node.attrText(key);
  if (!text) return fail(Errc::Protocol, "<device> without " + std::string(key));
  return *text;
}

Result<ParsedRequest> parseRequest(const binary::Node& iq) {
  ParsedRequest req;
  req.id = iq.attrText("id").value_or("");
  if (req.id.empty()) return fail(Errc::Protocol, "pair-success iq without an id");
  if (const binary::AttrValue* from = iq.attr("from"); from != nullptr && !isServerJid(*from)) {
    return fail(Errc::Protocol, "pair-success not from the server");
  }
  const binary::Node* success = iq.child(kPairSuccessTag);
  if (success == nullptr) return fail(Errc::Protocol, "no <pair-success>");
  const binary::Node* identity = success->child(kDeviceIdentityTag);
  const std::optional<BytesView> identityBytes =
      identity != nullptr ? contentBytes(*identity) : std::nullopt;
  if (!identityBytes) return fail(Errc::Protocol, "<pair-success> without <device-identity>");
  req.hmacContainer = *identityBytes;

  const binary::Node* device = success->child(kDeviceTag);
  if (device == nullptr) return fail(Errc::Protocol, "<pair-success> without <device>");
  CHORUS_TRY(deviceJid, jidAttr(*device, "jid"));
  if (!loginIdentity(deviceJid)) {
    return fail(Errc::Protocol, "<device jid> is not a companion device of a phone number");
  }
  req.deviceJid = std::move(deviceJid);
  if (device->attr("lid") != nullptr) {
    CHORUS_TRY(lid, jidAttr(*device, "lid"));
    auto parsed = jid::parse(lid);
    if (!parsed || parsed->server != jid::kLidServer || parsed->user.empty()) {
      return fail(Errc::Protocol, "<device lid> is not a LID");
    }
    req.lid = std::move(lid);
  }
  if (const binary::Node* platform = success->child(kPlatformTag)) {
    req.platform = platform->attrText("name").value_or("");
  }
  if (const binary::Node* biz = success->child(kBizTag)) {
    req.businessName = biz->attrText("name").value_or("");
  }
  return req;
}

struct VerifiedIdentity {
  proto::ADVSignedDeviceIdentity signedIdentity;
  std::uint32_t keyIndex = 0;
};

// Steps 1–3 of §6.3: HMAC, parse, account signature.
Result<VerifiedIdentity> verifyIdentity(BytesView hmacContainer, BytesView advSecret,
                                        BytesView identityPublic) {
  CHORUS_TRY(container, noise::parseProto<proto::ADVSignedDeviceIdentityHMAC>(
                            hmacContainer, "ADVSignedDeviceIdentityHMAC"));
  if (!container.has_details() || !container.has_hmac()) {
    return fail(Errc::Protocol, "ADV HMAC container without details or hmac");
  }
  const BytesView details = noise::protoBytes(container.details());
  Bytes mac;
  if (container.accounttype() == proto::HOSTED) {
    mac = crypto::hmacSha256(advSecret, concat({kHostedHmacPrefix, details}));
  } else {
    mac = crypto::hmacSha256(advSecret, details);
  }
  if (!constantTimeEqual(mac, noise::protoBytes(container.hmac()))) {
    return fail(Errc::Auth, "ADV identity HMAC does not verify");
  }

  CHORUS_TRY(signedIdentity,
             noise::parseProto<proto::ADVSignedDeviceIdentity>(details, "ADVSignedDeviceIdentity"));
  if (!signedIdentity.has_details() ||
      signedIdentity.accountsignaturekey().size() != crypto::kCurveKeySize ||
      signedIdentity.accountsignature().size() != crypto::kSignatureSize) {
    return fail(Errc::Protocol, "ADV identity without details, account key or signature");
  }
  const BytesView identityDetails = noise::protoBytes(signedIdentity.details());
  CHORUS_TRY(deviceIdentity,
             noise::parseProto<proto::ADVDeviceIdentity>(identityDetails, "ADVDeviceIdentity"));

  const BytesView prefix = deviceIdentity.devicetype() == proto::HOSTED
                               ? BytesView(kHostedAccountSignaturePrefix)
                               : BytesView(kAccountSignaturePrefix);
  const Bytes signedMessage = concat({prefix, identityDetails, identityPublic});
  if (!crypto::xeddsaVerify(noise::protoBytes(signedIdentity.accountsignaturekey()), signedMessage,
                            noise::protoBytes(signedIdentity.accountsignature()))) {
    return fail(Errc::Crypto, "ADV account signature does not verify");
  }
  return VerifiedIdentity{std::move(signedIdentity), deviceIdentity.keyindex()};
}

binary::Node buildReply(std::string id, std::uint32_t keyIndex, Bytes replyIdentity) {
  binary::Node identity;
  identity.tag = std::string(kDeviceIdentityTag);
  identity.set("key-index", std::to_string(keyIndex));
  identity.content = std::move(replyIdentity);
  binary::Node sign;
  sign.tag = std::string(kPairDeviceSignTag);
  sign.content = binary::Children{std::move(identity)};
  binary::Node reply = buildIqResult(std::move(id));
  reply.content = binary::Children{std::move(sign)};
  return reply;
}

}  // namespace

Result<store::DeviceCredentials> generateCredentials(Random& random) {
  store::DeviceCredentials creds;
  CHORUS_TRY(noiseKey, crypto::generateKeyPair(random));
  CHORUS_TRY(identity, signal::generateIdentityKeyPair(random));
  CHORUS_TRY(signedPreKey, signal::generateSignedPreKey(identity, kFirstSignedPreKeyId, random));
  creds.noiseKey = std::move(noiseKey);
  creds.identityKey =
      crypto::KeyPair{std::move(identity.privateKey), std::move(identity.publicKey)};
  creds.signedPreKey.id = signedPreKey.id;
  creds.signedPreKey.keyPair =
      crypto::KeyPair{std::move(signedPreKey.privateKey), std::move(signedPreKey.publicKey)};
  creds.signedPreKey.signature = std::move(signedPreKey.signature);
  creds.registrationId = signal::generateRegistrationId(random);
  creds.advSecret = random.secret(kAdvSecretSize);
  return creds;
}

Result<PairingResult> processPairSuccess(const binary::Node& iq, const crypto::KeyPair& identity,
                                         BytesView advSecret, Random& random) {
  if (advSecret.size() != kAdvSecretSize) {
    return fail(Errc::InvalidArgument, "adv secret must be 32 bytes");
  }
  if (identity.publicKey.size() != crypto::kCurveKeySize ||
      identity.privateKey.size() != crypto::kCurveKeySize) {
    return fail(Errc::InvalidArgument, "identity key pair must be 32-byte keys");
  }
  CHORUS_TRY(request, parseRequest(iq));
  CHORUS_TRY(verified, verifyIdentity(request.hmacContainer, advSecret, identity.publicKey));
  proto::ADVSignedDeviceIdentity& signedIdentity = verified.signedIdentity;

  const BytesView accountKey = noise::protoBytes(signedIdentity.accountsignaturekey());
  const Bytes deviceMessage =
      concat({kDeviceSignaturePrefix, noise::protoBytes(signedIdentity.details()),
              identity.publicKey, accountKey});
  auto deviceSignature = crypto::xeddsaSign(identity.privateKey.view(), deviceMessage, random);
  if (!deviceSignature) return fail(Errc::Internal, "cannot sign the device identity");
  signedIdentity.set_devicesignature(str(*deviceSignature));

  PairingResult result;
  result.deviceJid = std::move(request.deviceJid);
  result.lid = std::move(request.lid);
  result.platform = std::move(request.platform);
  result.businessName = std::move(request.businessName);
  result.keyIndex = verified.keyIndex;
  result.accountSignatureKey = toBytes(accountKey);
  result.signedDeviceIdentity = noise::serializeProto(signedIdentity);
  // The reply leaves the account key out: the server knows it (§6.3 step 6).
  signedIdentity.clear_accountsignaturekey();
  result.reply =
      buildReply(std::move(request.id), verified.keyIndex, noise::serializeProto(signedIdentity));
  return result;
}

binary::Node buildPairingErrorReply(std::string id, const Error& error) {
  switch (error.code) {
    case Errc::Auth: return buildIqError(std::move(id), kUnauthorized, "hmac-mismatch");
    case Errc::Crypto: return buildIqError(std::move(id), kUnauthorized, "signature-mismatch");
    default: return buildIqError(std::move(id), kInternalError, "internal-error");
  }
}

}  // namespace chorus::core::session
