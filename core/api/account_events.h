// What the UI and the CLI know about the numbers of an AccountRegistry (architecture §1, §3):
// plain copyable values, so the engine thread can hand them to the GUI thread in queued calls.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/api/connection_status.h"
#include "core/api/message_types.h"

namespace chorus::api {

// An account's folder name under accounts/: a random UUID (version 4, lower-case).
using AccountId = std::string;

struct AccountSummary {
  AccountId id;
  std::string name;         // chosen by the person; unique within the registry
  std::string maskedPhone;  // like maskPhone(): enough to recognise the number; empty until linked
  bool autoConnect = true;  // false after `disconnect`: the engine leaves it stopped
  ConnectionStatus status;
  // Non-empty when the account cannot be used at all: its data key is missing or the keychain
  // refused it, the database is unreadable. Short English text; status is then Disconnected.
  std::string problem;

  [[nodiscard]] bool operator==(const AccountSummary&) const = default;
};

// Every status change of a number (state, attempt, retry time).
struct AccountStatusEvent {
  AccountId id;
  ConnectionStatusChanged change;
};
// A QR code to show while linking; replaced by the next one at or before expiresAt. The string
// is a secret for the screen only: never log it.
struct QrCodeShown {
  AccountId id;
  std::string code;
  TimePoint expiresAt{};
};
// The 8-character pairing code to type on the phone ("ABCD-EFGH"). Secret like the QR.
struct LinkCodeShown {
  AccountId id;
  std::string code;
};
// Linking finished: the number is now this account's.
struct AccountLinked {
  AccountId id;
  std::string maskedPhone;
};
// The device credentials are gone (logout by the user, unlink from the phone, 401/403/406).
// serverConfirmed: the server acknowledged a user logout (false when it could not be reached).
struct AccountLoggedOut {
  AccountId id;
  bool userInitiated = false;
  bool serverConfirmed = false;
};
// Something went wrong that a person or a log should hear about; what happens next is in the
// status. `error` is the core error code name ("io", "crypto", "timeout", ...).
struct AccountProblem {
  AccountId id;
  std::string error;
  std::string message;
};
// The list of accounts changed (added, renamed, removed, opened, linked, autoConnect).
struct AccountsChanged {};

// A message was stored (received, or a placeholder for one that could not be decrypted yet).
// `chatJid` is the chat's key as ChatSummary::jid has it ("<number>@s.whatsapp.net" or
// "<id>@g.us"): the UI finds the chat's name or number with it. It and the message text are
// the person's data: for the screen, never for logs (mask numbers with maskPhone).
struct MessageAdded {
  AccountId id;
  std::string chatJid;
  MessageView message;
};
// A stored message changed: an outgoing one's status (receipts), or a placeholder whose content
// arrived (then `message` is the whole new view). Same rules for chatJid as MessageAdded.
struct MessageUpdated {
  AccountId id;
  std::string chatJid;
  std::string messageId;  // the wire id
  MessageStatus status = MessageStatus::Delivered;
  bool hasMessage = false;  // true when `message` carries the new content
  MessageView message;
};

// A chat's unread count changed (a message arrived, the chat was read); `totalUnread` is the
// account's sum over all chats, for badges and the tray.
struct ChatUpdated {
  AccountId id;
  std::string chatJid;
  int unreadCount = 0;
  std::int64_t totalUnread = 0;
};

using AccountEvent =
    std::variant<AccountStatusEvent, QrCodeShown, LinkCodeShown, AccountLinked, AccountLoggedOut,
                 AccountProblem, AccountsChanged, MessageAdded, MessageUpdated, ChatUpdated>;

}  // namespace chorus::api
