#include "core/session/prekeys.h"

#include <utility>

#include "core/session/stanzas.h"

namespace chorus::core::session {

namespace {

constexpr std::size_t kMaxCountDigits = 9;  // far above any real count, far below overflow

binary::Node leaf(std::string tag, Bytes content) {
  binary::Node node;
  node.tag = std::move(tag);
  node.content = std::move(content);
  return node;
}

binary::Node parent(std::string tag, binary::Children children) {
  binary::Node node;
  node.tag = std::move(tag);
  node.content = std::move(children);
  return node;
}

Bytes keyId(std::uint32_t id) {
  Bytes out;
  putU24BE(out, id);
  return out;
}

// <iq to="s.whatsapp.net" type=… id=… xmlns="encrypt">, attributes in the order of the other
// iqs the session sends (stanzas.cpp).
binary::Node encryptIq(std::string id, std::string_view type, binary::Children children) {
  binary::Node node;
  node.tag = std::string(kIqTag);
  node.set("to", serverJid());
  node.set("type", std::string(type));
  node.set("id", std::move(id));
  node.set("xmlns", std::string(kEncryptXmlns));
  node.content = std::move(children);
  return node;
}

Status checkSize(BytesView value, std::size_t size, std::string_view what) {
  if (value.size() != size) {
    return fail(Errc::InvalidArgument,
                std::string(what) + " must be " + std::to_string(size) + " bytes");
  }
  return ok();
}

Result<binary::Node> signedPreKeyNode(const signal::SignedPreKey& key) {
  if (key.id > signal::kMaxPreKeyId) {
    return fail(Errc::InvalidArgument, "signed prekey id does not fit 3 bytes");
  }
  CHORUS_CHECK(checkSize(key.publicKey, signal::kKeySize, "signed prekey"));
  CHORUS_CHECK(checkSize(key.signature, signal::kSignatureSize, "signed prekey signature"));
  return parent("skey", {leaf("id", keyId(key.id)), leaf("value", key.publicKey),
                         leaf("signature", key.signature)});
}

// A decimal count attribute: digits only, no sign, no spaces.
std::optional<std::size_t> parseCount(const binary::Node& count) {
  const auto text = count.attrText("value");
  if (!text || text->empty() || text->size() > kMaxCountDigits) return std::nullopt;
  std::size_t value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value;
}

}  // namespace

std::size_t PreKeyPolicy::toUpload(std::size_t serverCount) const noexcept {
  if (serverCount >= minServerCount) return 0;
  return serverCount == 0 ? initialBatch : refillBatch;
}

bool shouldRotateSignedPreKey(TimePoint createdAt, TimePoint now) noexcept {
  return now < createdAt || now - createdAt >= kSignedPreKeyRotation;
}

binary::Node buildPreKeyCountQuery(std::string id) {
  binary::Node count;
  count.tag = "count";
  return encryptIq(std::move(id), kIqGet, {std::move(count)});
}

Result<std::size_t> parsePreKeyCount(const binary::Node& resultIq) {
  if (resultIq.tag != kIqTag || resultIq.attrText("type") != kIqResult) {
    return fail(Errc::Protocol, "prekey count query was not answered with a result");
  }
  const binary::Node* count = resultIq.child("count");
  if (!count) return fail(Errc::Protocol, "prekey count result without <count>");
  auto value = parseCount(*count);
  if (!value) return fail(Errc::Protocol, "prekey count result with a malformed value");
  return *value;
}

Result<binary::Node> buildPreKeyUpload(
    std::string id, std::uint32_t registrationId, BytesView identityPublic,
    const signal::SignedPreKey& signedPreKey,
    std::span<const signal::PreKeyBundle::OneTimePreKey> preKeys) {
  CHORUS_CHECK(checkSize(identityPublic, signal::kKeySize, "identity key"));
  CHORUS_TRY(skey, signedPreKeyNode(signedPreKey));
  binary::Children list;
  list.reserve(preKeys.size());
  for (const auto& key : preKeys) {
    if (key.id == 0 || key.id > signal::kMaxPreKeyId) {
      return fail(Errc::InvalidArgument, "prekey id out of the 24-bit range");
    }
    CHORUS_CHECK(checkSize(key.publicKey, signal::kKeySize, "prekey"));
    list.push_back(parent("key", {leaf("id", keyId(key.id)), leaf("value", key.publicKey)}));
  }
  Bytes registration;
  putU32BE(registration, registrationId);
  binary::Children children;
  children.push_back(leaf("registration", std::move(registration)));
  children.push_back(leaf("type", Bytes{signal::kDjbType}));
  children.push_back(leaf("identity", toBytes(identityPublic)));
  children.push_back(parent("list", std::move(list)));
  children.push_back(std::move(skey));
  return encryptIq(std::move(id), kIqSet, std::move(children));
}

Result<binary::Node> buildSignedPreKeyRotation(std::string id,
                                               const signal::SignedPreKey& signedPreKey) {
  CHORUS_TRY(skey, signedPreKeyNode(signedPreKey));
  binary::Children rotate;
  rotate.push_back(std::move(skey));
  binary::Children children;
  children.push_back(parent("rotate", std::move(rotate)));
  return encryptIq(std::move(id), kIqSet, std::move(children));
}

std::optional<std::size_t> preKeyNotificationCount(const binary::Node& node) {
  if (node.tag != "notification" || node.attrText("type") != kEncryptXmlns) return std::nullopt;
  const binary::AttrValue* from = node.attr("from");
  if (!from || !isServerJid(*from)) return std::nullopt;
  const binary::Node* count = node.child("count");
  if (!count) return std::nullopt;
  return parseCount(*count);
}

bool isLowPreKeyNotification(const binary::Node& node, const PreKeyPolicy& policy) {
  const auto count = preKeyNotificationCount(node);
  return count && *count < policy.minServerCount;
}

}  // namespace chorus::core::session
