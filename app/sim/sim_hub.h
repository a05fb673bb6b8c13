// SimHub: the simulator's switchboard. It knows the live connections (registrations by their QR
// refs, logged-in devices by phone and device number), routes every client stanza to the handler
// for its concern (SimIqHandlers by namespace, SimPairing, SimRelay), and delivers server
// stanzas to devices through the persistent queue (SimQueue): live when connected, and again
// at the next login until the device acks them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/sim/sim_faults.h"
#include "app/sim/sim_groups.h"
#include "app/sim/sim_prekey_store.h"
#include "app/sim/sim_queue.h"
#include "app/sim/sim_sessions.h"
#include "core/protocol/binary/node.h"
#include "core/util/clock.h"
#include "core/util/logger.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::sim {

class SimConnection;
class SimIqHandlers;
class SimPairing;
class SimPhones;
class SimPresence;
class SimRegistry;
class SimRelay;

class SimHub {
 public:
  SimHub(const core::Logger& log, core::Random& random, const core::Clock& clock,
         SimRegistry& registry);
  ~SimHub();
  SimHub(const SimHub&) = delete;
  SimHub& operator=(const SimHub&) = delete;

  // Connection life cycle (called by SimConnection).
  void onRegistration(SimConnection& connection);
  // A device logged in (<success> sent): replaces an older connection of the same device,
  // delivers its queued stanzas (offline) and then <ib><offline count=N/>.
  [[nodiscard]] core::Status onLogin(SimConnection& connection);
  // Faults for the next connection of a device, applied when it logs in (before its queued
  // stanzas): a test can slow a client down before it has even connected.
  void setNextConnectionFaults(const std::string& phone, std::uint32_t device,
                               SimFaults::Settings faults);
  void onClosed(SimConnection& connection);
  // A stanza from the client; an error closes that connection.
  [[nodiscard]] core::Status onNode(SimConnection& connection, const core::binary::Node& node);

  // The registration connection that was sent QR ref `ref`, or nullptr.
  [[nodiscard]] SimConnection* findRegistration(std::string_view ref) const;
  [[nodiscard]] SimConnection* findDevice(std::string_view phone, std::uint32_t device) const;
  [[nodiscard]] std::vector<SimConnection*> connections() const;

  // Queues `node` (message, receipt or notification) for the device and sends it now when the
  // device is connected. Device 0 is the simulated phone: it has no connection and nothing is
  // kept for it; SimPhones reads it at once.
  [[nodiscard]] core::Status deliver(std::string_view phone, std::uint32_t device,
                                     const core::binary::Node& node);

  [[nodiscard]] SimPairing& pairing() noexcept { return *pairing_; }
  [[nodiscard]] SimPhones& phones() noexcept { return *phones_; }
  [[nodiscard]] SimRegistry& registry() noexcept { return registry_; }
  [[nodiscard]] SimPreKeyStore& prekeys() noexcept { return prekeys_; }
  [[nodiscard]] SimQueue& queue() noexcept { return queue_; }
  [[nodiscard]] SimSessions& sessions() noexcept { return sessions_; }
  [[nodiscard]] SimGroups& groups() noexcept { return groups_; }
  [[nodiscard]] const core::Logger& log() const noexcept { return log_; }
  [[nodiscard]] core::Random& random() noexcept { return random_; }
  [[nodiscard]] std::int64_t nowSeconds() const { return core::toUnixSeconds(clock_.now()); }

  // Where media_conn sends clients (§8.4): "127.0.0.1:PORT" of the MediaHost and its auth token.
  struct MediaEndpoint {
    std::string hostname;
    std::string auth;
    std::string folder;  // the MediaHost's MediaStore folder (DATA/media)
  };
  void setMediaEndpoint(MediaEndpoint endpoint) { media_ = std::move(endpoint); }
  [[nodiscard]] const MediaEndpoint& mediaEndpoint() const noexcept { return media_; }

 private:
  [[nodiscard]] core::Status onIqAnswer(SimConnection& connection, const core::binary::Node& iq);

  const core::Logger& log_;
  core::Random& random_;
  const core::Clock& clock_;
  SimRegistry& registry_;
  SimPreKeyStore prekeys_;
  SimQueue queue_;
  SimSessions sessions_{*this};
  SimGroups groups_;
  std::unique_ptr<SimIqHandlers> iqs_;
  std::unique_ptr<SimPairing> pairing_;
  std::unique_ptr<SimPhones> phones_;
  std::unique_ptr<SimRelay> relay_;
  std::unique_ptr<SimPresence> presence_;
  std::map<std::uint64_t, SimConnection*> registrations_;  // by connection id
  std::map<std::pair<std::string, std::uint32_t>, SimConnection*> devices_;
  std::map<std::pair<std::string, std::uint32_t>, SimFaults::Settings> nextFaults_;
  MediaEndpoint media_;
};

}  // namespace chorus::sim
