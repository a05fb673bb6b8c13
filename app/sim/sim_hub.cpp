#include "app/sim/sim_hub.h"

#include <algorithm>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_iq_handlers.h"
#include "app/sim/sim_pairing.h"
#include "app/sim/sim_phone.h"
#include "app/sim/sim_presence.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_relay.h"
#include "app/sim/sim_stanzas.h"

namespace chorus::sim {

using core::LogLevel;
using core::Status;
using core::binary::Node;

SimHub::SimHub(const core::Logger& log, core::Random& random, const core::Clock& clock,
               SimRegistry& registry)
    : log_(log),
      random_(random),
      clock_(clock),
      registry_(registry),
      prekeys_(registry.db()),
      queue_(registry.db()),
      groups_(registry.db()),
      iqs_(std::make_unique<SimIqHandlers>(*this)),
      pairing_(std::make_unique<SimPairing>(*this)),
      phones_(std::make_unique<SimPhones>(*this)),
      relay_(std::make_unique<SimRelay>(*this)),
      presence_(std::make_unique<SimPresence>(*this)) {}

SimHub::~SimHub() = default;

void SimHub::onRegistration(SimConnection& connection) {
  registrations_[connection.id()] = &connection;
}

Status SimHub::onLogin(SimConnection& connection) {
  const auto key = std::make_pair(connection.phone(), connection.device());
  if (const auto it = devices_.find(key); it != devices_.end() && it->second != &connection) {
    SimConnection* old = it->second;
    devices_.erase(it);
    old->endWith(stanza::streamReplaced(), "replaced by connection " +
                                               std::to_string(connection.id()));
  }
  devices_[key] = &connection;
  if (const auto faults = nextFaults_.find(key); faults != nextFaults_.end()) {
    connection.faults().configure(faults->second);
    nextFaults_.erase(faults);
  }

  CHORUS_TRY(queued, queue_.pending(connection.phone(), connection.device()));
  for (Node& node : queued) {
    node.set("offline", std::string("1"));
    CHORUS_CHECK(connection.send(node));
  }
  if (!queued.empty()) {
    connection.logLine(LogLevel::Info,
                       "delivered " + std::to_string(queued.size()) + " queued stanzas");
  }
  return connection.send(stanza::offlineDone(queued.size()));
}

void SimHub::setNextConnectionFaults(const std::string& phone, std::uint32_t device,
                                     SimFaults::Settings faults) {
  nextFaults_[std::make_pair(phone, device)] = faults;
}

void SimHub::onClosed(SimConnection& connection) {
  registrations_.erase(connection.id());
  pairing_->onClosed(connection);
  const auto key = std::make_pair(connection.phone(), connection.device());
  if (const auto it = devices_.find(key); it != devices_.end() && it->second == &connection) {
    devices_.erase(it);
  }
  presence_->onClosed(connection);
}

Status SimHub::onNode(SimConnection& connection, const Node& node) {
  if (node.tag == "iq") {
    const auto type = node.attrText("type");
    if (type == "result" || type == "error") return onIqAnswer(connection, node);
    return iqs_->handle(connection, node);
  }
  if (connection.kind() != SimConnection::Kind::Device) {
    connection.logLine(LogLevel::Debug, "ignoring <" + node.tag + "> before login");
    return core::ok();
  }
  if (node.tag == "message") return relay_->onMessage(connection, node);
  if (node.tag == "receipt") return relay_->onReceipt(connection, node);
  if (node.tag == "ack") return relay_->onAck(connection, node);
  if (node.tag == "presence") return presence_->onPresence(connection, node);
  if (node.tag == "chatstate") return presence_->onChatState(connection, node);
  // <ib>, <call>…: not relayed yet.
  connection.logLine(LogLevel::Debug, "ignoring <" + node.tag + ">");
  return core::ok();
}

Status SimHub::onIqAnswer(SimConnection& connection, const Node& iq) {
  if (iq.child("pair-device-sign")) return pairing_->onDeviceSign(connection, iq);
  connection.logLine(LogLevel::Debug, "client answered iq " + iq.attrText("id").value_or("?") +
                                          " with " + iq.attrText("type").value_or("?"));
  return core::ok();
}

SimConnection* SimHub::findRegistration(std::string_view ref) const {
  for (const auto& [id, connection] : registrations_) {
    const auto& refs = connection->companion().refs;
    if (std::find(refs.begin(), refs.end(), ref) != refs.end()) return connection;
  }
  return nullptr;
}

SimConnection* SimHub::findDevice(std::string_view phone, std::uint32_t device) const {
  const auto it = devices_.find(std::make_pair(std::string(phone), device));
  return it == devices_.end() ? nullptr : it->second;
}

std::vector<SimConnection*> SimHub::connections() const {
  std::vector<SimConnection*> out;
  for (const auto& [id, connection] : registrations_) out.push_back(connection);
  for (const auto& [key, connection] : devices_) out.push_back(connection);
  return out;
}

Status SimHub::deliver(std::string_view phone, std::uint32_t device, const Node& node) {
  if (device == 0) {
    phones_->onStanza(std::string(phone), node);
    return core::ok();
  }
  CHORUS_CHECK(queue_.push(phone, device, node));
  if (SimConnection* connection = findDevice(phone, device)) {
    if (auto sent = connection->send(node); !sent) {
      connection->logLine(LogLevel::Warn, "live delivery failed (kept queued): " +
                                              core::describe(sent.error()));
    }
  }
  return core::ok();
}

}  // namespace chorus::sim
