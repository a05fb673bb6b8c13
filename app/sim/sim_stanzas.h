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
// <stream:error code=CODE/>: 515 restart required, 503 service unavailable (§4.7).
[[nodiscard]] core::binary::Node streamError(int code);
// <stream:error><conflict type="replaced"/></stream:error>: another login took the device over.
[[nodiscard]] core::binary::Node streamReplaced();
// <stream:error code="401"><conflict type="device_removed"/></stream:error>
[[nodiscard]] core::binary::Node streamDeviceRemoved();
// A node with a tag and children only.
[[nodiscard]] core::binary::Node parent(std::string tag, core::binary::Children children);
// A node with a tag and byte content only.
[[nodiscard]] core::binary::Node leaf(std::string tag, core::Bytes content);
// The children of `node` that have `tag`.
[[nodiscard]] std::vector<const core::binary::Node*> childrenNamed(const core::binary::Node& node,
                                                                   std::string_view tag);
// The byte content of `node`'s child `tag`, or nullptr.
[[nodiscard]] const core::Bytes* childBytes(const core::binary::Node& node, std::string_view tag);
// Big-endian fixed-width encodings used in key nodes (§8.2).
[[nodiscard]] core::Bytes beBytes(std::uint32_t value, std::size_t width);

}  // namespace chorus::sim::stanza
