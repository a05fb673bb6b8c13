// Group message relay (§10.2, §15.5 step 1.2): see sim_relay.h.
#include <map>
#include <utility>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_groups.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_relay.h"
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
constexpr auto kErrorNotMember = "403";
constexpr auto kErrorNoGroup = "404";
constexpr const char* kCopiedAttrs[] = {"type", "category", "edit", "addressing_mode"};

using DeviceKey = std::pair<std::string, std::uint32_t>;

core::Result<DeviceKey> deviceOf(const Node& node, std::string_view attr) {
  const auto text = node.attrText(attr);
  auto jid = text ? core::jid::parse(*text) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  if (!jid || jid->server != core::jid::kUserServer || jid->user.empty()) {
    return fail(Errc::Protocol, "<" + node.tag + "> " + std::string(attr) + " is not a device");
  }
  return DeviceKey{jid->user, jid->device};
}

}  // namespace

Status SimRelay::onGroupMessage(SimConnection& sender, const Node& message, const std::string& id,
                                const core::jid::Jid& group) {
  const std::string now = std::to_string(hub_.nowSeconds());
  Node ack{"ack", {}, {}};
  ack.set("class", std::string("message")).set("id", id).set("t", now).set("from", group);

  CHORUS_TRY(record, hub_.groups().find(group.user));
  if (!record || !record->member(sender.phone())) {
    sender.logLine(LogLevel::Info, "group message refused: no such group or not a member");
    ack.set("error", std::string(record ? kErrorNotMember : kErrorNoGroup));
    return sender.send(ack);
  }

  // The pairwise <enc> (carrying the SKDM) per device, and the one shared skmsg.
  std::map<DeviceKey, const Node*> pairwise;
  if (const Node* participants = message.child("participants")) {
    const auto entries = stanza::childrenNamed(*participants, "to");
    if (entries.size() > kMaxParticipants) return fail(Errc::Protocol, "too many participants");
    for (const Node* entry : entries) {
      CHORUS_TRY(device, deviceOf(*entry, "jid"));
      const Node* enc = entry->child("enc");
      if (!enc || !enc->bytes()) return fail(Errc::Protocol, "<to> without <enc> bytes");
      pairwise[device] = enc;
    }
  }
  const Node* shared = nullptr;
  for (const Node* enc : stanza::childrenNamed(message, "enc")) {
    if (enc->attrText("type") == "skmsg" && enc->bytes()) shared = enc;
  }
  const Node* deviceIdentity = message.child("device-identity");

  std::vector<DeviceKey> targets;
  if (message.attr("participant")) {
    // A resend after a retry receipt: that one device only. Baileys puts its pairwise <enc> in
    // <participants> (plus an skmsg); whatsmeow sends the whole message (with the SKDM) as one
    // pkmsg/msg <enc count> directly in the <message>.
    CHORUS_TRY(device, deviceOf(message, "participant"));
    if (!pairwise.count(device) && !shared) {
      CHORUS_TRY(enc, directEnc(message));
      pairwise[device] = enc;
    }
    if (record->member(device.first)) targets.push_back(std::move(device));
  } else {
    for (const GroupMember& member : record->members) {
      // Device 0, the simulated phone, decrypts group messages too (SimPhones).
      const AccountRecord* account = hub_.registry().findAccount(member.phone);
      if (account && account->hasPhone()) targets.emplace_back(member.phone, 0);
      for (const DeviceRecord* device : hub_.registry().devicesOf(member.phone)) {
        targets.emplace_back(member.phone, device->device);
      }
    }
  }

  std::size_t delivered = 0;
  for (const DeviceKey& target : targets) {
    if (target.first == sender.phone() && target.second == sender.device()) continue;
    const auto own = pairwise.find(target);
    if (own == pairwise.end() && !shared) continue;
    Node out{"message", {}, {}};
    out.set("from", group).set("participant", sender.deviceJid()).set("id", id).set("t", now);
    for (const char* attr : kCopiedAttrs) {
      if (auto value = message.attr(attr)) out.set(attr, *value);
    }
    Children content;
    if (own != pairwise.end()) {
      content.push_back(*own->second);
      if (deviceIdentity) content.push_back(*deviceIdentity);
    }
    if (shared) content.push_back(*shared);
    out.content = std::move(content);
    CHORUS_CHECK(hub_.deliver(target.first, target.second, out));
    ++delivered;
  }
  sender.logLine(LogLevel::Debug,
                 "group message relayed to " + std::to_string(delivered) + " devices");
  return sender.send(ack);
}

}  // namespace chorus::sim
