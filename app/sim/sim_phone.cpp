#include "app/sim/sim_phone.h"

#include <algorithm>
#include <iterator>

#include "app/sim/sim_hub.h"
#include "app/sim/sim_phone_store.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/crypto/hash.h"
#include "core/protocol/jid/jid.h"
#include "core/signal/padding.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "proto/message.pb.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::Status;
using core::binary::Children;
using core::binary::Node;
using core::signal::SignalAddress;

constexpr std::size_t kMaxKept = 200;  // inbox entries and receipts kept per phone
constexpr std::size_t kMessageIdHashBytes = 9;
constexpr std::size_t kMaxTextBytes = 64 * 1024;
constexpr int kMaxRetryRequests = 5;  // whatsmeow stops asking at 5
constexpr std::size_t kRegistrationIdBytes = 4;
constexpr std::size_t kMaxRetryCountDigits = 3;

core::jid::Jid userJid(const std::string& user) {
  core::jid::Jid jid;
  jid.user = user;
  jid.server = std::string(core::jid::kUserServer);
  return jid;
}

template <typename T>
void keep(std::deque<T>& list, T entry) {
  list.push_back(std::move(entry));
  while (list.size() > kMaxKept) list.pop_front();
}

std::string textOf(const proto::Message& message) {
  if (message.has_conversation()) return message.conversation();
  if (message.has_extendedtextmessage()) return message.extendedtextmessage().text();
  return {};
}

}  // namespace

struct SimPhones::Phone {
  std::unique_ptr<SimPhoneStore> store;
  std::unique_ptr<core::signal::SignalContext> context;
};

SimPhones::SimPhones(SimHub& hub) : hub_(hub) {}
SimPhones::~SimPhones() = default;

core::Result<SimPhones::Phone*> SimPhones::phoneOf(const std::string& phone) {
  if (const auto it = phones_.find(phone); it != phones_.end()) return it->second.get();
  const AccountRecord* account = hub_.registry().findAccount(phone);
  if (!account) return fail(Errc::NotFound, "no such account");
  if (!account->hasPhone()) return fail(Errc::Unsupported, "the account has no phone keys");
  auto entry = std::make_unique<Phone>();
  entry->store = std::make_unique<SimPhoneStore>(hub_.registry(), phone);
  CHORUS_TRY(context, core::signal::SignalContext::create(*entry->store, hub_.random()));
  entry->context = std::make_unique<core::signal::SignalContext>(std::move(context));
  Phone* out = entry.get();
  phones_.emplace(phone, std::move(entry));
  return out;
}

core::Result<std::optional<OneTimePreKey>> SimPhones::takePreKey(const std::string& phone) {
  CHORUS_TRY(entry, phoneOf(phone));
  return entry->store->takePreKey(hub_.random());
}

void SimPhones::onStanza(const std::string& phone, const Node& node) {
  if (node.tag == "receipt") {
    keep(receipts_[phone], PhoneReceipt{node.attrText("id").value_or(""),
                                        node.attrText("from").value_or(""),
                                        node.attrText("type").value_or("")});
    if (node.attrText("type") != "retry") return;
    if (auto resent = onRetry(phone, node); !resent) {
      hub_.log().warn("sim", "phone " + core::maskPhone(phone) +
                                 " could not answer a retry: " + core::describe(resent.error()));
    }
    return;
  }
  if (node.tag != "message") return;  // notifications: nothing a phone must answer here
  if (auto handled = onMessage(phone, node); !handled) {
    hub_.log().warn("sim", "phone " + core::maskPhone(phone) + " could not read a message: " +
                               core::describe(handled.error()));
  }
}

