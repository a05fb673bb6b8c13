#include "core/session/prekey_bundle.h"

#include <charconv>
#include <utility>

#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

using binary::Children;
using binary::Node;

constexpr std::string_view kEncryptNamespace = "encrypt";
constexpr int kNotFoundCode = 404;

Node bytesNode(std::string tag, Bytes content) {
  Node node;
  node.tag = std::move(tag);
  node.content = std::move(content);
  return node;
}

Bytes beBytes(std::uint32_t value, std::size_t width) {
  Bytes out(width);
  for (std::size_t i = 0; i < width; ++i) {
    out[width - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  return out;
}

// The bytes of `parent`'s child `tag` when they are exactly `size` long.
Result<BytesView> sizedChild(const Node& parent, std::string_view tag, std::size_t size,
                             std::string_view what) {
  const Node* child = parent.child(tag);
  const auto bytes = child ? contentBytes(*child) : std::nullopt;
  if (!bytes) return fail(Errc::Protocol, std::string(what) + " is missing");
  if (bytes->size() != size) {
    return fail(Errc::Protocol, std::string(what) + " has " + std::to_string(bytes->size()) +
                                    " bytes, expected " + std::to_string(size));
  }
  return *bytes;
}

struct KeyEntry {
  std::uint32_t id = 0;
  Bytes publicKey;
  Bytes signature;
};

Result<KeyEntry> parseKeyEntry(const Node& node, bool withSignature) {
  const std::string what = "<" + node.tag + ">";
  CHORUS_TRY(id, sizedChild(node, "id", kPreKeyIdSize, what + " id"));
  CHORUS_TRY(value, sizedChild(node, "value", signal::kKeySize, what + " value"));
  KeyEntry out{readU24BE(id.data()), toBytes(value), {}};
  if (withSignature) {
    CHORUS_TRY(signature,
               sizedChild(node, "signature", signal::kSignatureSize, what + " signature"));
    out.signature = toBytes(signature);
  }
  return out;
}

Result<signal::PreKeyBundle> parseUserBundle(const Node& user, std::int32_t deviceId) {
  CHORUS_TRY(registrationId, parseRegistrationId(user));
  return parseBundleKeys(user, registrationId, deviceId);
}

}  // namespace

Result<binary::Node> buildPreKeyFetch(std::string id, std::span<const jid::Jid> devices,
                                      bool reasonIdentity) {
  if (id.empty()) return fail(Errc::InvalidArgument, "prekey fetch needs an id");
  if (devices.empty()) return fail(Errc::InvalidArgument, "prekey fetch for no devices");
  if (devices.size() > kMaxPreKeyFetchUsers) {
    return fail(Errc::InvalidArgument, "prekey fetch for too many devices");
  }
  Children users;
  users.reserve(devices.size());
  for (const jid::Jid& device : devices) {
    if (!isUserJid(device)) return fail(Errc::InvalidArgument, "prekey fetch for a non-user JID");
    Node user;
    user.tag = "user";
    user.set("jid", device);
    if (reasonIdentity) user.set("reason", std::string("identity"));
    users.push_back(std::move(user));
  }
  Node key;
  key.tag = "key";
  key.content = std::move(users);
  Node iq;
  iq.tag = std::string(kIqTag);
  iq.set("xmlns", std::string(kEncryptNamespace))
      .set("type", std::string(kIqGet))
      .set("to", serverJid())
      .set("id", std::move(id));
  iq.content = Children{std::move(key)};
  return iq;
}

Result<std::vector<FetchedBundle>> parsePreKeyFetchResult(const binary::Node& iq) {
  if (iq.tag != kIqTag || iq.attrText("type") != kIqResult) {
    return fail(Errc::Protocol, "prekey answer is not an iq result");
  }
  const Node* list = iq.child("list");
  const Children* users = list ? list->children() : nullptr;
  if (!users) return fail(Errc::Protocol, "prekey answer without <list>");
  if (users->size() > kMaxPreKeyFetchUsers) return fail(Errc::Protocol, "prekey answer too long");
  std::vector<FetchedBundle> out;
  out.reserve(users->size());
  for (const Node& user : *users) {
    if (user.tag != "user") continue;
    const auto device = jidAttr(user, "jid");
    if (!device || !isUserJid(*device))
      return fail(Errc::Protocol, "prekey answer user without jid");
    if (const Node* error = user.child("error")) {
      const std::string code = error->attrText("code").value_or("");
      int value = 0;
      (void)std::from_chars(code.data(), code.data() + code.size(), value);
      const std::string detail =
          "server error " + code + " " + error->attrText("text").value_or("");
      out.push_back(
          {*device, fail(value == kNotFoundCode ? Errc::NotFound : Errc::Protocol, detail), value});
      continue;
    }
    out.push_back({*device, parseUserBundle(user, device->device), 0});
  }
  return out;
}

Result<std::uint32_t> parseRegistrationId(const binary::Node& parent) {
  CHORUS_TRY(bytes, sizedChild(parent, "registration", kRegistrationIdSize, "<registration>"));
  return readU32BE(bytes.data());
}

Result<signal::PreKeyBundle> parseBundleKeys(const binary::Node& parent,
                                             std::uint32_t registrationId, std::int32_t deviceId) {
  const Node* keysChild = parent.child("keys");
  const Node& keys = keysChild ? *keysChild : parent;
  if (const Node* type = keys.child("type")) {
    const auto bytes = contentBytes(*type);
    if (!bytes || bytes->size() != 1 || (*bytes)[0] != signal::kDjbType) {
      return fail(Errc::Protocol, "bundle key <type> is not 05");
    }
  }
  CHORUS_TRY(identity, sizedChild(keys, "identity", signal::kKeySize, "<identity>"));
  const Node* skey = keys.child("skey");
  if (!skey) return fail(Errc::Protocol, "bundle without <skey>");
  CHORUS_TRY(signedKey, parseKeyEntry(*skey, true));

  signal::PreKeyBundle bundle;
  bundle.registrationId = registrationId;
  bundle.deviceId = deviceId;
  bundle.identityKey = toBytes(identity);
  bundle.signedPreKeyId = signedKey.id;
  bundle.signedPreKey = std::move(signedKey.publicKey);
  bundle.signedPreKeySignature = std::move(signedKey.signature);
  if (const Node* key = keys.child("key")) {
    CHORUS_TRY(oneTime, parseKeyEntry(*key, false));
    bundle.preKey = signal::PreKeyBundle::OneTimePreKey{oneTime.id, std::move(oneTime.publicKey)};
  }
  return bundle;
}

Result<binary::Node> preKeyEntryNode(std::uint32_t id, BytesView publicKey) {
  if (id > signal::kMaxPreKeyId) return fail(Errc::InvalidArgument, "prekey id over 24 bits");
  if (publicKey.size() != signal::kKeySize) {
    return fail(Errc::InvalidArgument, "prekey public key is not 32 bytes");
  }
  Node key;
  key.tag = "key";
  key.content =
      Children{bytesNode("id", beBytes(id, kPreKeyIdSize)), bytesNode("value", toBytes(publicKey))};
  return key;
}

Result<binary::Node> signedPreKeyEntryNode(std::uint32_t id, BytesView publicKey,
                                           BytesView signature) {
  if (signature.size() != signal::kSignatureSize) {
    return fail(Errc::InvalidArgument, "signed prekey signature is not 64 bytes");
  }
  CHORUS_TRY(node, preKeyEntryNode(id, publicKey));
  node.tag = "skey";
  std::get<Children>(node.content).push_back(bytesNode("signature", toBytes(signature)));
  return node;
}

Result<binary::Node> bundleUserNode(const jid::Jid& device, const signal::PreKeyBundle& bundle) {
  if (bundle.identityKey.size() != signal::kKeySize) {
    return fail(Errc::InvalidArgument, "identity key is not 32 bytes");
  }
  CHORUS_TRY(skey, signedPreKeyEntryNode(bundle.signedPreKeyId, bundle.signedPreKey,
                                         bundle.signedPreKeySignature));
  Children parts{bytesNode("registration", beBytes(bundle.registrationId, kRegistrationIdSize)),
                 bytesNode("type", Bytes{signal::kDjbType}),
                 bytesNode("identity", bundle.identityKey), std::move(skey)};
  if (bundle.preKey) {
    CHORUS_TRY(key, preKeyEntryNode(bundle.preKey->id, bundle.preKey->publicKey));
    parts.push_back(std::move(key));
  }
  Node user;
  user.tag = "user";
  user.set("jid", device);
  user.content = std::move(parts);
  return user;
}

}  // namespace chorus::core::session
