// The reconnect policy of one number (architecture §3), sans-I/O: inputs carry `now`, outputs
// are the status (state, reason, since, next retry), `shouldConnect(now)` and `nextDeadline()`.
//
//  * 515 (restart required) → connect again at once (at most kMaxImmediateRestarts in a row
//    without a login in between; after that 515 counts as a transient drop).
//  * Transient drops → fast attempts after base·2^(n-1) (5, 10, 20, 40, 80 s), each ±jitter;
//    then Disconnected with slow retries every slowInterval (±jitter).
//  * Network-up / resume → one immediate attempt and a fresh fast sequence.
//  * Terminal states (logged out, replaced, outdated, banned without expiry) never retry by
//    themselves. A ban with an expiry retries once, at the expiry, never before.
//  * One connect at a time: while a connection is live (connecting or ready) nothing is due.
//  * A successful login resets the sequence.
//  * The user can stop (Disconnected, no retries) and start again (immediate attempt).
//
// Disconnects are counted once per connection: after onDisconnected, further drops of the
// same connection (a socket close after a <stream:error>) are ignored, so the first, most
// specific reason wins.
#pragma once

#include <optional>
#include <vector>

#include "core/api/connection_status.h"
#include "core/session/disconnect_classifier.h"
#include "core/util/clock.h"
#include "core/util/random.h"

namespace chorus::core::session {

struct ReconnectOptions {
  Millis baseDelay{5'000};       // first fast retry; doubles each attempt
  int maxFastAttempts = 5;       // 5, 10, 20, 40, 80 s
  Millis slowInterval{300'000};  // then every 5 min
  double jitter = 0.2;           // each delay is multiplied by a uniform factor in [1-j, 1+j)
};

inline constexpr int kMaxImmediateRestarts = 3;

class ReconnectPolicy {
 public:
  // Starts stopped in `initial` (Disconnected unless the session knows better): nothing is
  // due until onUserConnect.
  explicit ReconnectPolicy(Random& random, ReconnectOptions options = {},
                           api::ConnectionState initial = api::ConnectionState::Disconnected,
                           TimePoint now = {});

  // Inputs.
  // Start or "reconnect now": an immediate attempt and a fresh sequence. Refused (false)
  // during a ban that has not expired. Harmless while a connection is live.
  bool onUserConnect(TimePoint now);
  // Stop: Disconnected, no retries (a terminal state is kept, only its retry is dropped).
  // The session closes any live connection; its drop is then ignored.
  void onUserDisconnect(TimePoint now);
  // The driver opened a transport. False (ignored) when a connection is already live or the
  // policy is stopped: one connect at a time.
  bool onConnectStarted(TimePoint now);
  // Login succeeded (<success>): ready, the sequence resets.
  void onConnected(TimePoint now);
  // The live connection ended for `reason`. False (ignored) when no connection was live.
  bool onDisconnected(const DisconnectReason& reason, TimePoint now);
  // Network came back or the machine resumed: retry at once, with a fresh fast sequence.
  void onNetworkUp(TimePoint now);

  // Outputs.
  [[nodiscard]] const api::ConnectionStatus& status() const noexcept { return status_; }
  [[nodiscard]] api::ConnectionState state() const noexcept { return status_.state; }
  // True when a connect attempt is due now (the driver then opens a transport and calls
  // onConnectStarted).
  [[nodiscard]] bool shouldConnect(TimePoint now) const noexcept;
  // When shouldConnect next becomes true, if ever without another input.
  [[nodiscard]] std::optional<TimePoint> nextDeadline() const noexcept;
  [[nodiscard]] bool isStopped() const noexcept { return stopped_; }
  // Status changes since the last call, oldest first.
  [[nodiscard]] std::vector<api::ConnectionStatusChanged> takeEvents();

 private:
  [[nodiscard]] Millis jittered(Millis delay);
  void scheduleTransient(const DisconnectReason& reason, TimePoint now);
  // Replaces the status, keeping `since` when the state does not change; records an event.
  void update(api::ConnectionStatus next, TimePoint now);

  Random& random_;
  ReconnectOptions options_;
  api::ConnectionStatus status_;
  std::vector<api::ConnectionStatusChanged> events_;
  bool live_ = false;    // a transport is connecting or logged in
  bool stopped_ = true;  // the user stopped it (or it was never started)
  int failures_ = 0;     // transient drops since the last login (or network-up)
  int restarts_ = 0;     // immediate 515 restarts since the last login
};

}  // namespace chorus::core::session
