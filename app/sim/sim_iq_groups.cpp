// The `w:g2` namespace (§10.1): create, metadata, participating, add/remove/promote/demote,
// leave and subject. Every change is announced to the members' devices (and to those removed)
// as <notification type="w:gp2" from=<group> participant=<actor>> with the change as its one
// child, queued until acked. Groups use PN addressing only (§10.3).
#include <algorithm>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_groups.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_iq_handlers.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/protocol/jid/jid.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::Status;
using core::binary::Children;
using core::binary::Node;

constexpr int kForbidden = 403;
constexpr int kNotFound = 404;
constexpr int kConflict = 409;
constexpr int kNotImplemented = 501;
constexpr std::size_t kMaxGroupSize = 256;
constexpr std::size_t kMaxSubject = 100;
constexpr std::size_t kGroupIdDigits = 12;
constexpr auto kGroupIdPrefix = "120363";
constexpr const char* kParticipantActions[] = {"add", "remove", "promote", "demote"};

core::jid::Jid userJid(const std::string& phone) {
  core::jid::Jid jid;
  jid.user = phone;
  jid.server = std::string(core::jid::kUserServer);
  return jid;
}

core::jid::Jid groupJid(const std::string& id) {
  core::jid::Jid jid;
  jid.user = id;
  jid.server = std::string(core::jid::kGroupServer);
  return jid;
}

Node participantNode(const std::string& phone, const char* role = "") {
  Node p{"participant", {}, {}};
  p.set("jid", userJid(phone));
  if (*role) p.set("type", std::string(role));
  return p;
}

Node groupNode(const GroupRecord& g) {
  Children participants;
  for (const GroupMember& m : g.members) {
    participants.push_back(participantNode(m.phone, groupRoleName(m.role)));
  }
  Node node{"group", {}, std::move(participants)};
  node.set("id", g.id)
      .set("subject", g.subject)
      .set("s_t", std::to_string(g.subjectTime))
      .set("s_o", userJid(g.subjectOwner))
      .set("creation", std::to_string(g.creation))
      .set("creator", userJid(g.creator))
      .set("addressing_mode", std::string("pn"))
      .set("size", std::to_string(g.members.size()));
  return node;
}

// The phone of a <participant jid=…> naming a phone-number user, or nullopt.
std::optional<std::string> participantPhone(const Node& p) {
  const auto text = p.attrText("jid");
  auto jid = text ? core::jid::parse(*text) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  if (!jid || jid->server != core::jid::kUserServer || jid->user.empty()) return std::nullopt;
  return jid->user;
}

Node withChildren(std::string tag, Children children) {
  return Node{std::move(tag), {}, std::move(children)};
}

}  // namespace

Status SimIqHandlers::notifyGroup(const GroupRecord& group, const std::vector<std::string>& extra,
                                  SimConnection& actor, Node change) {
  Node note{"notification", {}, Children{std::move(change)}};
  note.set("from", groupJid(group.id))
      .set("type", std::string("w:gp2"))
      .set("id", core::toHex(hub_.random().bytes(8)))
      .set("participant", userJid(actor.phone()))
      .set("t", std::to_string(hub_.nowSeconds()));
  std::vector<std::string> phones = extra;
  for (const GroupMember& m : group.members) phones.push_back(m.phone);
  std::sort(phones.begin(), phones.end());
  phones.erase(std::unique(phones.begin(), phones.end()), phones.end());
  for (const std::string& phone : phones) {
    for (const DeviceRecord* device : hub_.registry().devicesOf(phone)) {
      if (phone == actor.phone() && device->device == actor.device()) continue;
      CHORUS_CHECK(hub_.deliver(phone, device->device, note));
    }
  }
  return core::ok();
}

Status SimIqHandlers::groups(SimConnection& c, const std::string& id, const Node& iq) {
  const auto toText = iq.attrText("to");
  auto to = toText ? core::jid::parse(*toText) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
  if (!to || to->server != core::jid::kGroupServer) {
    return fail(Errc::Protocol, "w:g2 iq not addressed to g.us");
  }
  const bool isSet = iq.attrText("type") == "set";
  if (to->user.empty()) {
    if (!isSet && iq.child("participating")) {
      CHORUS_TRY(mine, hub_.groups().groupsOf(c.phone()));
      Children nodes;
      for (const GroupRecord& g : mine) nodes.push_back(groupNode(g));
      Node result = stanza::iqResult(id);
      result.content = Children{withChildren("groups", std::move(nodes))};
      return c.send(result);
    }
    if (isSet && iq.child("create")) return groupCreate(c, id, *iq.child("create"));
    if (isSet && iq.child("leave")) return groupLeave(c, id, *iq.child("leave"));
    return c.send(stanza::iqError(id, kNotImplemented, "feature-not-implemented"));
  }

  CHORUS_TRY(found, hub_.groups().find(to->user));
  if (!found) return c.send(stanza::iqError(id, kNotFound, "item-not-found"));
  GroupRecord group = std::move(*found);
  if (!group.member(c.phone())) return c.send(stanza::iqError(id, kForbidden, "forbidden"));
  if (!isSet && iq.child("query")) {
    Node result = stanza::iqResult(id);
    result.content = Children{groupNode(group)};
    return c.send(result);
  }
  if (isSet) {
    for (const char* action : kParticipantActions) {
      if (const Node* request = iq.child(action)) {
        return groupParticipants(c, id, std::move(group), *request);
      }
    }
    if (const Node* subject = iq.child("subject")) {
      const core::Bytes* bytes = subject->bytes();
      const std::string text = bytes ? std::string(core::asString(*bytes))
                                     : subject->text() ? *subject->text() : std::string();
      if (text.empty() || text.size() > kMaxSubject) return fail(Errc::Protocol, "bad subject");
      group.subject = text;
      group.subjectOwner = c.phone();
      group.subjectTime = hub_.nowSeconds();
      CHORUS_CHECK(hub_.groups().put(group));
      CHORUS_CHECK(c.send(stanza::iqResult(id)));
      Node change{"subject", {}, {}};
      change.set("subject", text).set("s_t", std::to_string(group.subjectTime))
          .set("s_o", userJid(c.phone()));
      return notifyGroup(group, {}, c, std::move(change));
    }
  }
  return c.send(stanza::iqError(id, kNotImplemented, "feature-not-implemented"));
}

