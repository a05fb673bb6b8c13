#include "app/sim/sim_iq_handlers.h"

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_pairing.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/protocol/jid/jid.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::LogLevel;
using core::Status;
using core::binary::Children;
using core::binary::Node;

constexpr int kBadRequest = 400;
constexpr int kNotImplemented = 501;
constexpr std::size_t kMediaAuthBytes = 24;
// media_conn (§8.4): whatsmeow requires all four attributes.
constexpr auto kMediaTtl = "300";
constexpr auto kMediaAuthTtl = "21600";
constexpr auto kMediaMaxBuckets = "12";
constexpr auto kMediaHost = "mmg.whatsapp.net";
// Privacy categories a fresh account reports (Baileys reads them into a dictionary).
constexpr std::pair<const char*, const char*> kPrivacy[] = {
    {"last", "all"},       {"online", "all"},      {"profile", "all"},
    {"status", "all"},     {"groupadd", "all"},    {"readreceipts", "all"},
    {"calladd", "all"},    {"messages", "all"},
};

Node named(std::string tag, std::string name, std::string value) {
  Node node{std::move(tag), {}, {}};
  node.set("name", std::move(name)).set("value", std::move(value));
  return node;
}

}  // namespace

SimIqHandlers::SimIqHandlers(SimHub& hub)
    : hub_(hub), mediaAuth_(core::toBase64Url(hub.random().bytes(kMediaAuthBytes))) {}

Status SimIqHandlers::handle(SimConnection& c, const Node& iq) {
  const auto type = iq.attrText("type");
  const auto id = iq.attrText("id");
  if (!id || id->empty() || (type != "get" && type != "set")) {
    return c.send(stanza::iqError(id, kBadRequest, "bad-request"));
  }
  const std::string xmlns = iq.attrText("xmlns").value_or("");
  if (xmlns == "w:p" || xmlns == "passive") return c.send(stanza::iqResult(*id));
  if (xmlns == "md" && iq.child("link_code_companion_reg")) {  // §7, before login
    return hub_.pairing().onLinkCode(c, *id, iq);
  }
  if (c.kind() == SimConnection::Kind::Device) {
    if (xmlns == "encrypt") return encrypt(c, *id, iq);
    if (xmlns == "usync") return usync(c, *id, iq);
    if (xmlns == "w:g2") return groups(c, *id, iq);
    if (xmlns == "w:m" && iq.child("media_conn")) return mediaConn(c, *id);
    if (xmlns == "privacy") return privacy(c, *id, iq);
    if (xmlns == "w:sync:app:state") return appState(c, *id, iq);
    if (xmlns == "md") return md(c, *id, iq);
    if (xmlns == "w" && iq.child("props")) {
      Node result = stanza::iqResult(*id);
      Node props{"props", {}, Children{}};
      props.set("protocol", std::string("2")).set("hash", std::string("sim"));
      result.content = Children{std::move(props)};
      return c.send(result);
    }
    if (xmlns == "blocklist") {
      Node result = stanza::iqResult(*id);
      if (type == "get") result.content = Children{stanza::parent("list", {})};
      return c.send(result);
    }
    if (xmlns == "urn:xmpp:whatsapp:dirty" || xmlns == "w:stats") {
      return c.send(stanza::iqResult(*id));
    }
  }
  c.logLine(LogLevel::Info, "iq xmlns=\"" + xmlns + "\" is not implemented: 501");
  return c.send(stanza::iqError(id, kNotImplemented, "feature-not-implemented"));
}

// The MediaHost's "127.0.0.1:PORT" and token when one runs (always in chorus-sim), else a
// placeholder host that no upload reaches.
Status SimIqHandlers::mediaConn(SimConnection& c, const std::string& id) {
  const SimHub::MediaEndpoint& media = hub_.mediaEndpoint();
  const bool hosted = !media.hostname.empty();
  Node host{"host", {}, {}};
  host.set("hostname", hosted ? media.hostname : std::string(kMediaHost));
  Node conn{"media_conn", {}, Children{std::move(host)}};
  conn.set("auth", hosted ? media.auth : mediaAuth_)
      .set("ttl", std::string(kMediaTtl))
      .set("auth_ttl", std::string(kMediaAuthTtl))
      .set("max_buckets", std::string(kMediaMaxBuckets));
  Node result = stanza::iqResult(id);
  result.content = Children{std::move(conn)};
  return c.send(result);
}

Status SimIqHandlers::privacy(SimConnection& c, const std::string& id, const Node& iq) {
  Node result = stanza::iqResult(id);
  if (iq.attrText("type") == "get") {
    Children categories;
    for (const auto& [name, value] : kPrivacy) categories.push_back(named("category", name, value));
    result.content = Children{stanza::parent("privacy", std::move(categories))};
  }
  return c.send(result);
}

// Every requested collection is empty at version 0: this simulator keeps no app state yet.
Status SimIqHandlers::appState(SimConnection& c, const std::string& id, const Node& iq) {
  const Node* sync = iq.child("sync");
  if (!sync) return fail(Errc::Protocol, "w:sync:app:state iq without <sync>");
  Children collections;
  for (const Node* requested : stanza::childrenNamed(*sync, "collection")) {
    const auto name = requested->attrText("name");
    if (!name || name->empty()) return fail(Errc::Protocol, "app state collection without name");
    Node collection{"collection", {}, {}};
    collection.set("name", *name).set("version", std::string("0"));
    collections.push_back(std::move(collection));
  }
  Node result = stanza::iqResult(id);
  result.content = Children{stanza::parent("sync", std::move(collections))};
  return c.send(result);
}

// <remove-companion-device jid=… reason=…/> (§13): the device unlinks itself (or another of the
// account's companions). The result goes out first; then the device is forgotten and its live
// connection ends with <stream:error code="401"><conflict type="device_removed"/>.
Status SimIqHandlers::md(SimConnection& c, const std::string& id, const Node& iq) {
  const Node* remove = iq.child("remove-companion-device");
  if (!remove) {
    return c.send(stanza::iqError(id, kNotImplemented, "feature-not-implemented"));
  }
  const auto text = remove->attrText("jid");
  auto target = text ? core::jid::parse(*text) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  if (!target || target->user != c.phone() || target->device == 0) {
    return fail(Errc::Protocol, "remove-companion-device for another account or the phone");
  }
  CHORUS_CHECK(c.send(stanza::iqResult(id)));
  if (!hub_.registry().findDevice(target->user, target->device)) return core::ok();
  c.logLine(LogLevel::Info, "remove-companion-device " + std::to_string(target->device));
  return hub_.sessions().unlink(target->user, target->device);  // device_removed, notifications
}

}  // namespace chorus::sim
