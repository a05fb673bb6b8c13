// SimPresence: presence and chat state relay (§8.6). Live only: nothing here is queued or acked.
//   <presence type="available|unavailable" [name]>  → the user's state; every device that
//       subscribed to the user gets <presence from=<user> [type="unavailable" last=<t>]/>.
//       When the last connected device of an available user goes away, it becomes unavailable.
//   <presence type="subscribe" to=<user>>  → this device subscribes (for the life of its
//       connection) and gets the current state at once; type="unsubscribe" ends it.
//   <chatstate to=<user|group>><composing/>|<paused/></chatstate>  → the target user's devices
//       (or the group members' other devices) get <chatstate from=<sender user>> (groups:
//       from=<group> participant=<sender user>) with the same child.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "core/protocol/binary/node.h"
#include "core/util/result.h"

namespace chorus::sim {

class SimConnection;
class SimHub;

class SimPresence {
 public:
  explicit SimPresence(SimHub& hub) : hub_(hub) {}

  [[nodiscard]] core::Status onPresence(SimConnection& sender, const core::binary::Node& presence);
  [[nodiscard]] core::Status onChatState(SimConnection& sender, const core::binary::Node& state);
  // A device connection ended: its subscriptions end; its user may become unavailable.
  void onClosed(const SimConnection& connection);

 private:
  using DeviceKey = std::pair<std::string, std::uint32_t>;
  [[nodiscard]] core::binary::Node stateOf(const std::string& phone) const;
  void broadcast(const std::string& phone);
  // Sends to every live device of `phone` except `skip`.
  void sendToUser(const std::string& phone, const core::binary::Node& node, const DeviceKey& skip);

  SimHub& hub_;
  std::map<std::string, std::set<DeviceKey>> subscribers_;  // by the watched phone
  std::set<std::string> available_;
  std::map<std::string, std::int64_t> lastSeen_;
};

}  // namespace chorus::sim
