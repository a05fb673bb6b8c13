// Builders for the stanzas the simulator's connection layer sends (protocol notes §4.7, §6.2):
// iq results and errors, <pair-device>, <success>, <failure> and the offline marker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/binary/node.h"

namespace chorus::sim::stanza {

// The server JID as the `from` attribute of server stanzas.
[[nodiscard]] core::jid::Jid serverJid();

// <iq type="result" id=ID from="s.whatsapp.net"/>
[[nodiscard]] core::binary::Node iqResult(std::string_view id);
// <iq type="error" id=ID from="s.whatsapp.net"><error code=CODE text=TEXT/></iq>
// (no id attribute when the request had none).
[[nodiscard]] core::binary::Node iqError(std::optional<std::string> id, int code,
                                         std::string_view text);
// <iq from="s.whatsapp.net" type="set" id=ID
// xmlns="md"><pair-device><ref>…</ref>…</pair-device></iq>
[[nodiscard]] core::binary::Node pairDevice(std::string_view id,
                                            const std::vector<std::string>& refs);
// <success t=UNIX [lid=LID]/>
[[nodiscard]] core::binary::Node success(std::int64_t unixSeconds,
                                         std::optional<core::jid::Jid> lid);
// <failure reason=N/>
[[nodiscard]] core::binary::Node failure(int reason);
// <ib><offline count=N/></ib>
[[nodiscard]] core::binary::Node offlineDone(std::size_t count);

}  // namespace chorus::sim::stanza
