// A Chorus node printed the way Baileys' decoder would return it, as canonical JSON identical
// to JSON.stringify of node/peer.js shape(): {"tag":..,"attrs":{..},"content":..}. Attribute
// values are strings, JIDs formatted as Baileys' decoder formats them (JID_PAIR: "user@server",
// "@server" when the user is empty; AD_JID: "user[:device]@s.whatsapp.net|lid", device 0
// dropped); content is an array of nodes, {"hex": ".."} for bytes, or a string.
#pragma once

#include <string>
#include <string_view>

#include "core/protocol/binary/node.h"

namespace chorus::interop {

// Appends `s` as a JSON string literal, escaped exactly as JSON.stringify does (valid UTF-8).
void appendJsonString(std::string& out, std::string_view s);

[[nodiscard]] std::string baileysJidText(const core::binary::Jid& jid);
[[nodiscard]] std::string toBaileysJson(const core::binary::Node& node);

}  // namespace chorus::interop
