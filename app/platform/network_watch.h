// NetworkWatch: tells the engine when the network comes back, from QNetworkInformation's
// reachability (architecture §3: "immediate retries on network-up"). Reachability turning
// Online from Disconnected, Local or Site calls `onUp`; the first report after start (from
// Unknown) does not, since nothing was down. Without a backend (no NetworkManager, no GLib
// network monitor, containers) it logs one info line and stays silent: reconnects then rely on
// the backoff alone.
#pragma once

#include <QObject>
#include <functional>

#include "core/util/logger.h"

namespace chorus::app {

class NetworkWatch final : public QObject {
  Q_OBJECT

 public:
  // `logger` may be nullptr; it must outlive the watch otherwise.
  NetworkWatch(std::function<void()> onUp, core::Logger* logger, QObject* parent);

  // Whether a backend reporting reachability was found.
  [[nodiscard]] bool isActive() const noexcept { return active_; }

 private:
  std::function<void()> onUp_;
  bool active_ = false;
  int last_ = 0;  // QNetworkInformation::Reachability
};

}  // namespace chorus::app
