// A number's state in words for its badge, the tray menu and notifications (issue: "Reconnecting,
// attempt 3, next try in 18 s", "Logged out from the phone: link again", "Another device took
// over", "Restricted until 14:20"). Pure functions of the status and the current time, so the
// wording is tested without a window.
#pragma once

#include <QString>

#include "core/api/connection_status.h"

namespace chorus::ui {

enum class Severity {
  Fine,        // ready
  Working,     // connecting, pairing, reconnecting: it will sort itself out
  Stopped,     // disconnected or never linked: a person may want to act
  NeedsAction  // logged out, replaced, banned, outdated: nothing happens until someone acts
};

[[nodiscard]] Severity severityOf(api::ConnectionState state) noexcept;

// The badge line. `now` makes "next try in 18 s"; `local` formats clock times (tests pass UTC).
[[nodiscard]] QString statusText(const api::ConnectionStatus& status, api::TimePoint now,
                                 bool localTime = true);

// What the person should do, for notifications ("Open WhatsApp on the phone → Linked devices →
// Link a device, then link it again in Chorus"); empty when nothing is needed.
[[nodiscard]] QString actionText(const api::ConnectionStatus& status);

}  // namespace chorus::ui
