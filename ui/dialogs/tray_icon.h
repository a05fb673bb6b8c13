// The tray's picture of all numbers at once (architecture §3, alerts): one state for the lot —
// all ready, some reconnecting, some needing a person — drawn in code as a rounded badge in
// that state's colour, with the total unread count on it. Pure functions, tested without a tray.
#pragma once

#include <QColor>
#include <QIcon>
#include <QImage>
#include <vector>

#include "core/api/account_events.h"

namespace chorus::ui {

enum class TrayState {
  Idle,         // grey: no numbers, or every number stopped or not linked yet
  AllReady,     // green: every running number is connected
  Working,      // amber: some number is connecting, pairing or reconnecting
  NeedsAction,  // red: some number is logged out, replaced, banned, outdated or unusable
};

// Whether a number counts as running: stopped by the person (disconnected with no retry due)
// and not-yet-linked numbers do not turn the tray amber.
[[nodiscard]] TrayState trayStateOf(const api::AccountSummary& account);
// The worst of the numbers: NeedsAction over Working over AllReady over Idle.
[[nodiscard]] TrayState aggregateState(const std::vector<api::AccountSummary>& accounts);

[[nodiscard]] QColor trayColour(TrayState state);

// One square picture, `size` pixels across; `unread` > 0 is painted on it ("99+" above 99).
[[nodiscard]] QImage trayImage(TrayState state, long long unread, int size);
// The icon at the sizes trays ask for.
[[nodiscard]] QIcon trayIcon(TrayState state, long long unread);

}  // namespace chorus::ui