Status SimIqHandlers::groupCreate(SimConnection& c, const std::string& id, const Node& create) {
  const std::string subject = create.attrText("subject").value_or("");
  if (subject.empty() || subject.size() > kMaxSubject) return fail(Errc::Protocol, "bad subject");
  const auto requested = stanza::childrenNamed(create, "participant");
  if (requested.size() > kMaxGroupSize) return fail(Errc::Protocol, "group too large");
  GroupRecord group;
  do {
    group.id = kGroupIdPrefix;
    for (std::size_t i = 0; i < kGroupIdDigits; ++i) {
      group.id += static_cast<char>('0' + hub_.random().uniform(10));
    }
    CHORUS_TRY(clash, hub_.groups().find(group.id));
    if (!clash) break;
  } while (true);
  group.subject = subject;
  group.creator = group.subjectOwner = c.phone();
  group.creation = group.subjectTime = hub_.nowSeconds();
  group.members.push_back({c.phone(), GroupRole::SuperAdmin});
  for (const Node* p : requested) {
    const auto phone = participantPhone(*p);
    if (!phone || !hub_.registry().findAccount(*phone) || group.member(*phone)) continue;
    group.members.push_back({*phone, GroupRole::Member});
  }
  CHORUS_CHECK(hub_.groups().put(group));
  c.logLine(core::LogLevel::Info, "group created with " + std::to_string(group.members.size()) +
                                      " members");
  Node result = stanza::iqResult(id);
  result.content = Children{groupNode(group)};
  CHORUS_CHECK(c.send(result));
  return notifyGroup(group, {}, c, withChildren("create", Children{groupNode(group)}));
}

Status SimIqHandlers::groupLeave(SimConnection& c, const std::string& id, const Node& leave) {
  Children left;
  for (const Node* g : stanza::childrenNamed(leave, "group")) {
    const auto text = g->attrText("id");
    auto jid = text ? core::jid::parse(*text) : core::Result<core::jid::Jid>(fail(Errc::Malformed));
    if (!jid) return fail(Errc::Protocol, "leave for a malformed group id");
    CHORUS_TRY(found, hub_.groups().find(jid->user));
    if (!found || !found->member(c.phone())) continue;
    GroupRecord group = std::move(*found);
    std::erase_if(group.members, [&](const GroupMember& m) { return m.phone == c.phone(); });
    CHORUS_CHECK(hub_.groups().put(group));
    CHORUS_CHECK(notifyGroup(group, {c.phone()}, c,
                             withChildren("remove", Children{participantNode(c.phone())})));
    Node entry{"group", {}, {}};
    entry.set("id", groupJid(group.id));
    left.push_back(std::move(entry));
  }
  Node result = stanza::iqResult(id);
  result.content = Children{withChildren("leave", std::move(left))};
  return c.send(result);
}

Status SimIqHandlers::groupParticipants(SimConnection& c, const std::string& id,
                                        GroupRecord group, const Node& request) {
  const std::string& action = request.tag;
  if (!group.isAdmin(c.phone())) return c.send(stanza::iqError(id, kForbidden, "forbidden"));
  const auto requested = stanza::childrenNamed(request, "participant");
  if (requested.size() > kMaxGroupSize) return fail(Errc::Protocol, "too many participants");
  Children answers;
  Children changed;
  std::vector<std::string> removed;
  for (const Node* p : requested) {
    const auto phone = participantPhone(*p);
    if (!phone) return fail(Errc::Protocol, "participant is not a phone-number user");
    Node answer = participantNode(*phone);
    const GroupMember* existing = group.member(*phone);
    int error = 0;
    if (action == "add") {
      if (existing) error = kConflict;
      else if (!hub_.registry().findAccount(*phone) || group.members.size() >= kMaxGroupSize)
        error = kNotFound;
      else group.members.push_back({*phone, GroupRole::Member});
    } else if (!existing) {
      error = kNotFound;
    } else if (action == "remove") {
      removed.push_back(*phone);
      std::erase_if(group.members, [&](const GroupMember& m) { return m.phone == *phone; });
    } else {
      auto it = std::find_if(group.members.begin(), group.members.end(),
                             [&](const GroupMember& m) { return m.phone == *phone; });
      if (it->role != GroupRole::SuperAdmin) {
        it->role = action == "promote" ? GroupRole::Admin : GroupRole::Member;
      }
    }
    if (error != 0) {
      answer.set("error", std::to_string(error));
    } else {
      changed.push_back(participantNode(*phone));
    }
    answers.push_back(std::move(answer));
  }
  CHORUS_CHECK(hub_.groups().put(group));
  Node result = stanza::iqResult(id);
  result.content = Children{withChildren(action, std::move(answers))};
  CHORUS_CHECK(c.send(result));
  if (changed.empty()) return core::ok();
  return notifyGroup(group, removed, c, withChildren(action, std::move(changed)));
}

}  // namespace chorus::sim
