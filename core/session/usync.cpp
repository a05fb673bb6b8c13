#include "core/session/usync.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>
#include <utility>

#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

constexpr std::string_view kUsyncNamespace = "usync";
constexpr std::string_view kUsyncMode = "query";
constexpr std::string_view kUsyncContext = "message";
constexpr std::string_view kDevicesVersion = "2";
constexpr auto kMaxTimestamp = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

using binary::Children;
using binary::Node;

Node leafNode(std::string tag) {
  Node node;
  node.tag = std::move(tag);
  return node;
}

Node parentNode(std::string tag, Children children) {
  Node node;
  node.tag = std::move(tag);
  node.content = std::move(children);
  return node;
}

std::vector<const Node*> childrenNamed(const Node& node, std::string_view tag) {
  std::vector<const Node*> out;
  if (const Children* children = node.children()) {
    for (const Node& child : *children) {
      if (child.tag == tag) out.push_back(&child);
    }
  }
  return out;
}

Result<std::optional<KeyIndexList>> parseKeyIndexList(const Node& parent) {
  const Node* list = parent.child("key-index-list");
  if (!list) return std::optional<KeyIndexList>{};
  bool ok = true;
  const auto ts = numberAttr(*list, "ts", kMaxTimestamp, ok);
  const auto expected = numberAttr(*list, "expected_ts", kMaxTimestamp, ok);
  if (!ok || !ts) return fail(Errc::Protocol, "key-index-list without a usable ts");
  KeyIndexList out;
  out.timestamp = static_cast<std::int64_t>(*ts);
  if (expected) out.expectedTimestamp = static_cast<std::int64_t>(*expected);
  if (const auto bytes = contentBytes(*list)) out.signedList.assign(bytes->begin(), bytes->end());
  return std::optional<KeyIndexList>{std::move(out)};
}

std::optional<int> errorCode(const Node& node) {
  const Node* error = node.child("error");
  if (!error) return std::nullopt;
  bool ok = true;
  const auto code = numberAttr(*error, "code", 999, ok);
  return (ok && code) ? static_cast<int>(*code) : 0;
}

Result<UserDeviceList> parseUser(const Node& user) {
  const auto userJid = jidAttr(user, "jid");
  if (!userJid || !isUserJid(*userJid)) {
    return fail(Errc::Protocol, "usync result user without a user jid");
  }
  UserDeviceList out;
  out.user = userJid->toNonDevice();
  const Node* devices = user.child("devices");
  if (!devices) return out;
  out.errorCode = errorCode(*devices);
  if (out.errorCode) return out;
  const Node* deviceList = devices->child("device-list");
  if (!deviceList) return fail(Errc::Protocol, "usync <devices> without <device-list>");
  const auto entries = childrenNamed(*deviceList, "device");
  if (entries.size() > kMaxDevicesPerUser)
    return fail(Errc::Protocol, "too many devices for a user");
  std::set<std::uint16_t> seen;
  for (const Node* entry : entries) {
    bool ok = true;
    const auto id = numberAttr(*entry, "id", kMaxDeviceId, ok);
    const auto keyIndex =
        numberAttr(*entry, "key-index", std::numeric_limits<std::uint32_t>::max(), ok);
    if (!ok || !id) return fail(Errc::Protocol, "usync device without a usable id/key-index");
    DeviceEntry device;
    device.id = static_cast<std::uint16_t>(*id);
    if (keyIndex) device.keyIndex = static_cast<std::uint32_t>(*keyIndex);
    device.hosted = entry->attrText("is_hosted") == "true";
    if (!seen.insert(device.id).second) return fail(Errc::Protocol, "duplicate device id in usync");
    out.devices.push_back(device);
  }
  CHORUS_TRY(keyIndex, parseKeyIndexList(*devices));
  out.keyIndex = std::move(keyIndex);
  return out;
}

Result<ChangedDevice> parseChangedDevice(const Node& device, const jid::Jid& owner,
                                         const std::optional<jid::Jid>& lid) {
  const auto deviceJid = jidAttr(device, "jid");
  if (!deviceJid || !isUserJid(*deviceJid)) {
    return fail(Errc::Protocol, "devices notification entry without a device jid");
  }
  const bool ownerMatches = deviceJid->user == owner.user && deviceJid->server == owner.server;
  const bool lidMatches = lid && deviceJid->user == lid->user && deviceJid->server == lid->server;
  if (!ownerMatches && !lidMatches) {
    return fail(Errc::Protocol, "devices notification names a device of another user");
  }
  bool ok = true;
  const auto keyIndex =
      numberAttr(device, "key-index", std::numeric_limits<std::uint32_t>::max(), ok);
  if (!ok) return fail(Errc::Protocol, "devices notification entry with a bad key-index");
  ChangedDevice out;
  out.jid = *deviceJid;
  if (keyIndex) out.keyIndex = static_cast<std::uint32_t>(*keyIndex);
  return out;
}

}  // namespace

