// SimPhones, sending side: 1:1 and group texts, messages to the own companions, and resends
// after retry receipts (see sim_phone.h).
#include <algorithm>

#include "app/sim/sim_groups.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_phone.h"
#include "app/sim/sim_phone_internal.h"
#include "app/sim/sim_registry.h"
#include "core/crypto/hash.h"
#include "core/signal/group_cipher.h"
#include "core/signal/padding.h"
#include "core/signal/session_cipher.h"
#include "proto/message.pb.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::Status;
using core::binary::Children;
using core::binary::Node;
using core::signal::SignalAddress;
using phone_detail::keep;
using phone_detail::userJid;

constexpr std::size_t kMessageIdHashBytes = 9;
constexpr std::size_t kMaxTextBytes = 64 * 1024;
constexpr std::size_t kMaxRetryCountDigits = 3;

}  // namespace

std::string SimPhones::newMessageId() {
  return "3EB0" + core::toHex(hub_.random().bytes(kMessageIdHashBytes));
}

core::Result<std::string> SimPhones::sendText(const std::string& phone, const std::string& to,
                                              const std::string& text) {
  if (text.empty() || text.size() > kMaxTextBytes)
    return fail(Errc::InvalidArgument, "text must be 1 to 65536 bytes");
  CHORUS_TRY(entry, phoneOf(phone));
  std::string user = to;
  if (to.find('@') != std::string::npos) {
    auto jid = core::jid::parse(to);
    if (!jid) return fail(Errc::InvalidArgument, "malformed recipient JID");
    if (jid->server == core::jid::kGroupServer)
      return sendGroupText(*entry, phone, jid->toNonDevice(), text);
    if (jid->server != core::jid::kUserServer)
      return fail(Errc::InvalidArgument, "recipient is not a user or group");
    user = jid->user;
  }
  const AccountRecord* peer = hub_.registry().findAccount(user);
  if (!peer) return fail(Errc::NotFound, "no such recipient account");
  if (user == phone) return fail(Errc::InvalidArgument, "a phone does not text itself");
  proto::Message message;
  message.set_conversation(text);
  std::vector<Target> peers;
  if (peer->hasPhone()) peers.push_back({user, 0});
  for (const DeviceRecord* device : hub_.registry().devicesOf(user))
    peers.push_back({user, device->device});
  const std::string id = newMessageId();
  const std::size_t sent = sendTo(*entry, phone, peers, message.SerializeAsString(), id, {});
  if (sent == 0) return fail(Errc::NotFound, "no device of the recipient could be reached");

  proto::Message copy;
  auto* dsm = copy.mutable_devicesentmessage();
  const std::string chat = core::jid::format(userJid(user));
  dsm->set_destinationjid(chat);
  *dsm->mutable_message() = message;
  std::vector<Target> own;
  for (const DeviceRecord* device : hub_.registry().devicesOf(phone))
    own.push_back({phone, device->device});
  const std::string ownPlain = copy.SerializeAsString();
  (void)sendTo(*entry, phone, own, ownPlain, id, chat);
  keep(sent_[phone], SentMessage{id, message.SerializeAsString(), ownPlain, chat, {}});
  keep(inbox_[phone], PhoneInboxEntry{id, core::jid::format(userJid(phone)), chat, true, false,
                                      text, "text", hub_.nowSeconds()});
  return id;
}

