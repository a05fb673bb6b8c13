#include "app/sim/sim_relay.h"

#include <optional>
#include <string>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/protocol/jid/jid.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::LogLevel;
using core::Status;
using core::binary::Children;
using core::binary::Node;

constexpr std::size_t kMaxParticipants = 1024;
constexpr std::size_t kMaxIdLength = 128;
// Attributes of a client <message> copied to every delivered copy.
constexpr const char* kCopiedMessageAttrs[] = {"type", "category", "edit", "addressing_mode"};
constexpr const char* kCopiedReceiptAttrs[] = {"type", "recipient", "participant"};

core::Result<core::jid::Jid> userJid(const Node& node, std::string_view attr) {
  const auto text = node.attrText(attr);
  if (!text) return fail(Errc::Protocol, "<" + node.tag + "> without " + std::string(attr));
  auto jid = core::jid::parse(*text);
  if (!jid || jid->server != core::jid::kUserServer || jid->user.empty()) {
    return fail(Errc::Protocol, "<" + node.tag + "> " + std::string(attr) +
                                    " is not a phone-number user");
  }
  return jid;
}

// The node's `attr` when it names a group ("<id>@g.us"), else nullopt.
std::optional<core::jid::Jid> groupJid(const Node& node, std::string_view attr) {
  const auto text = node.attrText(attr);
  if (!text) return std::nullopt;
  auto jid = core::jid::parse(*text);
  if (!jid || jid->server != core::jid::kGroupServer || jid->user.empty()) return std::nullopt;
  return jid->toNonDevice();
}

core::Result<std::string> stanzaId(const Node& node) {
  const auto id = node.attrText("id");
  if (!id || id->empty() || id->size() > kMaxIdLength) {
    return fail(Errc::Protocol, "<" + node.tag + "> without a usable id");
  }
  return *id;
}

}  // namespace

core::Result<const Node*> SimRelay::directEnc(const Node& message) {
  const auto encs = stanza::childrenNamed(message, "enc");
  if (encs.size() != 1) return fail(Errc::Protocol, "<message> needs <participants> or one <enc>");
  const Node* enc = encs.front();
  const auto type = enc->attrText("type");
  if (!enc->bytes() || (type != "pkmsg" && type != "msg")) {
    return fail(Errc::Protocol, "a direct <enc> must be pkmsg or msg with bytes");
  }
  return enc;
}

Status SimRelay::onMessage(SimConnection& sender, const Node& message) {
  CHORUS_TRY(id, stanzaId(message));
  if (auto group = groupJid(message, "to")) return onGroupMessage(sender, message, id, *group);
  CHORUS_TRY(to, userJid(message, "to"));
  const Node* participants = message.child("participants");
  const Node* deviceIdentity = message.child("device-identity");
  const std::string now = std::to_string(hub_.nowSeconds());

  // (device jid, enc) pairs to deliver.
  std::vector<std::pair<core::jid::Jid, const Node*>> targets;
  if (participants) {
    const auto entries = stanza::childrenNamed(*participants, "to");
    if (entries.size() > kMaxParticipants) return fail(Errc::Protocol, "too many participants");
    for (const Node* entry : entries) {
      CHORUS_TRY(target, userJid(*entry, "jid"));
      const Node* enc = entry->child("enc");
      if (!enc || !enc->bytes()) return fail(Errc::Protocol, "<to> without <enc> bytes");
      targets.emplace_back(std::move(target), enc);
    }
  } else if (message.attrText("category") == "peer" && to.user == sender.phone()) {
    const Node* enc = message.child("enc");
    if (!enc || !enc->bytes()) return fail(Errc::Protocol, "peer message without <enc> bytes");
    for (const DeviceRecord* device : hub_.registry().devicesOf(sender.phone())) {
      if (device->device == sender.device()) continue;
      core::jid::Jid jid = sender.deviceJid();
      jid.device = static_cast<std::uint16_t>(device->device);
      targets.emplace_back(std::move(jid), enc);
    }
  } else {
    // A retry resend to one device: `to` is that device's JID ("<user>@…" = its phone).
    CHORUS_TRY(enc, directEnc(message));
    targets.emplace_back(to, enc);
  }

  std::size_t delivered = 0;
  for (const auto& [target, enc] : targets) {
    if (target.user == sender.phone() && target.device == sender.device()) continue;
    const bool known = target.device == 0 ? hub_.registry().findAccount(target.user) != nullptr
                                          : hub_.registry().findDevice(target.user,
                                                                       target.device) != nullptr;
    if (!known) {
      sender.logLine(LogLevel::Debug, "message for an unknown device skipped");
      continue;
    }
    Node out{"message", {}, {}};
    out.set("from", sender.deviceJid()).set("id", id).set("t", now);
    for (const char* attr : kCopiedMessageAttrs) {
      if (auto value = message.attr(attr)) out.set(attr, *value);
    }
    if (target.user == sender.phone()) {
      // A copy for the sender's own device: the chat is the message's destination.
      if (auto recipient = message.attr("recipient")) {
        out.set("recipient", *recipient);
      } else {
        out.set("recipient", to.toNonDevice());
      }
    }
    Children content{*enc};
    if (deviceIdentity) content.push_back(*deviceIdentity);
    out.content = std::move(content);
    CHORUS_CHECK(hub_.deliver(target.user, target.device, out));
    ++delivered;
  }
  sender.logLine(LogLevel::Debug, "message relayed to " + std::to_string(delivered) + " devices");

  Node ack{"ack", {}, {}};
  ack.set("class", std::string("message")).set("id", id).set("t", now);
  if (auto toAttr = message.attr("to")) ack.set("from", *toAttr);
  return sender.send(ack);
}

