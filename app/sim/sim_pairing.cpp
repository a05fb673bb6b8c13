#include "app/sim/sim_pairing.h"

#include <algorithm>
#include <cctype>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/crypto/hash.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/jid/jid.h"
#include "proto/adv.pb.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::Errc;
using core::fail;
using core::LogLevel;
using core::Status;
using core::binary::Children;
using core::binary::Node;

constexpr std::size_t kMinPhoneDigits = 5;
constexpr std::size_t kMaxPhoneDigits = 20;
constexpr std::size_t kLidDigits = 15;
constexpr std::uint32_t kRegistrationIdMask = 0x3FFF;  // 14 bits, as Baileys
constexpr std::uint32_t kPhoneSignedPreKeyId = 1;
constexpr std::uint8_t kDjbKeyType = 0x05;
// ADV signature prefixes (§6.3): account over the device identity, device over the same.
constexpr std::uint8_t kAccountSignaturePrefix[] = {0x06, 0x00};
constexpr std::uint8_t kDeviceSignaturePrefix[] = {0x06, 0x01};
constexpr auto kPhonePlatform = "android";
constexpr std::uint32_t kMaxDevices = 64;

bool isPhoneNumber(std::string_view phone) {
  return phone.size() >= kMinPhoneDigits && phone.size() <= kMaxPhoneDigits &&
         phone.front() != '0' &&
         std::all_of(phone.begin(), phone.end(),
                     [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; });
}

Bytes serialize(const google::protobuf::MessageLite& message) {
  const std::string s = message.SerializeAsString();
  return core::toBytes(std::string_view(s));
}

std::string randomDigits(core::Random& random, std::size_t count) {
  std::string digits;
  digits.push_back(static_cast<char>('1' + random.uniform(9)));
  while (digits.size() < count) digits.push_back(static_cast<char>('0' + random.uniform(10)));
  return digits;
}

core::jid::Jid makeJid(std::string user, std::string_view server, std::uint32_t device) {
  core::jid::Jid jid;
  jid.user = std::move(user);
  jid.server = std::string(server);
  jid.device = static_cast<std::uint16_t>(device);
  jid.form = core::jid::JidForm::AD;
  return jid;
}

struct QrParts {
  std::string ref;
  Bytes noiseKey;
  Bytes identityKey;
  Bytes advSecret;
};

// Both QR formats (§6.2 step 5): strip an optional "…#" prefix, then ref,noise,identity,adv[,…].
core::Result<QrParts> parseQr(std::string_view qr) {
  if (const auto hash = qr.find('#'); hash != std::string_view::npos) qr.remove_prefix(hash + 1);
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    const auto comma = qr.find(',');
    parts.push_back(qr.substr(0, comma));
    if (comma == std::string_view::npos) break;
    qr.remove_prefix(comma + 1);
  }
  if (parts.size() < 4 || parts[0].empty()) return fail(Errc::InvalidArgument, "QR has not four parts");
  auto noise = core::fromBase64(parts[1]);
  auto identity = core::fromBase64(parts[2]);
  auto adv = core::fromBase64(parts[3]);
  if (!noise || !identity || !adv || noise->size() != core::crypto::kCurveKeySize ||
      identity->size() != core::crypto::kCurveKeySize || adv->empty()) {
    return fail(Errc::InvalidArgument, "QR keys are not base64 32-byte keys");
  }
  return QrParts{std::string(parts[0]), std::move(*noise), std::move(*identity), std::move(*adv)};
}

}  // namespace

SimPairing::SimPairing(SimHub& hub) : hub_(hub) {}

