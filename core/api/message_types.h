// What the UI sees of chats and messages (architecture §4): plain std values, copied across the
// engine/GUI thread boundary. core/store fills them from the account database (ChatStore,
// MessageQuery); nothing here refers to SQL, keys or wire formats. Times are wall-clock
// milliseconds (the same type as chorus::core::TimePoint).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace chorus::api {

using MessageTime = std::chrono::sys_time<std::chrono::milliseconds>;

enum class ChatKind { Direct, Group };

enum class MessageDirection { Incoming, Outgoing };

// Outgoing: Queued → Sent (server ack) → Delivered → Read, or Failed with a reason; never
// backwards. Incoming: Delivered (stored, not yet read here) → Read (read here).
enum class MessageStatus { Queued, Sent, Delivered, Read, Failed };

enum class MessageKind {
  Text,
  Placeholder,  // could not be decrypted yet: shown as "waiting for this message"
  System,       // a notice written by Chorus or the server (not counted as unread)
};

struct MessageView {
  std::int64_t localId = 0;  // stable, unique in the account: the anchor for paging
  std::string id;            // the message id as on the wire ("3EB0...")
  MessageDirection direction = MessageDirection::Incoming;
  MessageStatus status = MessageStatus::Delivered;
  std::string failureReason;  // set when status is Failed
  MessageKind kind = MessageKind::Text;
  MessageTime timestamp{};  // server time (incoming) or local send time (outgoing)
  std::string text;
  std::string senderJid;   // incoming: the author's JID; outgoing: empty (you)
  std::string senderName;  // incoming: the author's push name when known; else empty

  [[nodiscard]] bool operator==(const MessageView&) const = default;
};

struct ChatSummary {
  std::string jid;  // "<number>@s.whatsapp.net" or "<id>@g.us"
  ChatKind kind = ChatKind::Direct;
  // A group's subject, else the contact's push name, else empty (the UI shows the number).
  std::string name;
  int unreadCount = 0;
  bool muted = false;
  bool archived = false;
  MessageTime lastActivity{};  // the timestamp of the last message; epoch when none
  bool hasLastMessage = false;
  MessageView lastMessage;  // valid when hasLastMessage: the preview line

  [[nodiscard]] bool operator==(const ChatSummary&) const = default;
};

}  // namespace chorus::api
