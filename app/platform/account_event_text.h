// One log line per account event, safe to print: account ids shortened, phone numbers only in
// their masked form, QR and pairing codes never shown (style.md "Logs never contain ...").
#pragma once

#include <string>

#include "core/api/account_events.h"

namespace chorus::app {

// "3f2a9c1e: ready (logged in)", "3f2a9c1e: QR code shown (hidden), valid until 12:00:01Z".
[[nodiscard]] std::string describeAccountEvent(const api::AccountEvent& event);

}  // namespace chorus::app
