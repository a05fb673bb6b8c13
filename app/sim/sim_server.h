// SimServer: chorus-sim's WebSocket endpoint ws://127.0.0.1:PORT/ws/chat and its control API.
// Owns the keys, the account registry, the hub and one SimConnection per client socket.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_keys.h"
#include "app/sim/sim_registry.h"
#include "core/util/clock.h"
#include "core/util/logger.h"
#include "core/util/random.h"
#include "core/util/result.h"

class QWebSocketServer;

namespace chorus::sim {

class SimControl;

class SimServer final : public QObject {
  Q_OBJECT

 public:
  // Loads or creates the keys and the registry in `dataDir`; listens with start().
  [[nodiscard]] static core::Result<std::unique_ptr<SimServer>> create(const QString& dataDir,
                                                                       const core::Logger& log);
  ~SimServer() override;

  // Listens on 127.0.0.1:port (0 = any free port) and starts the control API on another free
  // loopback port. Errc::Io when a port is taken.
  [[nodiscard]] core::Status listen(quint16 port, quint16 controlPort = 0);
  [[nodiscard]] quint16 port() const;
  [[nodiscard]] QString wsUrl() const;
  [[nodiscard]] QString controlUrl() const;
  [[nodiscard]] const core::Bytes& rootPublicKey() const noexcept { return keys_.rootPublicKey(); }
  [[nodiscard]] SimHub& hub() noexcept { return hub_; }

 private:
  SimServer(SimKeys keys, std::unique_ptr<SimRegistry> registry, const core::Logger& log);
  void acceptPending();

  core::SystemRandom random_;
  core::SystemClock clock_;
  SimKeys keys_;
  std::unique_ptr<SimRegistry> registry_;
  SimHub hub_;
  SimContext context_;
  SimControl* control_;
  QWebSocketServer* server_;
  std::uint64_t nextConnectionId_ = 1;
};

}  // namespace chorus::sim
