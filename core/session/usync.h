// Device lists (protocol §8.5, §9.2): the usync device query, its result, and the
// <notification type="devices"> changes that keep a cached list current. Pure functions over
// nodes; caching, the iq id and the sid are the caller's.
//
// Facts (whatsmeow user.go usync/GetUserDevices/parseDeviceList, notification.go
// handleDeviceNotification; Baileys WAUSync/USyncQuery + Protocols/USyncDeviceProtocol,
// Utils/signal.ts extractDeviceJids):
//  * the query is <usync sid mode="query" last="true" index="0" context="message"> with
//    <query><devices version="2"/></query> and non-device user JIDs in <list>;
//  * a result user carries <devices><device-list><device id [key-index] [is_hosted]/>…
//    </device-list>[<key-index-list ts [expected_ts]>signed bytes</key-index-list>]</devices>;
//  * Baileys drops non-zero devices without key-index; both drop the sending device itself.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/protocol/jid/jid.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::session {

inline constexpr std::size_t kMaxUsyncUsers = 500;     // per query and per result
inline constexpr std::size_t kMaxDevicesPerUser = 64;  // phone + companions (+ hosted)
inline constexpr std::uint16_t kMaxDeviceId = 255;     // AD_JID carries the device in a byte
inline constexpr std::size_t kMaxDeviceChanges = 64;   // children of one devices notification

struct DeviceEntry {
  std::uint16_t id = 0;                   // 0 = the phone
  std::optional<std::uint32_t> keyIndex;  // ADV key index (absent for the phone)
  bool hosted = false;                    // is_hosted="true": a hosted (cloud API) device
  [[nodiscard]] bool operator==(const DeviceEntry&) const = default;
};

// <key-index-list ts=… [expected_ts=…]>ADVSignedKeyIndexList bytes</key-index-list>
struct KeyIndexList {
  std::int64_t timestamp = 0;
  std::optional<std::int64_t> expectedTimestamp;
  Bytes signedList;  // not verified here (neither reference client verifies it)
  [[nodiscard]] bool operator==(const KeyIndexList&) const = default;
};

struct UserDeviceList {
  jid::Jid user;  // non-device user JID as the server named it
  std::vector<DeviceEntry> devices;
  std::optional<KeyIndexList> keyIndex;
  // A per-user <error code=…> inside <devices>: the list is empty and this is set.
  std::optional<int> errorCode;
};

// <iq xmlns="usync" type="get" to="s.whatsapp.net" id=ID><usync sid=SID mode="query"
// last="true" index="0" context="message"><query><devices version="2"/></query>
// <list><user jid=U/>…</list></usync></iq>. Users are reduced to non-device JIDs and
// de-duplicated (first occurrence kept). InvalidArgument for an empty list, more than
// kMaxUsyncUsers, an empty id/sid or a JID that is not a user (s.whatsapp.net or lid).
[[nodiscard]] Result<binary::Node> buildDeviceListQuery(std::string id, std::string sid,
                                                        std::span<const jid::Jid> users);

// The <iq type="result"> answer. Users without <devices> are skipped. Protocol for an error
// iq, a missing <usync>/<list>, a user without a user JID, a device id that is missing, not a
// number or over kMaxDeviceId, a bad key-index, duplicate device ids, or more than
// kMaxUsyncUsers users / kMaxDevicesPerUser devices.
[[nodiscard]] Result<std::vector<UserDeviceList>> parseDeviceListResult(const binary::Node& iq);

// The device JID of `user` (non-device) with `device`: AD form for devices > 0, as whatsmeow
// encodes them; hosted devices move to hosted / hosted.lid.
[[nodiscard]] jid::Jid deviceJid(const jid::Jid& user, std::uint16_t device, bool hosted = false);

// The devices a message fans out to (§9.2): every listed device except `self` (our own
// sending device), dropping non-zero devices without key-index (Baileys' rule: the server
// refuses them) and, with `dropHosted` (groups, as whatsmeow does), hosted devices.
[[nodiscard]] std::vector<jid::Jid> fanOutDevices(std::span<const UserDeviceList> lists,
                                                  const jid::Jid& self, bool dropHosted = false);

// <notification type="devices" from=USER [lid=…] id t><add|remove|update …>…</…></notification>
enum class DeviceChangeKind : std::uint8_t { Add, Remove, Update };

struct ChangedDevice {
  jid::Jid jid;  // the device JID
  std::optional<std::uint32_t> keyIndex;
  [[nodiscard]] bool operator==(const ChangedDevice&) const = default;
};

struct DeviceChange {
  DeviceChangeKind kind = DeviceChangeKind::Update;
  std::vector<ChangedDevice> devices;  // add/remove: the devices; update: usually none
  std::string deviceHash;              // device_hash (or hash) attribute, may be empty
  std::optional<KeyIndexList> keyIndex;
};

struct DevicesNotification {
  std::string id;
  jid::Jid from;  // the user whose list changed (non-device)
  std::optional<jid::Jid> lid;
  std::int64_t timestamp = 0;
  std::vector<DeviceChange> changes;  // unknown child tags are skipped (whatsmeow)
};

// Protocol when the tag/type is not a devices notification, id/from are missing, `from` is not
// a user, a listed device belongs to another user, a device JID is malformed, or there are more
// than kMaxDeviceChanges changes / kMaxDevicesPerUser devices in one change.
[[nodiscard]] Result<DevicesNotification> parseDevicesNotification(const binary::Node& node);

}  // namespace chorus::core::session
