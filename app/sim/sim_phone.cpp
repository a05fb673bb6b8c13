// SimPhones, receiving side: decryption (1:1 and groups), delivery, read and retry receipts,
// the inbox (see sim_phone.h). Sending is in sim_phone_send.cpp.
#include "app/sim/sim_phone.h"

#include <algorithm>
#include <iterator>

#include "app/sim/sim_hub.h"
#include "app/sim/sim_phone_internal.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
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

constexpr int kMaxRetryRequests = 5;  // whatsmeow stops asking at 5
constexpr std::size_t kRegistrationIdBytes = 4;

std::string textOf(const proto::Message& message) {
  if (message.has_conversation()) return message.conversation();
  if (message.has_extendedtextmessage()) return message.extendedtextmessage().text();
  return {};
}

core::Result<core::jid::Jid> jidAttr(const Node& node, std::string_view attr) {
  const auto text = node.attrText(attr);
  if (!text) return fail(Errc::Protocol, "<" + node.tag + "> without " + std::string(attr));
  return core::jid::parse(*text);
}

core::Result<proto::Message> parsePadded(core::BytesView padded) {
  CHORUS_TRY(plain, core::signal::unpadMessage(padded));
  proto::Message message;
  if (!message.ParseFromString(std::string(core::asString(plain)))) {
    return fail(Errc::Protocol, "undecodable Message");
  }
  return message;
}

// Content besides a sender key distribution (a pairwise <enc> in a group carries only that).
bool hasContent(proto::Message message) {
  message.clear_senderkeydistributionmessage();
  message.clear_messagecontextinfo();
  return message.ByteSizeLong() > 0;
}

}  // namespace

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
    // One entry per message id: the receipt's own and each <list><item id/> (read receipts
    // for several messages).
    const std::string from = node.attrText("from").value_or("");
    const std::string type = node.attrText("type").value_or("");
    keep(receipts_[phone], PhoneReceipt{node.attrText("id").value_or(""), from, type});
    if (const Node* list = node.child("list"); list && list->children()) {
      for (const Node& item : *list->children()) {
        if (auto id = item.attrText("id"); item.tag == "item" && id) {
          keep(receipts_[phone], PhoneReceipt{*id, from, type});
        }
      }
    }
    if (type != "retry") return;
    if (auto resent = onRetry(phone, node); !resent) {
      hub_.log().warn("sim", "phone " + core::maskPhone(phone) +
                                 " could not answer a retry: " + core::describe(resent.error()));
    }
    return;
  }
  if (node.tag != "message") return;  // notifications: nothing a phone must answer here
  if (auto handled = onMessage(phone, node); !handled) {
    hub_.log().warn("sim", "phone " + core::maskPhone(phone) +
                               " could not read a message: " + core::describe(handled.error()));
  }
}

Status SimPhones::onMessage(const std::string& phone, const Node& node) {
  const auto id = node.attrText("id");
  auto from = jidAttr(node, "from");
  if (!from || !id) return fail(Errc::Protocol, "message without from/id");
  std::optional<core::jid::Jid> group;
  core::jid::Jid sender = *from;
  if (from->server == core::jid::kGroupServer) {
    group = from->toNonDevice();
    CHORUS_TRY(participant, jidAttr(node, "participant"));
    sender = std::move(participant);
  }
  if (sender.server != core::jid::kUserServer) return core::ok();  // LID, broadcast: not simulated
  CHORUS_TRY(entry, phoneOf(phone));
  CHORUS_TRY(message, decrypt(*entry, phone, node, sender, group));
  const std::string senderText = core::jid::format(sender);
  if (!hasContent(message)) return core::ok();  // a sender key alone: nothing to show or answer

  const bool own = sender.user == phone;
  std::string chat = core::jid::format(group ? *group : userJid(sender.user));
  if (!group && own && message.has_devicesentmessage()) {
    chat = message.devicesentmessage().destinationjid();
    const proto::Message inner = message.devicesentmessage().message();
    message = inner;
  }
  PhoneInboxEntry item{*id,   senderText,      chat,    own,
                       false, textOf(message), "other", hub_.nowSeconds()};
  if (message.has_conversation() || message.has_extendedtextmessage()) item.kind = "text";
  if (message.has_protocolmessage()) item.kind = "protocol";
  hub_.log().info("sim", "phone " + core::maskPhone(phone) + " decrypted a " +
                             (group ? "group message" : "message") + " (" + item.kind + ")");

  // Delivery receipt to the sender's devices (§9.6; in a group §10.2 step 8, as the relay
  // forwards a companion's).
  Node receipt{"receipt", {}, {}};
  receipt.set("id", *id).set("t", std::to_string(hub_.nowSeconds()));
  if (group) {
    receipt.set("from", *group).set("participant", userJid(phone));
  } else {
    receipt.set("from", userJid(phone));
  }
  if (own) receipt.set("type", std::string("sender"));
  if (own && !group) receipt.set("recipient", chat);
  for (const DeviceRecord* device : hub_.registry().devicesOf(sender.user)) {
    CHORUS_CHECK(hub_.deliver(sender.user, device->device, receipt));
  }
  keep(inbox_[phone], item);
  if (listener_ && !own && !group && item.kind == "text") listener_(phone, item);
  return core::ok();
}