Status SimRelay::onReceipt(SimConnection& sender, const Node& receipt) {
  CHORUS_TRY(id, stanzaId(receipt));
  const auto group = groupJid(receipt, "to");
  CHORUS_TRY(to, group ? userJid(receipt, "participant") : userJid(receipt, "to"));
  const auto type = receipt.attrText("type");

  // A receipt for a message is also that device's ack of it (§9.8: whatsmeow sends no <ack>).
  CHORUS_TRY(dropped, hub_.queue().ack(sender.phone(), sender.device(), "message", id));
  (void)dropped;
  if (const Children* items = receipt.child("list") ? receipt.child("list")->children() : nullptr) {
    for (const Node& item : *items) {
      if (auto itemId = item.attrText("id")) {
        CHORUS_CHECK(hub_.queue().ack(sender.phone(), sender.device(), "message", *itemId));
      }
    }
  }

  Node out{"receipt", {}, {}};
  out.set("from", sender.deviceJid()).set("id", id).set("t", std::to_string(hub_.nowSeconds()));
  for (const char* attr : kCopiedReceiptAttrs) {
    if (auto value = receipt.attr(attr)) out.set(attr, *value);
  }
  if (group) {
    // Group receipts (§10.2 step 8): from=<group>, participant=<the receiving device>, to the
    // devices of the message's sender (named by the client's participant attribute).
    out.set("from", *group).set("participant", sender.deviceJid());
  }
  out.content = receipt.content;
  if (type == "retry") {
    // A retry request concerns the one device that sent the message (device 0: the phone).
    const bool known = to.device == 0 ? hub_.registry().findAccount(to.user) != nullptr
                                      : hub_.registry().findDevice(to.user, to.device) != nullptr;
    if (known) CHORUS_CHECK(hub_.deliver(to.user, to.device, out));
  } else {
    for (const DeviceRecord* device : hub_.registry().devicesOf(to.user)) {
      if (to.user == sender.phone() && device->device == sender.device()) continue;
      CHORUS_CHECK(hub_.deliver(to.user, device->device, out));
    }
    // The account's simulated phone sees them too (delivery and reading of its messages,
    // "hist_sync").
    if (hub_.registry().findAccount(to.user)) CHORUS_CHECK(hub_.deliver(to.user, 0, out));
  }

  sender.logLine(LogLevel::Debug, "receipt" + (type ? " type=" + *type : std::string()) +
                                      (group ? " in a group" : "") + " forwarded");
  Node ack{"ack", {}, {}};
  ack.set("class", std::string("receipt")).set("id", id);
  if (auto toAttr = receipt.attr("to")) ack.set("from", *toAttr);
  if (type) ack.set("type", *type);
  return sender.send(ack);
}

Status SimRelay::onAck(SimConnection& sender, const Node& ack) {
  CHORUS_TRY(id, stanzaId(ack));
  const auto stanzaClass = ack.attrText("class");
  if (!stanzaClass) return fail(Errc::Protocol, "<ack> without class");
  CHORUS_TRY(dropped, hub_.queue().ack(sender.phone(), sender.device(), *stanzaClass, id));
  if (dropped == 0) sender.logLine(LogLevel::Debug, "ack for nothing queued (" + *stanzaClass + ")");
  return core::ok();
}

}  // namespace chorus::sim