core::Result<const AccountRecord*> SimPairing::createAccount(const std::string& phone) {
  if (!isPhoneNumber(phone)) return fail(Errc::InvalidArgument, "phone must be 5-20 digits");
  if (hub_.registry().findAccount(phone)) return fail(Errc::Unsupported, "account exists");
  core::Random& random = hub_.random();
  CHORUS_TRY(identity, core::crypto::generateKeyPair(random));
  CHORUS_TRY(preKey, core::crypto::generateKeyPair(random));
  Bytes signedMessage{kDjbKeyType};
  core::append(signedMessage, preKey.publicKey);
  CHORUS_TRY(signature, core::crypto::xeddsaSign(identity.privateKey.view(), signedMessage, random));

  AccountRecord account;
  account.phone = phone;
  account.lid = randomDigits(random, kLidDigits);
  account.createdAt = hub_.nowSeconds();
  account.identityKey = identity.publicKey;
  account.identityPrivate = std::move(identity.privateKey);
  account.registrationId = (random.nextU32() & kRegistrationIdMask) | 1u;
  account.advRawId = random.nextU32() | 1u;
  account.signedPreKey = {kPhoneSignedPreKeyId, preKey.publicKey, std::move(signature)};
  account.signedPreKeyPrivate = std::move(preKey.privateKey);
  CHORUS_CHECK(hub_.registry().putAccount(std::move(account)));
  hub_.log().info("sim", "account " + core::maskPhone(phone) + " created");
  return hub_.registry().findAccount(phone);
}

std::uint32_t SimPairing::nextDeviceNumber(const std::string& phone) const {
  for (std::uint32_t n = 1; n < kMaxDevices; ++n) {
    const bool linking = std::any_of(linking_.begin(), linking_.end(), [&](const auto& entry) {
      return entry.second.phone == phone && entry.second.device == n;
    });
    if (!linking && !hub_.registry().findDevice(phone, n)) return n;
  }
  return 0;
}

core::Result<ScanOutcome> SimPairing::scan(std::string_view phoneView, std::string_view qr) {
  const std::string phone(phoneView);
  const AccountRecord* account = hub_.registry().findAccount(phone);
  if (!account) return fail(Errc::NotFound, "no such account");
  if (!account->hasPhone()) return fail(Errc::Unsupported, "the account has no phone keys");
  CHORUS_TRY(parts, parseQr(qr));
  SimConnection* connection = hub_.findRegistration(parts.ref);
  if (!connection || !connection->isOpen()) {
    return fail(Errc::NotFound, "no registration waits with that ref");
  }
  if (!connection->refIsLive(parts.ref)) return fail(Errc::Timeout, "that QR ref has expired");
  const PendingCompanion& companion = connection->companion();
  if (!core::constantTimeEqual(parts.noiseKey, companion.noiseKey) ||
      !core::constantTimeEqual(parts.identityKey, companion.identityKey)) {
    return fail(Errc::Auth, "the QR keys are not those of the waiting connection");
  }
  return link(*connection, *account, parts.advSecret);
}

