// AccountTransport: the port through which an Account reaches the network and time. app/platform
// implements it with a QWebSocket and a QTimer (AccountDriver); unit tests with an in-process
// fake server. The Account calls it; the implementation reports back by calling the Account's
// transport inputs (onTransportOpen, onBytes, onTransportClosed, onTimer) — later, from its
// event loop, never from inside one of these calls.
#pragma once

#include <optional>
#include <string>

#include "core/util/bytes.h"
#include "core/util/clock.h"

namespace chorus::core::account {

class AccountTransport {
 public:
  virtual ~AccountTransport() = default;

  // Open a WebSocket to `url` (binary frames). Reports onTransportOpen or onTransportClosed.
  // There is at most one connection: open is only called when none is live.
  virtual void open(const std::string& url) = 0;
  // One binary WebSocket message on the live connection.
  virtual void send(Bytes bytes) = 0;
  // Close the live connection; report nothing more for it.
  virtual void close() = 0;
  // Call onTimer at `at` (replacing any earlier request); nullopt cancels.
  virtual void wakeAt(std::optional<TimePoint> at) = 0;
};

}  // namespace chorus::core::account
