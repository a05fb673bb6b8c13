#include "app/sim/sim_sessions.h"

#include <array>
#include <cstdio>
#include <utility>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_key_index.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_sqlite.h"
#include "app/sim/sim_stanzas.h"
#include "core/protocol/jid/jid.h"
#include "proto/client_payload.pb.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::Status;
using core::binary::Children;
using core::binary::Node;

// <failure reason=…> codes (§4.7).
constexpr int kTemporaryBan = 402;
constexpr int kLocked = 403;
constexpr int kOutdated = 405;
constexpr int kBanned = 406;
constexpr int kMinBanCode = 101;
constexpr int kMaxBanCode = 106;
constexpr std::chrono::milliseconds kMinQrLife{100};
constexpr std::chrono::milliseconds kMaxQrLife{600'000};
constexpr std::size_t kNotificationIdBytes = 8;

// Bans live in their own table, created on demand, outside SimRegistry's numbered migrations.
constexpr auto kCreateBans = R"(
  CREATE TABLE IF NOT EXISTS bans(
    phone TEXT PRIMARY KEY,
    reason INTEGER NOT NULL,
    code INTEGER NOT NULL,
    expires_at INTEGER NOT NULL))";

using Version = std::array<std::uint32_t, 3>;

std::optional<Version> parseVersion(const std::string& text) {
  Version v{};
  int used = 0;
  if (std::sscanf(text.c_str(), "%u.%u.%u%n", &v[0], &v[1], &v[2], &used) != 3 ||
      static_cast<std::size_t>(used) != text.size()) {
    return std::nullopt;
  }
  return v;
}

core::jid::Jid deviceJid(std::string_view phone, std::uint32_t device) {
  core::jid::Jid jid;
  jid.user = std::string(phone);
  jid.server = std::string(core::jid::kUserServer);
  jid.device = static_cast<std::uint16_t>(device);
  jid.form = core::jid::JidForm::AD;
  return jid;
}

}  // namespace

SimSessions::SimSessions(SimHub& hub) : hub_(hub) {}

Status SimSessions::open() {
  return sqlExec(hub_.registry().db(), kCreateBans);
}

Status SimSessions::setConfig(SimConfig config) {
  for (const auto life : {config.qrFirst, config.qrNext}) {
    if (life < kMinQrLife || life > kMaxQrLife) {
      return fail(Errc::InvalidArgument, "QR durations must be 100 to 600000 ms");
    }
  }
  if (!config.minVersion.empty() && !parseVersion(config.minVersion)) {
    return fail(Errc::InvalidArgument, "min_version must look like 2.3000.1019707846");
  }
  config_ = std::move(config);
  return core::ok();
}

Status SimSessions::unlink(std::string_view phone, std::uint32_t device) {
  const DeviceRecord* record = hub_.registry().findDevice(phone, device);
  if (!record) return fail(Errc::NotFound, "no such device");
  const std::uint32_t keyIndex = record->keyIndex;
  CHORUS_CHECK(hub_.registry().removeDevice(phone, device));
  hub_.log().info("sim", "device " + core::maskPhone(std::string(phone)) + ":" +
                             std::to_string(device) + " unlinked");
  if (SimConnection* live = hub_.findDevice(phone, device)) {
    live->endWith(stanza::streamDeviceRemoved(), "device removed");
  }
  notifyDevices(phone, "remove", device, keyIndex);
  return core::ok();
}

Status SimSessions::takeOver(std::string_view phone, std::uint32_t device) {
  SimConnection* live = hub_.findDevice(phone, device);
  if (!live) return fail(Errc::NotFound, "the device is not connected");
  live->endWith(stanza::streamReplaced(), "taken over (control API)");
  return core::ok();
}

Status SimSessions::ban(SimBan ban) {
  if (ban.reason != kTemporaryBan && ban.reason != kLocked && ban.reason != kBanned) {
    return fail(Errc::InvalidArgument, "reason must be 402, 403 or 406");
  }
  if (ban.reason == kTemporaryBan &&
      (ban.code < kMinBanCode || ban.code > kMaxBanCode || ban.expiresAt <= hub_.nowSeconds())) {
    return fail(Errc::InvalidArgument, "a 402 needs code 101-106 and expire > 0 seconds");
  }
  if (!hub_.registry().findAccount(ban.phone)) return fail(Errc::NotFound, "no such account");
  CHORUS_CHECK(open());
  SqlStatement st(hub_.registry().db(),
                  "INSERT OR REPLACE INTO bans(phone, reason, code, expires_at) "
                  "VALUES(?1, ?2, ?3, ?4)");
  if (!st.ok()) return st.error("storing a ban");
  st.bind(1, ban.phone);
  st.bind(2, static_cast<std::int64_t>(ban.reason));
  st.bind(3, static_cast<std::int64_t>(ban.code));
  st.bind(4, ban.expiresAt);
  CHORUS_CHECK(st.run("storing a ban"));
  hub_.log().info("sim", "account " + core::maskPhone(ban.phone) + " banned (" +
                             std::to_string(ban.reason) + ")");
  for (const DeviceRecord* device : hub_.registry().devicesOf(ban.phone)) {
    if (SimConnection* live = hub_.findDevice(ban.phone, device->device)) {
      live->endWith(failureFor(ban), "banned (" + std::to_string(ban.reason) + ")");
    }
  }
  return core::ok();
}

