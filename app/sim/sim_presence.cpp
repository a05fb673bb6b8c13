#include "app/sim/sim_presence.h"

#include "app/sim/sim_connection.h"
#include "app/sim/sim_groups.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_registry.h"
#include "core/protocol/jid/jid.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::LogLevel;
using core::Status;
using core::binary::Children;
using core::binary::Node;

constexpr std::size_t kMaxSubscriptionsPerUser = 4096;

core::jid::Jid userJid(const std::string& phone) {
  core::jid::Jid jid;
  jid.user = phone;
  jid.server = std::string(core::jid::kUserServer);
  return jid;
}

core::Result<core::jid::Jid> target(const Node& node) {
  const auto text = node.attrText("to");
  if (!text) return fail(Errc::Protocol, "<" + node.tag + "> without to");
  auto jid = core::jid::parse(*text);
  if (!jid || jid->user.empty()) return fail(Errc::Protocol, "<" + node.tag + "> to is not a jid");
  return jid;
}

}  // namespace

Node SimPresence::stateOf(const std::string& phone) const {
  Node out{"presence", {}, {}};
  out.set("from", userJid(phone));
  if (!available_.contains(phone)) {
    out.set("type", std::string("unavailable"));
    const auto last = lastSeen_.find(phone);
    out.set("last", last == lastSeen_.end() ? std::string("deny") : std::to_string(last->second));
  }
  return out;
}

void SimPresence::broadcast(const std::string& phone) {
  const auto it = subscribers_.find(phone);
  if (it == subscribers_.end()) return;
  const Node state = stateOf(phone);
  for (const auto& [subscriber, device] : it->second) {
    if (SimConnection* live = hub_.findDevice(subscriber, device)) (void)live->send(state);
  }
}

void SimPresence::sendToUser(const std::string& phone, const Node& node, const DeviceKey& skip) {
  for (const DeviceRecord* device : hub_.registry().devicesOf(phone)) {
    if (phone == skip.first && device->device == skip.second) continue;
    if (SimConnection* live = hub_.findDevice(phone, device->device)) (void)live->send(node);
  }
}

Status SimPresence::onPresence(SimConnection& sender, const Node& presence) {
  const std::string type = presence.attrText("type").value_or("available");
  const DeviceKey me{sender.phone(), sender.device()};
  if (type == "subscribe" || type == "unsubscribe") {
    CHORUS_TRY(to, target(presence));
    if (to.server != core::jid::kUserServer) return core::ok();  // LIDs are not simulated
    auto& watchers = subscribers_[to.user];
    if (type == "unsubscribe") {
      watchers.erase(me);
      return core::ok();
    }
    if (watchers.size() >= kMaxSubscriptionsPerUser) return fail(Errc::TooLarge, "subscriptions");
    watchers.insert(me);
    return sender.send(stateOf(to.user));
  }
  if (type != "available" && type != "unavailable") {
    sender.logLine(LogLevel::Debug, "ignoring presence type " + type);
    return core::ok();
  }
  const bool wasAvailable = available_.contains(sender.phone());
  if (type == "available") {
    available_.insert(sender.phone());
  } else {
    available_.erase(sender.phone());
    lastSeen_[sender.phone()] = hub_.nowSeconds();
  }
  if (wasAvailable != available_.contains(sender.phone())) broadcast(sender.phone());
  return core::ok();
}

Status SimPresence::onChatState(SimConnection& sender, const Node& state) {
  CHORUS_TRY(to, target(state));
  const Children* children = state.children();
  if (!children || children->size() != 1 ||
      ((*children)[0].tag != "composing" && (*children)[0].tag != "paused")) {
    return fail(Errc::Protocol, "<chatstate> without one <composing/> or <paused/>");
  }
  const DeviceKey me{sender.phone(), sender.device()};
  Node out{"chatstate", {}, *children};
  if (to.server == core::jid::kGroupServer) {
    CHORUS_TRY(group, hub_.groups().find(to.user));
    if (!group || !group->member(sender.phone())) return core::ok();
    out.set("from", to.toNonDevice()).set("participant", userJid(sender.phone()));
    for (const GroupMember& m : group->members) sendToUser(m.phone, out, me);
    return core::ok();
  }
  if (to.server != core::jid::kUserServer) return core::ok();
  out.set("from", userJid(sender.phone()));
  sendToUser(to.user, out, me);
  return core::ok();
}

void SimPresence::onClosed(const SimConnection& connection) {
  if (connection.kind() != SimConnection::Kind::Device) return;
  const DeviceKey me{connection.phone(), connection.device()};
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    it->second.erase(me);
    it = it->second.empty() ? subscribers_.erase(it) : std::next(it);
  }
  if (!available_.contains(connection.phone())) return;
  for (const DeviceRecord* device : hub_.registry().devicesOf(connection.phone())) {
    SimConnection* live = hub_.findDevice(connection.phone(), device->device);
    if (live && live != &connection) return;  // another device keeps the user online
  }
  available_.erase(connection.phone());
  lastSeen_[connection.phone()] = hub_.nowSeconds();
  broadcast(connection.phone());
}

}  // namespace chorus::sim