core::Result<ScanOutcome> SimPairing::link(SimConnection& linked, const AccountRecord& accountRef,
                                           const Bytes& advSecret) {
  SimConnection* connection = &linked;
  const AccountRecord* account = &accountRef;
  const std::string phone = account->phone;
  if (linking_.count(connection->id()) > 0) {
    return fail(Errc::Unsupported, "that companion is being linked already");
  }
  const PendingCompanion& companion = connection->companion();
  const std::uint32_t device = nextDeviceNumber(phone);
  if (device == 0) return fail(Errc::Unsupported, "too many devices");
  CHORUS_TRY(keyIndex, hub_.registry().takeKeyIndex(phone));

  proto::ADVDeviceIdentity identity;
  identity.set_rawid(account->advRawId);
  identity.set_timestamp(static_cast<std::uint64_t>(hub_.nowSeconds()));
  identity.set_keyindex(keyIndex);
  const Bytes details = serialize(identity);
  const Bytes accountMessage = core::concat(
      {kAccountSignaturePrefix, details, companion.identityKey});
  CHORUS_TRY(accountSignature, core::crypto::xeddsaSign(account->identityPrivate.view(),
                                                        accountMessage, hub_.random()));
  proto::ADVSignedDeviceIdentity signedIdentity;
  signedIdentity.set_details(std::string(core::asString(details)));
  signedIdentity.set_accountsignaturekey(std::string(core::asString(account->identityKey)));
  signedIdentity.set_accountsignature(std::string(core::asString(accountSignature)));
  const Bytes signedBytes = serialize(signedIdentity);
  proto::ADVSignedDeviceIdentityHMAC container;
  container.set_details(std::string(core::asString(signedBytes)));
  container.set_hmac(std::string(core::asString(core::crypto::hmacSha256(advSecret,
                                                                         signedBytes))));

  const core::jid::Jid deviceJid = makeJid(phone, core::jid::kUserServer, device);
  Node deviceNode{"device", {}, {}};
  deviceNode.set("jid", deviceJid);
  ScanOutcome outcome{core::jid::format(deviceJid), {}, keyIndex};
  if (!account->lid.empty()) {
    const core::jid::Jid lid = makeJid(account->lid, core::jid::kLidServer, device);
    deviceNode.set("lid", lid);
    outcome.lidJid = core::jid::format(lid);
  }
  Node platform{"platform", {}, {}};
  platform.set("name", std::string(kPhonePlatform));
  Node success = stanza::parent(
      "pair-success",
      {stanza::leaf("device-identity", serialize(container)), std::move(deviceNode),
       std::move(platform)});
  Linking linking{connection->nextIqId(), phone, device, keyIndex, details, account->identityKey};
  Node iq{"iq", {}, Children{std::move(success)}};
  iq.set("from", stanza::serverJid())
      .set("type", std::string("set"))
      .set("id", linking.iqId)
      .set("xmlns", std::string("md"))
      .set("t", std::to_string(hub_.nowSeconds()));
  CHORUS_CHECK(connection->send(iq));
  connection->stopRefExpiry();
  linking_.emplace(connection->id(), std::move(linking));
  connection->logLine(LogLevel::Info, "pair-success sent: " + core::maskPhone(phone) + ":" +
                                          std::to_string(device));
  return outcome;
}

Status SimPairing::onDeviceSign(SimConnection& connection, const Node& iq) {
  const auto it = linking_.find(connection.id());
  if (it == linking_.end() || iq.attrText("id") != it->second.iqId) {
    return fail(Errc::Protocol, "pair-device-sign without a pair-success");
  }
  const Linking linking = it->second;
  linking_.erase(it);
  const Node* identityNode = iq.child("pair-device-sign")->child("device-identity");
  const Bytes* bytes = identityNode ? identityNode->bytes() : nullptr;
  proto::ADVSignedDeviceIdentity signedIdentity;
  if (!bytes || !signedIdentity.ParseFromString(std::string(core::asString(*bytes)))) {
    return fail(Errc::Protocol, "pair-device-sign without a parseable device-identity");
  }
  if (identityNode->attrText("key-index") != std::to_string(linking.keyIndex) ||
      core::toBytes(std::string_view(signedIdentity.details())) != linking.details) {
    return fail(Errc::Protocol, "pair-device-sign for other device details");
  }
  const PendingCompanion& companion = connection.companion();
  const Bytes deviceMessage = core::concat(
      {kDeviceSignaturePrefix, linking.details, companion.identityKey, linking.accountKey});
  if (!core::crypto::xeddsaVerify(companion.identityKey, deviceMessage,
                                  core::asBytes(signedIdentity.devicesignature()))) {
    return fail(Errc::Crypto, "the device signature does not verify");
  }
  DeviceRecord device;
  device.phone = linking.phone;
  device.device = linking.device;
  device.noiseKey = companion.noiseKey;
  device.identityKey = companion.identityKey;
  device.registrationId = companion.registrationId;
  device.createdAt = hub_.nowSeconds();
  device.keyIndex = linking.keyIndex;
  device.signedPreKey = {companion.signedPreKeyId, companion.signedPreKey,
                         companion.signedPreKeySignature};
  CHORUS_CHECK(hub_.registry().putDevice(std::move(device)));
  hub_.sessions().notifyDevices(linking.phone, "add", linking.device, linking.keyIndex);
  connection.endWith(stanza::streamError(515), "linked as " + core::maskPhone(linking.phone) +
                                                   ":" + std::to_string(linking.device) +
                                                   "; restart required");
  return core::ok();
}

void SimPairing::onClosed(SimConnection& connection) {
  linking_.erase(connection.id());
  codeLinks_.erase(connection.id());
}

}  // namespace chorus::sim