Status SimSessions::lift(std::string_view phone) {
  if (!banOf(phone)) return fail(Errc::NotFound, "the account is not banned");
  SqlStatement st(hub_.registry().db(), "DELETE FROM bans WHERE phone = ?1");
  if (!st.ok()) return st.error("lifting a ban");
  st.bind(1, phone);
  return st.run("lifting a ban");
}

std::optional<SimBan> SimSessions::banOf(std::string_view phone) {
  SqlStatement st(hub_.registry().db(),
                  "SELECT reason, code, expires_at FROM bans WHERE phone = ?1");
  if (!st.ok()) return std::nullopt;  // no table yet: nobody was ever banned
  st.bind(1, phone);
  if (!st.stepRow()) return std::nullopt;
  SimBan ban{std::string(phone), static_cast<int>(st.integer(0)), static_cast<int>(st.integer(1)),
             st.integer(2)};
  if (ban.expiresAt != 0 && ban.expiresAt <= hub_.nowSeconds()) {
    SqlStatement drop(hub_.registry().db(), "DELETE FROM bans WHERE phone = ?1");
    if (drop.ok()) {
      drop.bind(1, phone);
      (void)drop.run("dropping an expired ban");
    }
    return std::nullopt;
  }
  return ban;
}

Node SimSessions::failureFor(const SimBan& ban) const {
  Node node = stanza::failure(ban.reason);
  if (ban.reason == kTemporaryBan) {
    node.set("code", std::to_string(ban.code))
        .set("expire",
             std::to_string(std::max<std::int64_t>(ban.expiresAt - hub_.nowSeconds(), 1)));
  }
  return node;
}

std::optional<Node> SimSessions::loginRefusal(std::string_view phone,
                                              const proto::ClientPayload& payload) {
  if (const auto minimum = parseVersion(config_.minVersion)) {
    const auto& app = payload.useragent().appversion();
    const Version version{app.primary(), app.secondary(), app.tertiary()};
    if (version < *minimum) return stanza::failure(kOutdated);
  }
  if (const auto ban = banOf(phone)) return failureFor(*ban);
  return std::nullopt;
}

void SimSessions::notifyDevices(std::string_view phone, std::string_view action,
                                std::uint32_t device, std::uint32_t keyIndex) {
  const AccountRecord* account = hub_.registry().findAccount(phone);
  if (!account) return;
  Node entry{"device", {}, {}};
  entry.set("jid", deviceJid(phone, device));
  if (keyIndex != 0) entry.set("key-index", std::to_string(keyIndex));
  Children parts{std::move(entry)};
  const auto devices = hub_.registry().devicesOf(phone);
  if (account->hasPhone()) {
    if (auto list = keyIndexList(*account, devices, hub_.nowSeconds(), hub_.random())) {
      parts.push_back(std::move(*list));
    }
  }
  const Node change = stanza::parent(std::string(action), std::move(parts));
  for (const DeviceRecord* other : devices) {
    if (other->device == device) continue;
    core::jid::Jid user = deviceJid(phone, 0).toNonDevice();
    Node notification{"notification", {}, Children{change}};
    notification.set("from", std::move(user))
        .set("type", std::string("devices"))
        .set("id", core::toHex(hub_.random().bytes(kNotificationIdBytes)))
        .set("t", std::to_string(hub_.nowSeconds()));
    if (auto queued = hub_.deliver(phone, other->device, notification); !queued) {
      hub_.log().warn("sim", "devices notification not queued: " + core::describe(queued.error()));
    }
  }
  // Contacts cache device lists too: the server tells those who may write to this number.
  // The simulator has no contact lists, so every other connected number hears of it.
  Node forContacts{"notification", {}, Children{change}};
  forContacts.set("from", deviceJid(phone, 0).toNonDevice())
      .set("type", std::string("devices"))
      .set("t", std::to_string(hub_.nowSeconds()));
  for (SimConnection* c : hub_.connections()) {
    if (c->kind() != SimConnection::Kind::Device || !c->isOpen() || c->phone() == phone) continue;
    forContacts.set("id", core::toHex(hub_.random().bytes(kNotificationIdBytes)));
    if (auto queued = hub_.deliver(c->phone(), c->device(), forContacts); !queued) {
      hub_.log().warn("sim", "devices notification not queued: " + core::describe(queued.error()));
    }
  }
}

}  // namespace chorus::sim
