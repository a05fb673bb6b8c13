#include "core/session/groups.h"

#include <limits>
#include <utility>

#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

using binary::Children;
using binary::Node;

constexpr std::string_view kGroupsNamespace = "w:g2";
constexpr auto kMaxTimestamp = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

jid::Jid groupsServer() {
  jid::Jid server;
  server.server = std::string(jid::kGroupServer);
  return server;
}

Node groupsIq(std::string id, std::string_view type, const jid::Jid& to, Node request) {
  Node iq{std::string(kIqTag), {}, Children{std::move(request)}};
  iq.set("id", std::move(id))
      .set("type", std::string(type))
      .set("xmlns", std::string(kGroupsNamespace))
      .set("to", to);
  return iq;
}

Result<Children> participantNodes(std::span<const jid::Jid> participants) {
  if (participants.size() > kMaxGroupParticipants) {
    return fail(Errc::InvalidArgument, "too many participants in one request");
  }
  Children nodes;
  nodes.reserve(participants.size());
  for (const jid::Jid& p : participants) {
    if (!isUserJid(p)) return fail(Errc::InvalidArgument, "a participant is not a user JID");
    Node node{"participant", {}, {}};
    node.set("jid", p.toNonDevice());
    nodes.push_back(std::move(node));
  }
  return nodes;
}

Status checkGroup(const jid::Jid& group) {
  if (!group.isGroup() || group.user.empty()) {
    return fail(Errc::InvalidArgument, "not a group JID");
  }
  return ok();
}

std::string_view actionName(api::ParticipantChange change) {
  return change == api::ParticipantChange::Add ? "add" : "remove";
}

Status refusedUnlessResult(const Node& iq) {
  if (iq.tag != kIqTag) return fail(Errc::Protocol, "not an iq");
  const std::string type = iq.attrText("type").value_or("");
  if (type == kIqError) {
    return fail(Errc::Protocol, "the server refused (" + std::to_string(iqErrorCode(iq)) + ")");
  }
  if (type != kIqResult) return fail(Errc::Protocol, "not an iq result");
  return ok();
}

}  // namespace

int iqErrorCode(const Node& iq) {
  const Node* error = iq.child("error");
  if (error == nullptr) return 0;
  bool ok = true;
  const auto code = numberAttr(*error, "code", 999, ok);
  return ok && code ? static_cast<int>(*code) : 0;
}

Result<Node> buildGroupCreate(std::string id, std::string_view subject, std::string key,
                              std::span<const jid::Jid> participants) {
  if (subject.empty() || subject.size() > kMaxGroupSubject * 4) {  // UTF-8: up to 4 bytes each
    return fail(Errc::InvalidArgument, "a group subject must be 1 to 100 characters");
  }
  if (key.empty()) return fail(Errc::InvalidArgument, "the create request needs a key");
  CHORUS_TRY(nodes, participantNodes(participants));
  Node create{"create", {}, std::move(nodes)};
  create.set("subject", std::string(subject)).set("key", std::move(key));
  return groupsIq(std::move(id), kIqSet, groupsServer(), std::move(create));
}

Result<Node> buildGroupInfoQuery(std::string id, const jid::Jid& group) {
  CHORUS_CHECK(checkGroup(group));
  Node query{"query", {}, {}};
  query.set("request", std::string("interactive"));
  return groupsIq(std::move(id), kIqGet, group, std::move(query));
}

Result<Node> buildParticipantsChange(std::string id, const jid::Jid& group,
                                     api::ParticipantChange change,
                                     std::span<const jid::Jid> participants) {
  CHORUS_CHECK(checkGroup(group));
  if (participants.empty()) return fail(Errc::InvalidArgument, "no participants to change");
  CHORUS_TRY(nodes, participantNodes(participants));
  Node action{std::string(actionName(change)), {}, std::move(nodes)};
  return groupsIq(std::move(id), kIqSet, group, std::move(action));
}

Result<api::GroupInfo> parseGroupInfo(const Node& iq) {
  CHORUS_CHECK(refusedUnlessResult(iq));
  const Node* group = iq.child("group");
  if (group == nullptr) return fail(Errc::Protocol, "the answer has no <group>");
  const std::string id = group->attrText("id").value_or("");
  if (id.empty()) return fail(Errc::Protocol, "a <group> without an id");
  api::GroupInfo info;
  // The id travels as the user part ("120363…"), sometimes as a whole JID.
  if (auto whole = jid::parse(id); whole && whole->isGroup()) {
    info.jid = jid::format(*whole);
  } else {
    jid::Jid g = groupsServer();
    g.user = id;
    info.jid = jid::format(g);
  }
  info.subject = group->attrText("subject").value_or("");
  if (auto creator = jidAttr(*group, "creator")) info.creatorJid = jid::format(*creator);
  bool ok = true;
  if (const auto created = numberAttr(*group, "creation", kMaxTimestamp, ok)) {
    info.created = api::MessageTime{std::chrono::seconds(*created)};
  }
  if (!ok) return fail(Errc::Protocol, "a <group> with a malformed creation time");
  if (const Children* children = group->children()) {
    for (const Node& child : *children) {
      if (child.tag != "participant") continue;
      if (info.participants.size() >= kMaxGroupParticipants) {
        return fail(Errc::Protocol, "too many participants");
      }
      const auto p = jidAttr(child, "jid");
      if (!p || !isUserJid(*p)) return fail(Errc::Protocol, "a participant without a user JID");
      const std::string role = child.attrText("type").value_or("");
      info.participants.push_back({jid::format(p->toNonDevice()),
                                   role == "admin" || role == "superadmin", role == "superadmin"});
    }
  }
  return info;
}

Result<std::vector<ParticipantResult>> parseParticipantsChange(const Node& iq,
                                                               api::ParticipantChange change) {
  CHORUS_CHECK(refusedUnlessResult(iq));
  const Node* action = iq.child(actionName(change));
  if (action == nullptr) return fail(Errc::Protocol, "the answer names no participants");
  std::vector<ParticipantResult> results;
  if (const Children* children = action->children()) {
    for (const Node& child : *children) {
      if (child.tag != "participant") continue;
      if (results.size() >= kMaxGroupParticipants) return fail(Errc::Protocol, "too many");
      const auto p = jidAttr(child, "jid");
      if (!p || !isUserJid(*p)) return fail(Errc::Protocol, "a participant without a user JID");
      bool ok = true;
      const auto error = numberAttr(child, "error", 999, ok);
      if (!ok) return fail(Errc::Protocol, "a participant with a malformed error");
      results.push_back({jid::format(p->toNonDevice()), error ? static_cast<int>(*error) : 0});
    }
  }
  return results;
}

bool isGroupNotification(const Node& node) {
  if (node.tag != "notification" || node.attrText("type") != "w:gp2") return false;
  const auto from = jidAttr(node, "from");
  return from && from->isGroup();
}

}  // namespace chorus::core::session
