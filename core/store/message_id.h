// Ids for outgoing messages in the form WhatsApp Web uses: "3EB0" followed by the upper-case
// hex of the first 9 bytes of SHA-256( uint64_be(unix seconds) ‖ "<own user>@c.us" ‖ 16 random
// bytes ), 22 characters in all, e.g. "3EB0F862A64487EBD26BA7". This is whatsmeow's
// Client.GenerateMessageID (send.go) and Baileys' generateMessageIDV2 (Utils/generics.ts);
// protocol reference §9.1. The server treats ids as opaque but unique per sender; the id is
// made before the message is stored, so a resend after a crash reuses it.
#pragma once

#include <string>
#include <string_view>

#include "core/util/clock.h"
#include "core/util/random.h"

namespace chorus::core::store {

inline constexpr std::string_view kMessageIdPrefix = "3EB0";
inline constexpr std::size_t kMessageIdLength = 22;

// `ownUser` is our phone number (the user part of our JID, no device); empty before pairing.
[[nodiscard]] std::string newMessageId(Random& random, TimePoint now = {},
                                       std::string_view ownUser = {});

}  // namespace chorus::core::store
