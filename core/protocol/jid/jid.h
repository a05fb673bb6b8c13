// WhatsApp JIDs ("user[:device]@server") as values. `form` remembers how a JID travelled in a
// binary node (JID_PAIR, AD_JID, FB_JID, INTEROP_JID) so a decoded node re-encodes byte-exactly;
// compare addresses with sameAddress(), which ignores it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace chorus::core::jid {

inline constexpr std::string_view kUserServer = "s.whatsapp.net";
inline constexpr std::string_view kLegacyUserServer = "c.us";
inline constexpr std::string_view kLidServer = "lid";
inline constexpr std::string_view kGroupServer = "g.us";
inline constexpr std::string_view kBroadcastServer = "broadcast";
inline constexpr std::string_view kNewsletterServer = "newsletter";
inline constexpr std::string_view kHostedServer = "hosted";
inline constexpr std::string_view kHostedLidServer = "hosted.lid";
inline constexpr std::string_view kMessengerServer = "msgr";
inline constexpr std::string_view kInteropServer = "interop";
inline constexpr std::string_view kBotServer = "bot";

enum class JidForm : std::uint8_t {
  Pair,     // JID_PAIR: user (may be empty) + server
  AD,       // AD_JID: domain byte + device + user (server implied by the domain)
  FB,       // FB_JID: user + u16 device + "msgr"
  Interop,  // INTEROP_JID: user + u16 device + u16 integrator + "interop"
};

struct Jid {
  std::string user;    // empty for a server-only JID such as "s.whatsapp.net"
  std::string server;
  std::uint16_t device = 0;
  std::uint8_t agent = 0;  // AD_JID agent byte on s.whatsapp.net ("user.agent:dev@...") — rare
  std::uint16_t integrator = 0;
  JidForm form = JidForm::Pair;

  [[nodiscard]] bool operator==(const Jid&) const = default;
  [[nodiscard]] bool isServer() const noexcept { return user.empty(); }
  [[nodiscard]] bool isGroup() const noexcept { return server == kGroupServer; }
  [[nodiscard]] bool isUser() const noexcept { return server == kUserServer || server == kLidServer; }
  [[nodiscard]] bool isBroadcast() const noexcept { return server == kBroadcastServer; }
  [[nodiscard]] bool isStatusBroadcast() const noexcept { return isBroadcast() && user == "status"; }
  [[nodiscard]] bool isNewsletter() const noexcept { return server == kNewsletterServer; }
  // The same account (user + server), any device.
  [[nodiscard]] Jid toNonDevice() const;
};

// Same user, server, device, agent and integrator; ignores `form`.
[[nodiscard]] bool sameAddress(const Jid& a, const Jid& b) noexcept;

// Parses every text form: "s.whatsapp.net" and "@s.whatsapp.net" (server only),
// "15551234567@s.whatsapp.net", "15551234567:2@s.whatsapp.net", "1234:3@lid", "user.1:2@..."
// (agent), "120363...@g.us", "status@broadcast", "...@newsletter", "u:5@msgr", ...
// A device suffix (even ":0") yields form AD (FB/Interop on msgr/interop), otherwise Pair.
// Errc::Malformed for anything else (empty, two '@', bad device number, ...).
[[nodiscard]] Result<Jid> parse(std::string_view text);

// The canonical text: "user[.agent][:device]@server"; server-only JIDs print as "server".
// AD-form JIDs always print their device, so ":0" survives a round trip.
[[nodiscard]] std::string format(const Jid& jid);

}  // namespace chorus::core::jid
