// The `encrypt` namespace (§8.2, §8.3, §15.4): prekey count, prekey upload and bundle fetch.

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_iq_handlers.h"
#include "app/sim/sim_phone.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"
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

constexpr std::uint8_t kDjbKeyType = 0x05;
constexpr std::size_t kKeyIdSize = 3;
constexpr std::size_t kRegistrationIdSize = 4;
constexpr std::size_t kMaxUpload = 2000;  // whatsmeow's first upload is 812
// Below this many one-time prekeys the device is told to upload more (§8.2).
constexpr std::size_t kLowPreKeyCount = 5;

bool sized(const Bytes* bytes, std::size_t size) {
  return bytes && bytes->size() == size;
}

// <skey><id/><value/><signature/></skey>, verified against the identity key.
core::Result<SignedPreKey> parseSignedPreKey(const Node& skey, const Bytes& identity) {
  const Bytes* id = stanza::childBytes(skey, "id");
  const Bytes* value = stanza::childBytes(skey, "value");
  const Bytes* signature = stanza::childBytes(skey, "signature");
  if (!sized(id, kKeyIdSize) || !sized(value, core::crypto::kCurveKeySize) ||
      !sized(signature, core::crypto::kSignatureSize)) {
    return fail(Errc::Protocol, "malformed <skey>");
  }
  Bytes signedMessage{kDjbKeyType};
  core::append(signedMessage, *value);
  if (!core::crypto::xeddsaVerify(identity, signedMessage, *signature)) {
    return fail(Errc::Protocol, "the uploaded signed prekey signature does not verify");
  }
  return SignedPreKey{core::readU24BE(id->data()), *value, *signature};
}

Node keyNode(std::string tag, std::uint32_t id, const Bytes& value) {
  return stanza::parent(std::move(tag), {stanza::leaf("id", stanza::beBytes(id, kKeyIdSize)),
                                         stanza::leaf("value", value)});
}

// <user jid=…><registration/><type/><identity/><skey/>[<key/>]</user>
Node bundle(core::binary::AttrValue jid, std::uint32_t registrationId, const Bytes& identity,
            const SignedPreKey& spk, const std::optional<OneTimePreKey>& oneTime) {
  Node skey = keyNode("skey", spk.id, spk.publicKey);
  std::get<Children>(skey.content).push_back(stanza::leaf("signature", spk.signature));
  Children parts{stanza::leaf("registration", stanza::beBytes(registrationId, kRegistrationIdSize)),
                 stanza::leaf("type", Bytes{kDjbKeyType}), stanza::leaf("identity", identity),
                 std::move(skey)};
  if (oneTime) parts.push_back(keyNode("key", oneTime->id, oneTime->publicKey));
  Node user{"user", {}, std::move(parts)};
  user.set("jid", std::move(jid));
  return user;
}

Node notFound(core::binary::AttrValue jid) {
  Node error{"error", {}, {}};
  error.set("code", std::string("404")).set("text", std::string("item-not-found"));
  Node user{"user", {}, Children{std::move(error)}};
  user.set("jid", std::move(jid));
  return user;
}

}  // namespace

Status SimIqHandlers::encrypt(SimConnection& c, const std::string& id, const Node& iq) {
  const bool get = iq.attrText("type") == "get";
  if (get && iq.child("count")) return preKeyCount(c, id);
  if (get && iq.child("key")) return preKeyFetch(c, id, *iq.child("key"));
  if (!get && iq.child("list")) return preKeyUpload(c, id, iq);
  c.logLine(LogLevel::Info, "encrypt iq of an unknown kind: 501");
  return c.send(stanza::iqError(id, 501, "feature-not-implemented"));
}

Status SimIqHandlers::preKeyCount(SimConnection& c, const std::string& id) {
  CHORUS_TRY(count, hub_.prekeys().count(c.phone(), c.device()));
  Node value{"count", {}, {}};
  value.set("value", std::to_string(count));
  Node result = stanza::iqResult(id);
  result.content = Children{std::move(value)};
  return c.send(result);
}

