// Why a connection ended, as a typed value (protocol §4.7 and §13). The classifier turns the
// server's last word (<failure>, <stream:error>, <xmlstreamend/>) or a transport event into a
// DisconnectReason; ReconnectPolicy decides what to do with it. Wire input is hostile: odd or
// missing attributes give a transient reason with a detail, never an error or a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/api/connection_state.h"
#include "core/protocol/binary/node.h"
#include "core/util/clock.h"

namespace chorus::core::session {

// Where the reason came from.
enum class DisconnectSource : std::uint8_t {
  LoginFailure,      // <failure reason=…> instead of <success>
  StreamError,       // <stream:error …>
  StreamEnd,         // <xmlstreamend/>: the server's orderly close
  TransportClosed,   // the socket closed or failed under us
  KeepaliveTimeout,  // no frame arrived before the keepalive deadline
};

struct DisconnectReason {
  // Transient reasons carry Reconnecting (any non-terminal state counts as transient); the
  // others are the terminal states of §3 (LoggedOut, Replaced, Banned, Outdated).
  api::ConnectionState state = api::ConnectionState::Reconnecting;
  DisconnectSource source = DisconnectSource::TransportClosed;
  int code = 0;                // the wire code (failure reason / stream:error code); 0 when absent
  std::string detail;          // short English text for logs and the status line
  std::optional<int> banCode;  // failure 402 `code` (101..106)
  std::optional<TimePoint> banExpiry;  // failure 402: now + `expire` seconds
  bool restartRequired = false;        // stream:error 515
  bool retryImmediately = false;       // reconnect at once, no backoff
  bool credentialsRevoked = false;     // the device is gone: delete credentials (401/403/406)

  [[nodiscard]] bool isTransient() const noexcept { return !api::needsAction(state); }
  [[nodiscard]] bool operator==(const DisconnectReason&) const = default;
};

// Longest ban expiry accepted from the wire (anything longer is clamped to it).
inline constexpr std::int64_t kMaxBanExpireSeconds = 10LL * 365 * 24 * 3600;

// The reason carried by a server node, or nullopt when the node does not end the connection
// (anything but <failure>, <stream:error> and <xmlstreamend/>).
[[nodiscard]] std::optional<DisconnectReason> classifyNode(const binary::Node& node, TimePoint now);

// Transport events.
[[nodiscard]] DisconnectReason transportClosed(std::string_view detail = {});
[[nodiscard]] DisconnectReason keepaliveTimeout();

}  // namespace chorus::core::session