Status SimPhones::onMessage(const std::string& phone, const Node& node) {
  const auto fromText = node.attrText("from");
  const auto id = node.attrText("id");
  auto from = fromText ? core::jid::parse(*fromText) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  if (!from || !id) return fail(Errc::Protocol, "message without from/id");
  if (from->server != core::jid::kUserServer) return core::ok();  // groups: skmsg later
  const Node* enc = node.child("enc");
  const auto encType = enc ? enc->attrText("type") : std::nullopt;
  const auto type = encType ? core::signal::parseMessageType(*encType) : std::nullopt;
  if (!type || !enc->bytes()) return fail(Errc::Unsupported, "no pkmsg/msg <enc>");
  CHORUS_TRY(entry, phoneOf(phone));
  core::signal::SessionCipher cipher(*entry->context);
  const SignalAddress sender{from->user, from->device};
  auto decrypted = cipher.decrypt(sender, *type, *enc->bytes());
  if (!decrypted) {
    requestRetry(phone, node, from->user, from->device);
    return core::Unexpected<core::Error>(std::move(decrypted).error());
  }
  const core::Bytes padded = std::move(decrypted).value();
  CHORUS_TRY(plain, core::signal::unpadMessage(padded));
  proto::Message message;
  if (!message.ParseFromString(std::string(core::asString(plain)))) {
    return fail(Errc::Protocol, "undecodable Message");
  }
  const bool own = from->user == phone;
  std::string chat = core::jid::format(userJid(from->user));
  if (own && message.has_devicesentmessage()) {
    chat = message.devicesentmessage().destinationjid();
    const proto::Message inner = message.devicesentmessage().message();
    message = inner;
  }
  PhoneInboxEntry item{*id, *fromText, chat, own, textOf(message), "other",
                       hub_.nowSeconds()};
  if (message.has_conversation() || message.has_extendedtextmessage()) item.kind = "text";
  if (message.has_protocolmessage()) item.kind = "protocol";
  hub_.log().info("sim", "phone " + core::maskPhone(phone) + " decrypted a " + *encType +
                             " (" + item.kind + ")");

  // Delivery receipt to the sender's companions (§9.6).
  Node receipt{"receipt", {}, {}};
  receipt.set("from", userJid(phone)).set("id", *id).set("t", std::to_string(hub_.nowSeconds()));
  if (own) receipt.set("type", std::string("sender")).set("recipient", chat);
  for (const DeviceRecord* device : hub_.registry().devicesOf(from->user)) {
    CHORUS_CHECK(hub_.deliver(from->user, device->device, receipt));
  }
  keep(inbox_[phone], item);
  if (listener_ && !own && item.kind == "text") listener_(phone, item);
  return core::ok();
}

Status SimPhones::onRetry(const std::string& phone, const Node& receipt) {
  const auto fromText = receipt.attrText("from");
  const auto id = receipt.attrText("id");
  auto from =
      fromText ? core::jid::parse(*fromText) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
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
  CHORUS_TRY(entry, phoneOf(phone));
  // Like Baileys (assertSessions with force): a new session from the device's current bundle.
  core::signal::SessionCipher cipher(*entry->context);
  CHORUS_CHECK(cipher.deleteSession(SignalAddress{from->user, from->device}));
  CHORUS_CHECK(
      sendOne(*entry, phone, Target{from->user, from->device}, plain, *id, recipient, *count));
  hub_.log().info("sim",
                  "phone " + core::maskPhone(phone) + " re-sent a message (retry " + *count + ")");
  return core::ok();
}

void SimPhones::requestRetry(const std::string& phone, const Node& message, const std::string& user,
                             std::uint32_t device) {
  const AccountRecord* account = hub_.registry().findAccount(phone);
  const auto id = message.attrText("id");
  if (!account || !id) return;
  auto& asked = retriesAsked_[phone];
  auto it = std::find_if(asked.begin(), asked.end(),
                         [&](const auto& entry) { return entry.first == *id; });
  if (it == asked.end()) {
    keep(asked, std::make_pair(*id, 0));
    it = std::prev(asked.end());
  }
  if (it->second >= kMaxRetryRequests) return;
  ++it->second;
  const std::string now = std::to_string(hub_.nowSeconds());
  Node retry{"retry", {}, {}};
  retry.set("count", std::to_string(it->second)).set("id", *id);
  retry.set("t", message.attrText("t").value_or(now)).set("v", std::string("1"));
  Node receipt{"receipt",
               {},
               Children{std::move(retry),
                        stanza::leaf("registration", stanza::beBytes(account->registrationId,
                                                                     kRegistrationIdBytes))}};
  receipt.set("from", userJid(phone))
      .set("id", *id)
      .set("type", std::string("retry"))
      .set("t", now);
  if (auto recipient = message.attr("recipient")) receipt.set("recipient", *recipient);
  if (auto delivered = hub_.deliver(user, device, receipt); !delivered) {
    hub_.log().warn("sim", "phone " + core::maskPhone(phone) + " could not send a retry receipt: " +
                               core::describe(delivered.error()));
  }
}

std::string SimPhones::newMessageId() {
  return "3EB0" + core::toHex(hub_.random().bytes(kMessageIdHashBytes));
}

