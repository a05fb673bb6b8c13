// SimSessions: the simulator's session controls (protocol notes §4.7, §13, §15.8), used by the
// control API, the login path and the md iqs:
//
//   unlink         delete a device; its live connection gets <stream:error code="401"><conflict
//                  type="device_removed"/></stream:error>; later logins get <failure reason="401"/>
//   take over      <stream:error><conflict type="replaced"/></stream:error> to the live connection
//   bans           402 (code, expire seconds), 403, 406 per account, kept in sim.db until lifted
//                  or expired; checked at login and sent to live connections as <failure …/>
//   outdated       logins whose app version is below min_version get <failure reason="405"/>
//   devices        <notification type="devices"><add|remove><device jid key-index/>
//                  <key-index-list/></…></notification> to the account's other devices
//   config         QR ref durations (first, next) and min_version
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/protocol/binary/node.h"
#include "core/util/result.h"

namespace chorus::proto {
class ClientPayload;
}

namespace chorus::sim {

class SimHub;

struct SimBan {
  std::string phone;
  int reason = 0;              // 402, 403 or 406
  int code = 0;                // 402 only: 101…106
  std::int64_t expiresAt = 0;  // Unix seconds; 0 = until lifted
};

struct SimConfig {
  std::chrono::milliseconds qrFirst{60'000};  // §6.2: the first QR lives 60 s,
  std::chrono::milliseconds qrNext{20'000};   // each later one 20 s
  std::string minVersion;                     // "2.3000.1019707846"; empty = any version
};

class SimSessions {
 public:
  explicit SimSessions(SimHub& hub);

  // Creates the bans table in sim.db when missing. Errc::Storage.
  [[nodiscard]] core::Status open();

  [[nodiscard]] const SimConfig& config() const noexcept { return config_; }
  // Errc::InvalidArgument for durations outside 100 ms … 10 min or a malformed version.
  [[nodiscard]] core::Status setConfig(SimConfig config);

  // Errc::NotFound when the device is not linked.
  [[nodiscard]] core::Status unlink(std::string_view phone, std::uint32_t device);
  // Errc::NotFound when the device is not connected.
  [[nodiscard]] core::Status takeOver(std::string_view phone, std::uint32_t device);

  // Errc::InvalidArgument for another reason than 402/403/406 or a 402 without code/expiry;
  // Errc::NotFound for an unknown account. Live connections of the account end at once.
  [[nodiscard]] core::Status ban(SimBan ban);
  [[nodiscard]] core::Status lift(std::string_view phone);  // Errc::NotFound when not banned
  // The account's ban in force (an expired one is removed and nullopt returned).
  [[nodiscard]] std::optional<SimBan> banOf(std::string_view phone);

  // The <failure …/> that refuses this login, if any (405 outdated, then bans).
  [[nodiscard]] std::optional<core::binary::Node> loginRefusal(std::string_view phone,
                                                               const proto::ClientPayload& payload);

  // Queues a devices notification ("add" or "remove" of `device`) for the account's other
  // companions (§13); failures are logged, never fatal.
  void notifyDevices(std::string_view phone, std::string_view action, std::uint32_t device,
                     std::uint32_t keyIndex);

 private:
  [[nodiscard]] core::binary::Node failureFor(const SimBan& ban) const;

  SimHub& hub_;
  SimConfig config_;
};

}  // namespace chorus::sim
