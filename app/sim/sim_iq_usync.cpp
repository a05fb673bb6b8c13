// The `usync` namespace (§8.5): device lists (device 0 = the phone, companions with their ADV
// key-index, plus a signed key-index list), contact and lid protocols. Other protocols in the
// query are left out of the answer.
#include <algorithm>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_iq_handlers.h"
#include "app/sim/sim_key_index.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/jid/jid.h"
#include "proto/adv.pb.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::Errc;
using core::fail;
using core::Status;
using core::binary::Children;
using core::binary::Node;

constexpr std::size_t kMaxUsers = 500;
}  // namespace

Status SimIqHandlers::usync(SimConnection& c, const std::string& id, const Node& iq) {
  const Node* request = iq.child("usync");
  const Node* query = request ? request->child("query") : nullptr;
  const Node* list = request ? request->child("list") : nullptr;
  if (!query || !list) return fail(Errc::Protocol, "usync iq without <query> and <list>");
  const bool wantDevices = query->child("devices") != nullptr;
  const bool wantContact = query->child("contact") != nullptr;
  const bool wantLid = query->child("lid") != nullptr;
  const auto requested = stanza::childrenNamed(*list, "user");
  if (requested.size() > kMaxUsers) return fail(Errc::Protocol, "usync for too many users");

  Children users;
  for (const Node* user : requested) {
    const auto text = user->attrText("jid");
    if (!text) continue;  // phone-number lookups (<contact>+…</contact>) are not simulated
    auto jid = core::jid::parse(*text);
    if (!jid) return fail(Errc::Protocol, "usync for a malformed user jid");
    if (jid->server != core::jid::kUserServer) continue;  // LID users are not simulated yet
    const core::jid::Jid userJid = jid->toNonDevice();
    const AccountRecord* account = hub_.registry().findAccount(userJid.user);
    Children parts;
    if (wantDevices) {
      Children deviceList;
      const auto devices = hub_.registry().devicesOf(userJid.user);
      if (account) {
        Node phone{"device", {}, {}};
        phone.set("id", std::string("0"));
        deviceList.push_back(std::move(phone));
      }
      for (const DeviceRecord* device : devices) {
        Node entry{"device", {}, {}};
        entry.set("id", std::to_string(device->device));
        if (device->keyIndex != 0) entry.set("key-index", std::to_string(device->keyIndex));
        deviceList.push_back(std::move(entry));
      }
      Children deviceParts{stanza::parent("device-list", std::move(deviceList))};
      if (account && account->hasPhone()) {
        CHORUS_TRY(signedList, keyIndexList(*account, devices, hub_.nowSeconds(), hub_.random()));
        deviceParts.push_back(std::move(signedList));
      }
      parts.push_back(stanza::parent("devices", std::move(deviceParts)));
    }
    if (wantContact) {
      Node contact{"contact", {}, {}};
      contact.set("type", std::string(account ? "in" : "out"));
      parts.push_back(std::move(contact));
    }
    if (wantLid && account && !account->lid.empty()) {
      Node lid{"lid", {}, {}};
      core::jid::Jid lidJid;
      lidJid.user = account->lid;
      lidJid.server = std::string(core::jid::kLidServer);
      lid.set("val", lidJid);
      parts.push_back(std::move(lid));
    }
    Node out{"user", {}, std::move(parts)};
    out.set("jid", userJid);
    users.push_back(std::move(out));
  }

  Node answer{"usync", request->attrs, Children{}};
  Children resultParts;
  if (const Children* protocols = query->children()) {
    for (const Node& protocol : *protocols) resultParts.push_back(Node{protocol.tag, {}, {}});
  }
  std::get<Children>(answer.content).push_back(stanza::parent("result", std::move(resultParts)));
  std::get<Children>(answer.content).push_back(stanza::parent("list", std::move(users)));
  Node result = stanza::iqResult(id);
  result.content = Children{std::move(answer)};
  return c.send(result);
}

}  // namespace chorus::sim