core::Result<std::string> SimPhones::sendText(const std::string& phone, const std::string& to,
                                              const std::string& text) {
  if (text.empty() || text.size() > kMaxTextBytes) return fail(Errc::InvalidArgument, "text must be 1 to 65536 bytes");
  CHORUS_TRY(entry, phoneOf(phone));
  const AccountRecord* peer = hub_.registry().findAccount(to);
  if (!peer) return fail(Errc::NotFound, "no such recipient account");
  if (to == phone) return fail(Errc::InvalidArgument, "a phone does not text itself");
  proto::Message message;
  message.set_conversation(text);
  std::vector<Target> peers;
  if (peer->hasPhone()) peers.push_back({to, 0});
  for (const DeviceRecord* device : hub_.registry().devicesOf(to)) peers.push_back({to, device->device});
  const std::string id = newMessageId();
  const std::size_t sent = sendTo(*entry, phone, peers, message.SerializeAsString(), id, {});
  if (sent == 0) return fail(Errc::NotFound, "no device of the recipient could be reached");

  proto::Message copy;
  auto* dsm = copy.mutable_devicesentmessage();
  const std::string chat = core::jid::format(userJid(to));
  dsm->set_destinationjid(chat);
  *dsm->mutable_message() = message;
  std::vector<Target> own;
  for (const DeviceRecord* device : hub_.registry().devicesOf(phone)) own.push_back({phone, device->device});
  const std::string ownPlain = copy.SerializeAsString();
  (void)sendTo(*entry, phone, own, ownPlain, id, chat);
  keep(sent_[phone], SentMessage{id, message.SerializeAsString(), ownPlain, chat});
  keep(inbox_[phone], PhoneInboxEntry{id, core::jid::format(userJid(phone)), chat, true, text,
                                      "text", hub_.nowSeconds()});
  return id;
}

core::Result<std::string> SimPhones::sendToCompanions(const std::string& phone,
                                                      const proto::Message& message) {
  CHORUS_TRY(entry, phoneOf(phone));
  std::vector<Target> own;
  for (const DeviceRecord* device : hub_.registry().devicesOf(phone)) own.push_back({phone, device->device});
  if (own.empty()) return fail(Errc::NotFound, "the account has no linked companions");
  const std::string id = newMessageId();
  const std::string plain = message.SerializeAsString();
  if (sendTo(*entry, phone, own, plain, id, {}) == 0) {
    return fail(Errc::NotFound, "no companion could be reached");
  }
  keep(sent_[phone], SentMessage{id, {}, plain, {}});
  return id;
}

std::size_t SimPhones::sendTo(Phone& from, const std::string& phone,
                              const std::vector<Target>& targets, const std::string& plain,
                              const std::string& id, const std::string& recipient) {
  std::size_t sent = 0;
  for (const Target& target : targets) {
    if (auto one = sendOne(from, phone, target, plain, id, recipient); !one) {
      hub_.log().warn("sim", "phone " + core::maskPhone(phone) + " could not encrypt for device " +
                                 std::to_string(target.device) + ": " + core::describe(one.error()));
      continue;
    }
    ++sent;
  }
  return sent;
}

Status SimPhones::sendOne(Phone& from, const std::string& phone, const Target& target,
                          const std::string& plain, const std::string& id,
                          const std::string& recipient, const std::string& count) {
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
      if (oneTime) bundle.preKey = core::signal::PreKeyBundle::OneTimePreKey{oneTime->id, oneTime->publicKey};
    } else {
      const DeviceRecord* device = hub_.registry().findDevice(target.user, target.device);
      if (!device || device->signedPreKey.publicKey.empty()) return fail(Errc::NotFound, "no bundle");
      bundle.registrationId = device->registrationId;
      bundle.identityKey = device->identityKey;
      bundle.signedPreKeyId = device->signedPreKey.id;
      bundle.signedPreKey = device->signedPreKey.publicKey;
      bundle.signedPreKeySignature = device->signedPreKey.signature;
      CHORUS_TRY(oneTime, hub_.prekeys().take(target.user, target.device));
      if (oneTime) bundle.preKey = core::signal::PreKeyBundle::OneTimePreKey{oneTime->id, oneTime->publicKey};
    }
    CHORUS_CHECK(cipher.processBundle(address, bundle));
  }
  const core::Bytes padded = core::signal::padMessage(core::asBytes(plain), hub_.random());
  CHORUS_TRY(encrypted, cipher.encrypt(address, padded));

  Node enc{"enc", {}, std::move(encrypted.bytes)};
  enc.set("v", std::string("2")).set("type", std::string(core::signal::messageTypeName(encrypted.type)));
  if (!count.empty()) enc.set("count", count);
  Node out{"message", {}, Children{std::move(enc)}};
  out.set("from", userJid(phone)).set("id", id).set("t", std::to_string(hub_.nowSeconds()));
  out.set("type", std::string("text"));
  if (const auto name = pushNames_.find(phone); name != pushNames_.end()) out.set("notify", name->second);
  if (!recipient.empty()) out.set("recipient", recipient);
  return hub_.deliver(target.user, target.device, out);
}

std::vector<PhoneInboxEntry> SimPhones::inbox(const std::string& phone) const {
  const auto it = inbox_.find(phone);
  if (it == inbox_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<PhoneReceipt> SimPhones::receipts(const std::string& phone) const {
  const auto it = receipts_.find(phone);
  if (it == receipts_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

}  // namespace chorus::sim
