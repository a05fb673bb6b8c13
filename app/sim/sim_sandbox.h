// SimSandbox (chorus-sim --sandbox): a ready-made world to try a client in without a phone.
//   * an account for the user (+1 555 010-0000) and simulated contacts (+1 555 010-0001…0004,
//     fictional names), created when absent (sim.db keeps them);
//   * linking without a phone: a registration that has waited kApproveDelay is "scanned" by the
//     sandbox phone with the well-known sandbox adv secret (kAdvSecret — the server never sees a
//     QR's adv secret, so only a client that uses this one accepts the pair-success), and a
//     pairing code request for the sandbox number is confirmed with kPairingCode;
//   * every newly linked companion gets an app-state key share and a history sync (the
//     contacts' chats) from the sandbox phone;
//   * contacts answer every text after a short human-like delay ("STOP" unsubscribes), just
//     after a read receipt for it.
#pragma once

#include <QObject>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "core/util/result.h"

class QTimer;

namespace chorus::sim {

class SimHub;
struct PhoneInboxEntry;

class SimSandbox final : public QObject {
  Q_OBJECT

 public:
  static constexpr const char* kAccount = "15550100000";
  static constexpr std::string_view kAdvSecret = "chorus-sim sandbox adv secret 32";  // 32 bytes
  static constexpr const char* kPairingCode = "SANDBX11";
  static constexpr std::chrono::milliseconds kApproveDelay{2500};

  SimSandbox(SimHub& hub, QObject* parent);

  // Creates the sandbox accounts when absent and starts watching. Errc::Storage.
  [[nodiscard]] core::Status start();

 private:
  void poll();
  void approveRegistrations();
  void greetNewCompanions();
  void onText(const std::string& phone, const PhoneInboxEntry& entry);
  void reply(const std::string& contact, const std::string& to, const std::string& text);

  SimHub& hub_;
  QTimer* timer_;
  std::map<std::uint64_t, std::chrono::steady_clock::time_point> waiting_;  // by connection id
  std::set<std::uint64_t> handled_;
  std::set<std::uint32_t> greeted_;
};

}  // namespace chorus::sim
