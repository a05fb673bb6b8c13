// Pieces shared by sim_phone.cpp (receive, receipts) and sim_phone_send.cpp (send, retry).
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "app/sim/sim_phone.h"
#include "app/sim/sim_phone_store.h"
#include "core/protocol/jid/jid.h"
#include "core/signal/signal_context.h"

namespace chorus::sim {

struct SimPhones::Phone {
  std::unique_ptr<SimPhoneStore> store;
  std::unique_ptr<core::signal::SignalContext> context;
};

namespace phone_detail {

inline constexpr std::size_t kMaxKept = 200;  // inbox entries, receipts and sent messages per phone

[[nodiscard]] inline core::jid::Jid userJid(const std::string& user) {
  core::jid::Jid jid;
  jid.user = user;
  jid.server = std::string(core::jid::kUserServer);
  return jid;
}

template <typename T>
void keep(std::deque<T>& list, T entry) {
  list.push_back(std::move(entry));
  while (list.size() > kMaxKept) list.pop_front();
}

}  // namespace phone_detail
}  // namespace chorus::sim