// §10.2: the sender key's SKDM goes pairwise to each member device that has not had it (the
// phone remembers which, until a restart), the text as one skmsg to all.
core::Result<std::string> SimPhones::sendGroupText(Phone& from, const std::string& phone,
                                                   const core::jid::Jid& group,
                                                   const std::string& text) {
  CHORUS_TRY(record, hub_.groups().find(group.user));
  if (!record) return fail(Errc::NotFound, "no such group");
  if (!record->member(phone)) return fail(Errc::Auth, "the phone is not a member of the group");
  const std::string groupText = core::jid::format(group);
  const core::signal::SenderKeyName name{groupText, SignalAddress{phone, 0}};
  core::signal::GroupCipher cipher(*from.context);
  // The SKDM first: it describes the chain at the iteration the skmsg below will use.
  CHORUS_TRY(skdm, cipher.createDistributionMessage(name));
  proto::Message content;
  content.set_conversation(text);
  const core::Bytes padded =
      core::signal::padMessage(core::asBytes(content.SerializeAsString()), hub_.random());
  CHORUS_TRY(skmsg, cipher.encrypt(name, padded));
  proto::Message distribution;
  auto* key = distribution.mutable_senderkeydistributionmessage();
  key->set_groupid(groupText);
  key->set_axolotlsenderkeydistributionmessage(std::string(core::asString(skdm)));
  const std::string distributionPlain = distribution.SerializeAsString();
  // A resend after a retry carries both (whatsmeow's shape): the SKDM and the text.
  proto::Message whole = content;
  *whole.mutable_senderkeydistributionmessage() = *key;

  std::vector<Target> targets;
  for (const GroupMember& member : record->members) {
    const AccountRecord* account = hub_.registry().findAccount(member.phone);
    if (member.phone != phone && account && account->hasPhone())
      targets.push_back({member.phone, 0});
    for (const DeviceRecord* device : hub_.registry().devicesOf(member.phone)) {
      targets.push_back({member.phone, device->device});
    }
  }
  const std::string id = newMessageId();
  const std::string now = std::to_string(hub_.nowSeconds());
  auto& haveKey = skdmSent_[{phone, groupText}];
  std::size_t delivered = 0;
  for (const Target& target : targets) {
    const std::string address =
        SignalAddress{target.user, static_cast<std::int32_t>(target.device)}.toString();
    Children encs;
    const bool needsKey = haveKey.count(address) == 0;
    if (needsKey) {
      auto enc = pairwiseEnc(from, target, distributionPlain);
      if (!enc) {
        hub_.log().warn(
            "sim", "phone " + core::maskPhone(phone) + " could not send its sender key to device " +
                       std::to_string(target.device) + ": " + core::describe(enc.error()));
        continue;
      }
      encs.push_back(std::move(enc).value());
    }
    Node shared{"enc", {}, skmsg};
    shared.set("v", std::string("2")).set("type", std::string("skmsg"));
    encs.push_back(std::move(shared));
    Node out{"message", {}, std::move(encs)};
    out.set("from", group).set("participant", userJid(phone)).set("id", id).set("t", now);
    out.set("type", std::string("text"));
    if (const auto pushName = pushNames_.find(phone); pushName != pushNames_.end())
      out.set("notify", pushName->second);
    CHORUS_CHECK(hub_.deliver(target.user, target.device, out));
    if (needsKey) haveKey.insert(address);
    ++delivered;
  }
  if (delivered == 0 && !targets.empty())
    return fail(Errc::NotFound, "no member device could be reached");
  keep(sent_[phone],
       SentMessage{id, whole.SerializeAsString(), whole.SerializeAsString(), {}, groupText});
  keep(inbox_[phone], PhoneInboxEntry{id, core::jid::format(userJid(phone)), groupText, true, false,
                                      text, "text", hub_.nowSeconds()});
  return id;
}

core::Result<std::string> SimPhones::sendToCompanions(const std::string& phone,
                                                      const proto::Message& message) {
  CHORUS_TRY(entry, phoneOf(phone));
  std::vector<Target> own;
  for (const DeviceRecord* device : hub_.registry().devicesOf(phone))
    own.push_back({phone, device->device});
  if (own.empty()) return fail(Errc::NotFound, "the account has no linked companions");
  const std::string id = newMessageId();
  const std::string plain = message.SerializeAsString();
  if (sendTo(*entry, phone, own, plain, id, {}) == 0) {
    return fail(Errc::NotFound, "no companion could be reached");
  }
  keep(sent_[phone], SentMessage{id, {}, plain, {}, {}});
  return id;
}

Status SimPhones::onRetry(const std::string& phone, const Node& receipt) {
  const auto fromText = receipt.attrText("from");
  const auto id = receipt.attrText("id");
  auto from =
      fromText ? core::jid::parse(*fromText) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  std::optional<core::jid::Jid> group;
  if (from && from->server == core::jid::kGroupServer) {
    // A group retry (§9.6): from=<group> participant=<the requesting device>.
    group = from->toNonDevice();
    const auto participant = receipt.attrText("participant");
    from = participant ? core::jid::parse(*participant)
                       : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  }
  if (!from || !id || from->server != core::jid::kUserServer) {
    return fail(Errc::Protocol, "retry receipt without a device or id");
  }
  const Node* retry = receipt.child("retry");
  const auto count = retry ? retry->attrText("count") : std::nullopt;
  if (!count || count->empty() || count->size() > kMaxRetryCountDigits ||
      count->find_first_not_of("0123456789") != std::string::npos) {
    return fail(Errc::Protocol, "retry receipt without a count");
  }
  const auto& sent = sent_[phone];
  const auto it =
      std::find_if(sent.begin(), sent.end(), [&](const SentMessage& m) { return m.id == *id; });
  if (it == sent.end()) return fail(Errc::NotFound, "retry for a message the phone does not have");
  const bool own = from->user == phone;
  const std::string plain = own ? it->ownPlain : it->peerPlain;
  const std::string recipient = own ? it->ownRecipient : std::string();
  if (plain.empty()) return fail(Errc::NotFound, "retry from a device the message was not for");
  if (group.has_value() != !it->group.empty())
    return fail(Errc::Protocol, "retry for another chat");
  CHORUS_TRY(entry, phoneOf(phone));
  // Like Baileys (assertSessions with force): a new session from the device's current bundle.
  core::signal::SessionCipher cipher(*entry->context);
  CHORUS_CHECK(cipher.deleteSession(SignalAddress{from->user, from->device}));
  const Target target{from->user, from->device};
  if (group) {
    // whatsmeow's group resend: the SKDM and the text in one pairwise <enc count>.
    CHORUS_TRY(enc, pairwiseEnc(*entry, target, plain, *count));
    Node out{"message", {}, Children{std::move(enc)}};
    out.set("from", *group).set("participant", userJid(phone)).set("id", *id);
    out.set("t", std::to_string(hub_.nowSeconds())).set("type", std::string("text"));
    CHORUS_CHECK(hub_.deliver(target.user, target.device, out));
    skdmSent_[{phone, it->group}].insert(
        SignalAddress{target.user, static_cast<std::int32_t>(target.device)}.toString());
  } else {
    CHORUS_CHECK(sendOne(*entry, phone, target, plain, *id, recipient, *count));
  }
  hub_.log().info("sim",
                  "phone " + core::maskPhone(phone) + " re-sent a message (retry " + *count + ")");
  return core::ok();
}

