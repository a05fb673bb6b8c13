// Small builders and readers for the stanzas the session itself sends and inspects (protocol
// §4.7, §6.2, §8.1): iq results and errors to server requests, the <active/> iq, the server
// JID, and reading content that the wire may carry as bytes or as a string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/protocol/binary/node.h"
#include "core/protocol/jid/jid.h"
#include "core/util/bytes.h"

namespace chorus::core::session {

inline constexpr std::string_view kIqTag = "iq";
inline constexpr std::string_view kIqResult = "result";
inline constexpr std::string_view kIqError = "error";
inline constexpr std::string_view kIqGet = "get";
inline constexpr std::string_view kIqSet = "set";

// The server JID "s.whatsapp.net" (JID_PAIR with an empty user).
[[nodiscard]] jid::Jid serverJid();
// True when `value` names the server JID (as a JID or as text).
[[nodiscard]] bool isServerJid(const binary::AttrValue& value);

// <iq to="s.whatsapp.net" type="result" id="<id>"/> — the answer to a server request.
[[nodiscard]] binary::Node buildIqResult(std::string id);
// <iq to="s.whatsapp.net" type="error" id="<id>"><error code="<code>" text="<text>"/></iq>
[[nodiscard]] binary::Node buildIqError(std::string id, int code, std::string text);
// <iq to="s.whatsapp.net" type="set" xmlns="passive" id="<id>"><active/></iq> (§8.1)
[[nodiscard]] binary::Node buildSetActive(std::string id);

// <iq to="s.whatsapp.net" type="set" xmlns="md" id=…><remove-companion-device jid="<device>"
// reason="user_initiated"/></iq> (§13): the companion logs itself out.
[[nodiscard]] binary::Node buildRemoveCompanionDevice(std::string id, binary::AttrValue device);

// The node's content as bytes, whether it travelled as binary data or as a string; nullopt for
// no content, children or a JID.
[[nodiscard]] std::optional<BytesView> contentBytes(const binary::Node& node) noexcept;

// Attribute readers shared by the stanza parsers (messages, receipts, usync, prekey bundles).
// An attribute value as a JID, whether it travelled as a JID or as text; nullopt for text that
// is not a JID.
[[nodiscard]] std::optional<jid::Jid> toJid(const binary::AttrValue& value);
// The attribute `key` as a JID; nullopt when absent or not a JID.
[[nodiscard]] std::optional<jid::Jid> jidAttr(const binary::Node& node, std::string_view key);
// The decimal attribute `key`; nullopt when absent. When present but not a decimal number in
// [0, max], `ok` becomes false (and nullopt is returned), so a parser can check many attributes
// and fail once.
[[nodiscard]] std::optional<std::uint64_t> numberAttr(const binary::Node& node,
                                                      std::string_view key, std::uint64_t max,
                                                      bool& ok);
// A phone-number (or LID) user: a user part on a user server.
[[nodiscard]] bool isUserJid(const jid::Jid& j);

}  // namespace chorus::core::session
