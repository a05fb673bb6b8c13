// Keepalive for a logged-in connection (protocol §4.7), sans-I/O.
//
// Rule: a ping is sent every interval (uniform in [minInterval, maxInterval], drawn from the
// injected Random per ping), counted from the previous ping, whatever other traffic flows —
// the server may drop clients that stay silent. After a ping, *any* received frame before
// `responseTimeout` counts as liveness (the ping's own result is just one such frame); if no
// frame at all arrives by then, the connection is dead. Frames received while no ping is
// outstanding change nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/protocol/binary/node.h"
#include "core/util/clock.h"
#include "core/util/random.h"

namespace chorus::core::session {

struct KeepaliveOptions {
  Millis minInterval{20'000};
  Millis maxInterval{30'000};
  Millis responseTimeout{20'000};  // no frame this long after a ping → dead
};

enum class KeepaliveAction : std::uint8_t {
  None,
  SendPing,  // send buildPing(id) now
  Dead,      // the deadline passed without a frame: reported once; the connection is lost
};

class Keepalive {
 public:
  explicit Keepalive(Random& random, KeepaliveOptions options = {});

  // Login succeeded: schedule the first ping. Restarting re-arms from scratch.
  void start(TimePoint now);
  void stop() noexcept;
  // Any frame arrived from the server.
  void onFrameReceived(TimePoint now) noexcept;
  // Call at (or after) nextDeadline().
  [[nodiscard]] KeepaliveAction onTimer(TimePoint now);

  [[nodiscard]] std::optional<TimePoint> nextDeadline() const noexcept;
  [[nodiscard]] bool isRunning() const noexcept { return running_; }
  [[nodiscard]] bool isAwaitingResponse() const noexcept { return pingDeadline_.has_value(); }

 private:
  [[nodiscard]] Millis nextInterval();

  Random& random_;
  KeepaliveOptions options_;
  bool running_ = false;
  TimePoint nextPingAt_{};
  std::optional<TimePoint> pingDeadline_;
};

// <iq id=… to=s.whatsapp.net type=get xmlns="w:p"><ping/></iq>
[[nodiscard]] binary::Node buildPing(std::string id);

}  // namespace chorus::core::session