core::Result<proto::Message> SimPhones::decrypt(Phone& entry, const std::string& phone,
                                                const Node& node, const core::jid::Jid& sender,
                                                const std::optional<core::jid::Jid>& group) {
  const Node* pairwise = nullptr;
  const Node* skmsg = nullptr;
  for (const Node* enc : stanza::childrenNamed(node, "enc")) {
    const auto type = enc->attrText("type");
    if (!enc->bytes() || !type) continue;
    if (*type == "skmsg") {
      skmsg = enc;
    } else if (core::signal::parseMessageType(*type)) {
      pairwise = enc;
    }
  }
  if (!group) skmsg = nullptr;
  if (!pairwise && !skmsg) return fail(Errc::Unsupported, "no pkmsg/msg/skmsg <enc>");
  const SignalAddress address{sender.user, sender.device};
  const core::signal::SenderKeyName keyName{group ? core::jid::format(*group) : std::string(),
                                            address};
  proto::Message message;
  if (pairwise) {
    core::signal::SessionCipher cipher(*entry.context);
    const auto type = core::signal::parseMessageType(*pairwise->attrText("type"));
    auto decrypted = cipher.decrypt(address, *type, *pairwise->bytes());
    if (!decrypted) {
      requestRetry(phone, node, sender, group);
      return core::Unexpected<core::Error>(std::move(decrypted).error());
    }
    CHORUS_TRY(plain, parsePadded(*decrypted));
    message = std::move(plain);
    if (group && message.has_senderkeydistributionmessage()) {
      core::signal::GroupCipher groupCipher(*entry.context);
      const std::string& skdm =
          message.senderkeydistributionmessage().axolotlsenderkeydistributionmessage();
      CHORUS_CHECK(groupCipher.processDistributionMessage(keyName, core::asBytes(skdm)));
    }
  }
  if (skmsg) {
    core::signal::GroupCipher groupCipher(*entry.context);
    auto decrypted = groupCipher.decrypt(keyName, *skmsg->bytes());
    if (!decrypted) {
      requestRetry(phone, node, sender, group);
      return core::Unexpected<core::Error>(std::move(decrypted).error());
    }
    CHORUS_TRY(content, parsePadded(*decrypted));
    message = std::move(content);  // the pairwise part carried only the sender key
  }
  return message;
}

core::Result<std::vector<std::string>> SimPhones::markRead(const std::string& phone,
                                                           const std::string& chat) {
  if (!hub_.registry().findAccount(phone)) return fail(Errc::NotFound, "no such account");
  core::jid::Jid chatJid = userJid(chat);
  if (chat.find('@') != std::string::npos) {
    auto parsed = core::jid::parse(chat);
    if (!parsed) return fail(Errc::InvalidArgument, "malformed chat JID");
    chatJid = parsed->toNonDevice();
  } else if (chat.empty() || chat.find_first_not_of("0123456789") != std::string::npos) {
    return fail(Errc::InvalidArgument, "chat must be a number or a JID");
  }
  const bool group = chatJid.server == core::jid::kGroupServer;
  if (!group && chatJid.server != core::jid::kUserServer) {
    return fail(Errc::InvalidArgument, "chat must be a user or group JID");
  }
  const std::string chatText = core::jid::format(chatJid);

  // The unread messages per sender (the receipt goes to the sender's devices), oldest first.
  std::vector<std::pair<std::string, std::vector<std::string>>> bySender;
  std::vector<std::string> marked;
  for (PhoneInboxEntry& e : inbox_[phone]) {
    if (e.chat != chatText || e.fromMe || e.read || e.kind == "protocol") continue;
    auto sender = core::jid::parse(e.sender);
    if (!sender) continue;
    e.read = true;
    marked.push_back(e.id);
    auto it = std::find_if(bySender.begin(), bySender.end(),
                           [&](const auto& s) { return s.first == sender->user; });
    if (it == bySender.end()) it = bySender.insert(bySender.end(), {sender->user, {}});
    it->second.push_back(e.id);
  }
  const std::string now = std::to_string(hub_.nowSeconds());
  for (const auto& [user, ids] : bySender) {
    // Baileys' sendReceipt / whatsmeow's MarkRead: the first id in `id`, the rest in <list>.
    Node receipt{"receipt", {}, {}};
    receipt.set("id", ids.front()).set("type", std::string("read")).set("t", now);
    if (group) {
      receipt.set("from", chatJid).set("participant", userJid(phone));
    } else {
      receipt.set("from", userJid(phone));
    }
    if (ids.size() > 1) {
      Children items;
      for (auto it = std::next(ids.begin()); it != ids.end(); ++it) {
        Node item{"item", {}, {}};
        item.set("id", *it);
        items.push_back(std::move(item));
      }
      receipt.content = Children{stanza::parent("list", std::move(items))};
    }
    for (const DeviceRecord* device : hub_.registry().devicesOf(user)) {
      CHORUS_CHECK(hub_.deliver(user, device->device, receipt));
    }
    // The sender's phone sees it too (as the relay gives it a companion's 1:1 receipts).
    if (!group) CHORUS_CHECK(hub_.deliver(user, 0, receipt));
  }
  if (!marked.empty()) {
    hub_.log().info("sim", "phone " + core::maskPhone(phone) + " read " +
                               std::to_string(marked.size()) + " messages");
  }
  return marked;
}

void SimPhones::requestRetry(const std::string& phone, const Node& message,
                             const core::jid::Jid& sender,
                             const std::optional<core::jid::Jid>& group) {
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
  receipt.set("id", *id).set("type", std::string("retry")).set("t", now);
  if (group) {
    // As the relay forwards a companion's group retry: from=<group> participant=<requester>.
    receipt.set("from", *group).set("participant", userJid(phone));
  } else {
    receipt.set("from", userJid(phone));
  }
  if (auto recipient = message.attr("recipient")) receipt.set("recipient", *recipient);
  if (auto delivered = hub_.deliver(sender.user, sender.device, receipt); !delivered) {
    hub_.log().warn("sim", "phone " + core::maskPhone(phone) + " could not send a retry receipt: " +
                               core::describe(delivered.error()));
  }
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