std::size_t SimPhones::sendTo(Phone& from, const std::string& phone,
                              const std::vector<Target>& targets, const std::string& plain,
                              const std::string& id, const std::string& recipient) {
  std::size_t sent = 0;
  for (const Target& target : targets) {
    if (auto one = sendOne(from, phone, target, plain, id, recipient); !one) {
      hub_.log().warn("sim", "phone " + core::maskPhone(phone) + " could not encrypt for device " +
                                 std::to_string(target.device) + ": " +
                                 core::describe(one.error()));
      continue;
    }
    ++sent;
  }
  return sent;
}

core::Result<Node> SimPhones::pairwiseEnc(Phone& from, const Target& target,
                                          const std::string& plain, const std::string& count) {
  core::signal::SessionCipher cipher(*from.context);
  const SignalAddress address{target.user, static_cast<std::int32_t>(target.device)};
  CHORUS_TRY(has, cipher.hasSession(address));
  if (!has) {
    core::signal::PreKeyBundle bundle;
    bundle.deviceId = static_cast<std::int32_t>(target.device);
    if (target.device == 0) {
      const AccountRecord* account = hub_.registry().findAccount(target.user);
      if (!account || !account->hasPhone()) return fail(Errc::NotFound, "no phone keys");
      bundle.registrationId = account->registrationId;
      bundle.identityKey = account->identityKey;
      bundle.signedPreKeyId = account->signedPreKey.id;
      bundle.signedPreKey = account->signedPreKey.publicKey;
      bundle.signedPreKeySignature = account->signedPreKey.signature;
      CHORUS_TRY(oneTime, takePreKey(target.user));
      if (oneTime)
        bundle.preKey = core::signal::PreKeyBundle::OneTimePreKey{oneTime->id, oneTime->publicKey};
    } else {
      const DeviceRecord* device = hub_.registry().findDevice(target.user, target.device);
      if (!device || device->signedPreKey.publicKey.empty())
        return fail(Errc::NotFound, "no bundle");
      bundle.registrationId = device->registrationId;
      bundle.identityKey = device->identityKey;
      bundle.signedPreKeyId = device->signedPreKey.id;
      bundle.signedPreKey = device->signedPreKey.publicKey;
      bundle.signedPreKeySignature = device->signedPreKey.signature;
      CHORUS_TRY(oneTime, hub_.prekeys().take(target.user, target.device));
      if (oneTime)
        bundle.preKey = core::signal::PreKeyBundle::OneTimePreKey{oneTime->id, oneTime->publicKey};
    }
    CHORUS_CHECK(cipher.processBundle(address, bundle));
  }
  const core::Bytes padded = core::signal::padMessage(core::asBytes(plain), hub_.random());
  CHORUS_TRY(encrypted, cipher.encrypt(address, padded));
  Node enc{"enc", {}, std::move(encrypted.bytes)};
  enc.set("v", std::string("2"))
      .set("type", std::string(core::signal::messageTypeName(encrypted.type)));
  if (!count.empty()) enc.set("count", count);
  return enc;
}

Status SimPhones::sendOne(Phone& from, const std::string& phone, const Target& target,
                          const std::string& plain, const std::string& id,
                          const std::string& recipient, const std::string& count) {
  CHORUS_TRY(enc, pairwiseEnc(from, target, plain, count));
  Node out{"message", {}, Children{std::move(enc)}};
  out.set("from", userJid(phone)).set("id", id).set("t", std::to_string(hub_.nowSeconds()));
  out.set("type", std::string("text"));
  if (const auto name = pushNames_.find(phone); name != pushNames_.end())
    out.set("notify", name->second);
  if (!recipient.empty()) out.set("recipient", recipient);
  return hub_.deliver(target.user, target.device, out);
}

}  // namespace chorus::sim
