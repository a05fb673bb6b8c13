// Fetching other devices' prekey bundles (protocol §8.3, §14.1): the <iq xmlns="encrypt">
// request and its <list><user>… answer turned into signal::PreKeyBundle values, and the key
// nodes the same shape uses (also inside retry receipts' <keys>, §9.6).
//
// Facts (whatsmeow prekeys.go fetchPreKeys/nodeToPreKeyBundle/preKeyToNode; Baileys
// Utils/signal.ts parseAndInjectE2ESessions/xmppPreKey/xmppSignedPreKey):
//  * request users carry reason="identity" in whatsmeow, nothing in Baileys;
//  * <registration> is 4 bytes BE, key ids 3 bytes BE, public keys raw 32 bytes (no 0x05),
//    signatures 64 bytes; the keys may sit in an extra <keys> wrapper (whatsmeow accepts it);
//  * <key> (one-time prekey) is absent when the device has none left;
//  * a per-user <error code text/> fails that user only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/protocol/jid/jid.h"
#include "core/signal/signal_keys.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::session {

inline constexpr std::size_t kMaxPreKeyFetchUsers = 500;
inline constexpr std::size_t kRegistrationIdSize = 4;
inline constexpr std::size_t kPreKeyIdSize = 3;

// <iq xmlns="encrypt" type="get" to="s.whatsapp.net" id=ID><key><user jid=DEVICE
// [reason="identity"]/>…</key></iq>. InvalidArgument for an empty id or list, more than
// kMaxPreKeyFetchUsers devices, or a JID that is not a user/device JID.
[[nodiscard]] Result<binary::Node> buildPreKeyFetch(std::string id,
                                                    std::span<const jid::Jid> devices,
                                                    bool reasonIdentity = false);

struct FetchedBundle {
  jid::Jid device;  // as the server named it
  // The bundle (raw 32-byte keys, deviceId from the JID), or this user's failure:
  // NotFound for a server <error code="404">, Protocol for other server errors and for
  // malformed entries (wrong sizes, 33-byte 0x05-prefixed keys, missing parts).
  Result<signal::PreKeyBundle> bundle;
  int serverErrorCode = 0;  // the <error code>, 0 when the server sent none
};

// The <iq type="result"><list><user>…</user>…</list></iq> answer. Protocol for an error iq,
// a missing <list>, more than kMaxPreKeyFetchUsers users or a user without a device JID;
// everything else is reported per user.
[[nodiscard]] Result<std::vector<FetchedBundle>> parsePreKeyFetchResult(const binary::Node& iq);

// The key material under `parent` (a <user> or a retry receipt's <keys>, or their <keys>
// child): <identity>, <skey> and optionally <key>, and <type> when present (must be 0x05).
// `registrationId` and `deviceId` come from the caller (from <registration> and the JID).
[[nodiscard]] Result<signal::PreKeyBundle> parseBundleKeys(const binary::Node& parent,
                                                           std::uint32_t registrationId,
                                                           std::int32_t deviceId);
// <registration>4 bytes BE</registration> under `parent`. Protocol when absent or not 4 bytes.
[[nodiscard]] Result<std::uint32_t> parseRegistrationId(const binary::Node& parent);

// <key><id>3 bytes</id><value>32 bytes</value></key>. InvalidArgument unless the id fits in 24
// bits and the key is 32 bytes.
[[nodiscard]] Result<binary::Node> preKeyEntryNode(std::uint32_t id, BytesView publicKey);
// <skey><id/><value/><signature>64 bytes</signature></skey>.
[[nodiscard]] Result<binary::Node> signedPreKeyEntryNode(std::uint32_t id, BytesView publicKey,
                                                         BytesView signature);
// The server's <user jid=…> entry for a bundle (what the encrypt iq answers; tests and the
// simulator's shape): <registration/><type>05</type><identity/><skey/>[<key/>].
[[nodiscard]] Result<binary::Node> bundleUserNode(const jid::Jid& device,
                                                  const signal::PreKeyBundle& bundle);

}  // namespace chorus::core::session
