// The states a linked number can be in, as shown to people (architecture §3). Plain values so
// the UI can hold them; the session in core decides the transitions.
#pragma once

#include <string_view>

namespace chorus::api {

enum class ConnectionState {
  Unlinked,      // no credentials yet: link by QR or pairing code
  Connecting,    // socket, Noise handshake and login in progress
  Pairing,       // waiting for the phone to scan the QR or enter the code
  Ready,         // logged in, sending and receiving
  Reconnecting,  // transient loss; retrying with backoff
  Disconnected,  // fast retries spent or stopped by the user; slow retries continue
  LoggedOut,     // the phone removed this device: re-link (terminal)
  Replaced,      // another client took over this device (terminal)
  Banned,        // refused by the server, possibly until an expiry
  Outdated,      // this client version is refused: update (terminal)
};

[[nodiscard]] constexpr std::string_view stateName(ConnectionState s) noexcept {
  switch (s) {
    case ConnectionState::Unlinked: return "unlinked";
    case ConnectionState::Connecting: return "connecting";
    case ConnectionState::Pairing: return "pairing";
    case ConnectionState::Ready: return "ready";
    case ConnectionState::Reconnecting: return "reconnecting";
    case ConnectionState::Disconnected: return "disconnected";
    case ConnectionState::LoggedOut: return "logged_out";
    case ConnectionState::Replaced: return "replaced";
    case ConnectionState::Banned: return "banned";
    case ConnectionState::Outdated: return "outdated";
  }
  return "unknown";
}

// Terminal states never retry by themselves; a person has to act.
[[nodiscard]] constexpr bool needsAction(ConnectionState s) noexcept {
  return s == ConnectionState::LoggedOut || s == ConnectionState::Replaced ||
         s == ConnectionState::Banned || s == ConnectionState::Outdated;
}

}  // namespace chorus::api