Status SimIqHandlers::preKeyUpload(SimConnection& c, const std::string& id, const Node& iq) {
  const DeviceRecord* record = hub_.registry().findDevice(c.phone(), c.device());
  if (!record) return fail(Errc::NotFound, "prekey upload by a device that is gone");
  const Bytes* registration = stanza::childBytes(iq, "registration");
  const Bytes* type = stanza::childBytes(iq, "type");
  const Bytes* identity = stanza::childBytes(iq, "identity");
  const Node* skey = iq.child("skey");
  if (!sized(registration, kRegistrationIdSize) || !sized(type, 1) || (*type)[0] != kDjbKeyType ||
      !sized(identity, core::crypto::kCurveKeySize) || !skey) {
    return fail(Errc::Protocol, "malformed prekey upload");
  }
  if (!record->identityKey.empty() && record->identityKey != *identity) {
    return fail(Errc::Protocol, "prekey upload with another identity key than at pairing");
  }
  CHORUS_TRY(spk, parseSignedPreKey(*skey, *identity));
  const auto keys = stanza::childrenNamed(*iq.child("list"), "key");
  if (keys.size() > kMaxUpload) return fail(Errc::Protocol, "too many prekeys in one upload");
  std::vector<OneTimePreKey> oneTime;
  oneTime.reserve(keys.size());
  for (const Node* key : keys) {
    const Bytes* keyId = stanza::childBytes(*key, "id");
    const Bytes* value = stanza::childBytes(*key, "value");
    if (!sized(keyId, kKeyIdSize) || !sized(value, core::crypto::kCurveKeySize)) {
      return fail(Errc::Protocol, "malformed <key> in a prekey upload");
    }
    oneTime.push_back({core::readU24BE(keyId->data()), *value});
  }
  DeviceRecord updated = *record;
  updated.registrationId = core::readU32BE(registration->data());
  updated.identityKey = *identity;
  updated.signedPreKey = std::move(spk);
  CHORUS_CHECK(hub_.registry().putDevice(std::move(updated)));
  CHORUS_CHECK(hub_.prekeys().add(c.phone(), c.device(), oneTime));
  c.logLine(LogLevel::Info, "stored " + std::to_string(oneTime.size()) + " prekeys");
  return c.send(stanza::iqResult(id));
}

// One bundle per requested device; a one-time prekey is handed out once and deleted. The
// simulated phone's (device 0) one-time prekeys come from its Signal store (SimPhones).
Status SimIqHandlers::preKeyFetch(SimConnection& c, const std::string& id, const Node& key) {
  Children users;
  for (const Node* user : stanza::childrenNamed(key, "user")) {
    const core::binary::AttrValue* jidAttr = user->attr("jid");
    const auto text = user->attrText("jid");
    auto jid = text ? core::jid::parse(*text) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
    if (!jidAttr || !jid || jid->server != core::jid::kUserServer) {
      return fail(Errc::Protocol, "prekey fetch for a malformed user jid");
    }
    const std::string& phone = jid->user;
    if (jid->device == 0) {
      const AccountRecord* account = hub_.registry().findAccount(phone);
      if (account && account->hasPhone()) {
        CHORUS_TRY(oneTime, hub_.phones().takePreKey(phone));
        users.push_back(bundle(*jidAttr, account->registrationId, account->identityKey,
                               account->signedPreKey, oneTime));
      } else {
        users.push_back(notFound(*jidAttr));
      }
      continue;
    }
    const DeviceRecord* device = hub_.registry().findDevice(phone, jid->device);
    if (!device || device->signedPreKey.publicKey.empty()) {
      users.push_back(notFound(*jidAttr));
      continue;
    }
    CHORUS_TRY(oneTime, hub_.prekeys().take(phone, jid->device));
    users.push_back(bundle(*jidAttr, device->registrationId, device->identityKey,
                           device->signedPreKey, oneTime));
    CHORUS_TRY(left, hub_.prekeys().count(phone, jid->device));
    if (oneTime && left < kLowPreKeyCount) {
      Node count{"count", {}, {}};
      count.set("value", std::to_string(left));
      Node notification{"notification", {}, Children{std::move(count)}};
      notification.set("from", stanza::serverJid())
          .set("type", std::string("encrypt"))
          .set("id", core::toHex(hub_.random().bytes(8)))
          .set("t", std::to_string(hub_.nowSeconds()));
      CHORUS_CHECK(hub_.deliver(phone, jid->device, notification));
    }
  }
  Node result = stanza::iqResult(id);
  result.content = Children{stanza::parent("list", std::move(users))};
  return c.send(result);
}

}  // namespace chorus::sim