Result<binary::Node> buildDeviceListQuery(std::string id, std::string sid,
                                          std::span<const jid::Jid> users) {
  if (id.empty() || sid.empty()) return fail(Errc::InvalidArgument, "usync needs an id and a sid");
  if (users.empty()) return fail(Errc::InvalidArgument, "usync for no users");
  if (users.size() > kMaxUsyncUsers) return fail(Errc::InvalidArgument, "usync for too many users");
  Children list;
  std::vector<jid::Jid> added;
  for (const jid::Jid& user : users) {
    if (!isUserJid(user))
      return fail(Errc::InvalidArgument, "usync for a JID that is not a user");
    jid::Jid plain = user.toNonDevice();
    const bool duplicate = std::any_of(
        added.begin(), added.end(), [&](const jid::Jid& j) { return jid::sameAddress(j, plain); });
    if (duplicate) continue;
    added.push_back(plain);
    Node entry = leafNode("user");
    entry.set("jid", std::move(plain));
    list.push_back(std::move(entry));
  }

  Node devices = leafNode("devices");
  devices.set("version", std::string(kDevicesVersion));
  Node usync = parentNode("usync", Children{parentNode("query", Children{std::move(devices)}),
                                            parentNode("list", std::move(list))});
  usync.set("sid", std::move(sid))
      .set("mode", std::string(kUsyncMode))
      .set("last", std::string("true"))
      .set("index", std::string("0"))
      .set("context", std::string(kUsyncContext));

  Node iq = parentNode(std::string(kIqTag), Children{std::move(usync)});
  iq.set("xmlns", std::string(kUsyncNamespace))
      .set("type", std::string(kIqGet))
      .set("to", serverJid())
      .set("id", std::move(id));
  return iq;
}

Result<std::vector<UserDeviceList>> parseDeviceListResult(const binary::Node& iq) {
  if (iq.tag != kIqTag || iq.attrText("type") != kIqResult) {
    return fail(Errc::Protocol, "usync answer is not an iq result");
  }
  const Node* usync = iq.child("usync");
  const Node* list = usync ? usync->child("list") : nullptr;
  if (!list) return fail(Errc::Protocol, "usync result without <usync><list>");
  const auto users = childrenNamed(*list, "user");
  if (users.size() > kMaxUsyncUsers) return fail(Errc::Protocol, "usync result for too many users");
  std::vector<UserDeviceList> out;
  out.reserve(users.size());
  for (const Node* user : users) {
    CHORUS_TRY(parsed, parseUser(*user));
    if (!user->child("devices")) continue;
    out.push_back(std::move(parsed));
  }
  return out;
}

jid::Jid deviceJid(const jid::Jid& user, std::uint16_t device, bool hosted) {
  jid::Jid out = user.toNonDevice();
  out.device = device;
  if (hosted) {
    out.server =
        std::string(out.server == jid::kLidServer ? jid::kHostedLidServer : jid::kHostedServer);
  }
  out.form = (device > 0 || hosted) ? jid::JidForm::AD : jid::JidForm::Pair;
  return out;
}

std::vector<jid::Jid> fanOutDevices(std::span<const UserDeviceList> lists, const jid::Jid& self,
                                    bool dropHosted) {
  std::vector<jid::Jid> out;
  for (const UserDeviceList& list : lists) {
    for (const DeviceEntry& device : list.devices) {
      if (device.id != 0 && !device.keyIndex) continue;
      if (dropHosted && device.hosted) continue;
      jid::Jid target = deviceJid(list.user, device.id, device.hosted);
      if (jid::sameAddress(target, self)) continue;
      const bool duplicate = std::any_of(
          out.begin(), out.end(), [&](const jid::Jid& j) { return jid::sameAddress(j, target); });
      if (!duplicate) out.push_back(std::move(target));
    }
  }
  return out;
}

Result<DevicesNotification> parseDevicesNotification(const binary::Node& node) {
  if (node.tag != "notification" || node.attrText("type") != "devices") {
    return fail(Errc::Protocol, "not a devices notification");
  }
  DevicesNotification out;
  out.id = node.attrText("id").value_or("");
  const auto from = jidAttr(node, "from");
  if (out.id.empty() || !from || !isUserJid(*from)) {
    return fail(Errc::Protocol, "devices notification without id or user from");
  }
  out.from = from->toNonDevice();
  if (node.attr("lid")) {
    const auto lid = jidAttr(node, "lid");
    if (!lid || !isUserJid(*lid)) return fail(Errc::Protocol, "devices notification bad lid");
    out.lid = lid->toNonDevice();
  }
  bool ok = true;
  const auto t = numberAttr(node, "t", kMaxTimestamp, ok);
  if (!ok) return fail(Errc::Protocol, "devices notification with a bad t");
  out.timestamp = static_cast<std::int64_t>(t.value_or(0));

  const Children* children = node.children();
  if (!children) return out;
  if (children->size() > kMaxDeviceChanges) return fail(Errc::Protocol, "too many device changes");
  for (const Node& child : *children) {
    DeviceChange change;
    if (child.tag == "add") {
      change.kind = DeviceChangeKind::Add;
    } else if (child.tag == "remove") {
      change.kind = DeviceChangeKind::Remove;
    } else if (child.tag == "update") {
      change.kind = DeviceChangeKind::Update;
    } else {
      continue;
    }
    change.deviceHash = child.attrText("device_hash").value_or(child.attrText("hash").value_or(""));
    const auto devices = childrenNamed(child, "device");
    if (devices.size() > kMaxDevicesPerUser)
      return fail(Errc::Protocol, "too many devices in a change");
    for (const Node* device : devices) {
      CHORUS_TRY(changed, parseChangedDevice(*device, out.from, out.lid));
      change.devices.push_back(std::move(changed));
    }
    CHORUS_TRY(keyIndex, parseKeyIndexList(child));
    change.keyIndex = std::move(keyIndex);
    out.changes.push_back(std::move(change));
  }
  return out;
}

}  // namespace chorus::core::session
