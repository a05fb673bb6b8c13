// Prekey management, sans-I/O (protocol §8.2): the stanzas that keep our one-time prekeys
// stocked on the server and the policy deciding when and how many. Nothing here touches a
// store: the caller reads prekeys and credentials, passes them in, and records the upload
// once the server's result arrives (SqlSignalStore::markPreKeysUploaded).
//
// Flow: after login (and on a low-count notification) send buildPreKeyCountQuery(); feed the
// result to parsePreKeyCount(); PreKeyPolicy::toUpload(count) says how many keys the upload
// must carry; reuse the store's unuploaded keys first, generate the rest from
// nextPreKeyId(), send buildPreKeyUpload(), mark them uploaded on the result.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/protocol/binary/node.h"
#include "core/signal/signal_keys.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::session {

inline constexpr std::string_view kEncryptXmlns = "encrypt";

// How many one-time prekeys to keep on the server.
//
// whatsmeow (prekeys.go, connectionevents.go, notification.go): MinPreKeyCount = 5 and
// WantedPreKeyCount = 50; on connect it uploads when the server count (or its own count of
// uploaded keys) is below 5 — 812 keys when both are 0 (the first upload), 50 otherwise — and
// on a <notification type="encrypt"><count value=N/> with N < 5 it uploads 50.
// Baileys (Defaults: MIN_PREKEY_COUNT = 5, INITIAL_PREKEY_COUNT = 812; socket.ts
// uploadPreKeysToServerIfRequired): 812 when the server has 0, else it tops up with only
// MIN_PREKEY_COUNT = 5 keys, also on the notification (count < 5).
//
// Chorus: 812 when the server has none (a fresh link, or the server lost them: WhatsApp Web's
// own first batch, which lets many contacts start sessions before the next login), and a
// refill of 50 when the count drops below 5 (whatsmeow's batch; Baileys' 5-key refill would
// bring the next low-count notification after a handful of new contacts).
struct PreKeyPolicy {
  std::size_t minServerCount = 5;
  std::size_t refillBatch = 50;
  std::size_t initialBatch = 812;

  // Keys the next upload should carry given the server's count: 0 when it has enough.
  [[nodiscard]] std::size_t toUpload(std::size_t serverCount) const noexcept;
};

// Signed prekey rotation. whatsmeow never rotates (signed prekey 1 from linking, forever).
// Baileys has rotateSignedPreKey() (<iq xmlns="encrypt" type="set"><rotate><skey/></rotate>)
// but nothing calls it on a schedule, and its store answers every signed-prekey id with the
// current key, so a pkmsg built on the previous key fails after a rotation. Signal's own
// clients rotate every few days and keep old signed prekeys around for weeks.
// Chorus rotates weekly and keeps the replaced key for store::kRetiredSignedPreKeyGrace (30
// days: how long the server holds undelivered messages), so in-flight pkmsgs still decrypt.
inline constexpr Millis kSignedPreKeyRotation = std::chrono::days(7);

// True once the current signed prekey is kSignedPreKeyRotation old (or from the future: a clock
// that jumped back must not pin a key forever). For the key made at linking, `createdAt` is the
// linking time.
[[nodiscard]] bool shouldRotateSignedPreKey(TimePoint createdAt, TimePoint now) noexcept;

// <iq to="s.whatsapp.net" type="get" id=… xmlns="encrypt"><count/></iq>
[[nodiscard]] binary::Node buildPreKeyCountQuery(std::string id);
// The N of <iq type="result"><count value="N"/></iq>. Errc::Protocol for anything else (an
// error iq, a missing or non-numeric value).
[[nodiscard]] Result<std::size_t> parsePreKeyCount(const binary::Node& resultIq);

// <iq to="s.whatsapp.net" type="set" id=… xmlns="encrypt">
//   <registration>4 bytes BE</registration> <type>05</type> <identity>32</identity>
//   <list> <key><id>3 bytes BE</id><value>32</value></key> … </list>
//   <skey><id>3 bytes BE</id><value>32</value><signature>64</signature></skey>
// </iq>
// Same children and order as whatsmeow's uploadPreKeys and Baileys' getNextPreKeysNode. Only
// public halves are read from `signedPreKey`. Errc::InvalidArgument for keys of the wrong size
// and ids outside 1..0xFFFFFF (the signed prekey's 0..0xFFFFFF).
[[nodiscard]] Result<binary::Node> buildPreKeyUpload(
    std::string id, std::uint32_t registrationId, BytesView identityPublic,
    const signal::SignedPreKey& signedPreKey,
    std::span<const signal::PreKeyBundle::OneTimePreKey> preKeys);

// Baileys' rotateSignedPreKey stanza: <iq type="set" xmlns="encrypt"><rotate><skey>…</skey>
// </rotate></iq>. (chorus-sim does not know it yet; an upload carrying the new <skey> also
// replaces the server's signed prekey there.)
[[nodiscard]] Result<binary::Node> buildSignedPreKeyRotation(
    std::string id, const signal::SignedPreKey& signedPreKey);

// The count of a server's low-prekey notification,
// <notification from="s.whatsapp.net" type="encrypt"><count value="N"/></notification>;
// nullopt for anything else (an identity change from a user is also type="encrypt").
[[nodiscard]] std::optional<std::size_t> preKeyNotificationCount(const binary::Node& node);
// True when `node` is that notification and N is below the policy's minimum.
[[nodiscard]] bool isLowPreKeyNotification(const binary::Node& node,
                                           const PreKeyPolicy& policy = {});

}  // namespace chorus::core::session
