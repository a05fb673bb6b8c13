// What a number's connection looks like to people (architecture §3): the state, why it is in
// it, since when, and when the next retry happens. Plain std values so the UI can hold them;
// core/session computes them. Times are wall-clock milliseconds (the same type as
// chorus::core::TimePoint).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/api/connection_state.h"

namespace chorus::api {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

struct ConnectionStatus {
  ConnectionState state = ConnectionState::Disconnected;
  // The code that caused the state: a wire code (<failure reason>, <stream:error code>) or 0
  // when there was none (socket closed, keepalive timeout, user action). Informational.
  int reasonCode = 0;
  std::string reason;  // short English text for logs and the status line; never decided on
  TimePoint since{};   // when this state was entered
  std::optional<TimePoint> nextRetryAt;  // when the next connect attempt is due, if any
  std::optional<TimePoint> bannedUntil;  // temporary ban (failure 402 with expire)
  // When the connection was lost (or first failed); nullopt while ready or stopped. For the
  // "not recovered within 60 s" alert.
  std::optional<TimePoint> downSince;
  int attempt = 0;  // fast reconnect attempt number (1..n) while reconnecting, else 0

  [[nodiscard]] bool operator==(const ConnectionStatus&) const = default;
};

// Emitted by the session on every change of ConnectionStatus (a new state, a new attempt or a
// new retry time).
struct ConnectionStatusChanged {
  ConnectionState previous = ConnectionState::Disconnected;
  ConnectionStatus status;

  [[nodiscard]] bool operator==(const ConnectionStatusChanged&) const = default;
};

}  // namespace chorus::api
