// Groups in the Messenger (protocol §10.1): create / metadata / participants for the API,
// answered through completions; the metadata cache the group fan-out reads, filled by those
// answers and by metadata queries, dropped by w:gp2 notifications.
#include "core/account/messenger_impl.h"
#include "core/session/groups.h"
#include "core/store/message_id.h"

namespace chorus::core::account {

namespace {

Result<std::vector<jid::Jid>> parseParticipants(const std::vector<std::string>& jids) {
  std::vector<jid::Jid> out;
  out.reserve(jids.size());
  for (const std::string& text : jids) {
    auto parsed = jid::parse(text);
    if (!parsed || !parsed->isUser() || parsed->user.empty()) {
      return fail(Errc::InvalidArgument, "a participant is not a user JID");
    }
    out.push_back(parsed->toNonDevice());
  }
  return out;
}

Result<jid::Jid> parseGroup(std::string_view text) {
  auto parsed = jid::parse(text);
  if (!parsed || !parsed->isGroup() || parsed->user.empty()) {
    return fail(Errc::InvalidArgument, "not a group JID (<id>@g.us)");
  }
  return *parsed;
}

}  // namespace

void Messenger::Impl::startGroupCall(GroupCall call, Result<binary::Node> request,
                                     MessengerOutput& out) {
  Error refusal;
  if (!ready) {
    refusal = Error{Errc::Unsupported, "the number is not connected"};
  } else if (!request) {
    refusal = request.error();
  } else {
    const std::string id = request->attrText("id").value_or("");
    pending[id] = PendingIq{IqKind::GroupRequest, {}, id, {}};
    groupCalls[id] = std::move(call);
    out.stanzas.push_back(std::move(*request));
    return;
  }
  out.completions.emplace_back([done = std::move(call.done), refusal = std::move(refusal)] {
    done(Unexpected<Error>(refusal));
  });
}

void Messenger::Impl::onGroupCall(const std::string& iqId, const binary::Node& iq,
                                  MessengerOutput& out) {
  auto it = groupCalls.find(iqId);
  if (it == groupCalls.end()) return;
  GroupCall call = std::move(it->second);
  groupCalls.erase(it);
  if (call.kind == GroupCall::Kind::Info) {
    auto info = session::parseGroupInfo(iq);
    if (info) cacheGroup(*info);
    out.completions.emplace_back(
        [done = std::move(call.done), info = std::move(info)]() mutable { done(std::move(info)); });
    return;
  }
  // A participant change: report refusals, then answer with the group as it is now.
  auto changed = session::parseParticipantsChange(iq, call.change);
  if (!changed) {
    out.completions.emplace_back([done = std::move(call.done), error = changed.error()] {
      done(Unexpected<Error>(error));
    });
    return;
  }
  std::string refused;
  std::size_t applied = 0;
  for (const session::ParticipantResult& r : *changed) {
    if (r.error == 0) {
      ++applied;
    } else {
      refused += (refused.empty() ? "" : ", ") + std::string("one participant: ") +
                 std::to_string(r.error);
    }
  }
  groupCache.erase(jid::format(call.group));
  if (applied == 0 && !changed->empty()) {
    out.completions.emplace_back([done = std::move(call.done), refused] {
      done(fail(Errc::Protocol, "the server refused every participant (" + refused + ")"));
    });
    return;
  }
  GroupCall info{GroupCall::Kind::Info, call.group, call.change, std::move(call.done)};
  startGroupCall(std::move(info), session::buildGroupInfoQuery(nextIqId(), call.group), out);
}

void Messenger::Impl::askGroupMeta(const jid::Jid& group, MessengerOutput& out) {
  std::string id = nextIqId();
  auto request = session::buildGroupInfoQuery(id, group);
  if (!request) return problem(out, request.error(), "a group metadata query");
  const std::string groupJid = jid::format(group);
  groupsAsked.insert(groupJid);
  pending[id] = PendingIq{IqKind::GroupMeta, {}, groupJid, {}};
  out.stanzas.push_back(std::move(*request));
}

void Messenger::Impl::onGroupMeta(const PendingIq& request, const binary::Node& iq,
                                  MessengerOutput& out) {
  groupsAsked.erase(request.key);
  auto info = session::parseGroupInfo(iq);
  if (info) {
    cacheGroup(*info);
    return advanceWaitingJobs(out);
  }
  // Not a member (any more): its messages cannot go out. Anything else: tried again later.
  const int code = session::iqErrorCode(iq);
  if (code == 403 || code == 404) {
    const std::string reason = "not a member of the group (" + std::to_string(code) + ")";
    std::vector<std::string> failed;
    for (const auto& [id, job] : jobs) {
      if (jid::format(job.chat) == request.key) failed.push_back(id);
    }
    for (const std::string& id : failed) {
      const SendJob job = std::move(jobs.at(id));
      jobs.erase(id);
      if (Status marked = outbox.markFailed(job.item.localId, reason); !marked) {
        problem(out, marked.error(), "could not fail a group message");
        continue;
      }
      out.events.emplace_back(api::MessageUpdated{accountId, request.key, job.item.id,
                                                  api::MessageStatus::Failed, false, {}});
    }
  } else {
    problem(out, info.error(), "a group's metadata");
  }
  advanceWaitingJobs(out);
}

std::optional<api::GroupInfo> Messenger::Impl::cachedGroup(const std::string& groupJid) const {
  auto it = groupCache.find(groupJid);
  if (it == groupCache.end()) return std::nullopt;
  if (clock.now() - it->second.fetchedAt > kGroupInfoMaxAge) return std::nullopt;
  return it->second.info;
}

void Messenger::Impl::cacheGroup(const api::GroupInfo& info) {
  if (groupCache.size() >= kMaxCachedGroups) groupCache.clear();
  groupCache[info.jid] = CachedGroup{info, clock.now()};
  if (!info.subject.empty()) {
    (void)chats.setName(info.jid, info.subject, clock.now());  // the chat list's title
  }
}

void Messenger::Impl::onGroupNotification(const binary::Node& node, MessengerOutput& out) {
  const auto from = node.attrText("from");
  if (!from) return;
  groupCache.erase(*from);
  // Someone left or was removed: a new sender key keeps them from reading what follows
  // (whatsmeow and Baileys rotate too); forgetting the holders sends the SKDM again.
  if (node.child("remove") != nullptr || node.child("leave") != nullptr) {
    Status rotated = signalStore->removeSenderKeyHolders(*from);
    if (rotated) rotated = signalStore->removeSenderKey({*from, addressOf(selfDevice)});
    if (!rotated) {
      problem(out, rotated.error(), "could not retire our sender key of a group");
    }
  }
}

void Messenger::Impl::failGroupCalls() {
  for (auto it = pending.begin(); it != pending.end();) {
    it = it->second.kind == IqKind::GroupRequest ? pending.erase(it) : std::next(it);
  }
}

// ---- the public face ------------------------------------------------------------------------------

MessengerOutput Messenger::createGroup(std::string_view subject,
                                       const std::vector<std::string>& participantJids,
                                       GroupDone done) {
  MessengerOutput out;
  Impl& d = *impl_;
  Impl::GroupCall call{Impl::GroupCall::Kind::Info, {}, api::ParticipantChange::Add, std::move(done)};
  auto participants = parseParticipants(participantJids);
  if (!participants) {
    d.startGroupCall(std::move(call), Unexpected<Error>(participants.error()), out);
    return out;
  }
  std::string key = store::newMessageId(d.random, d.clock.now(), d.self.pn.user);
  d.startGroupCall(std::move(call),
                   session::buildGroupCreate(d.nextIqId(), subject, std::move(key), *participants),
                   out);
  return out;
}

MessengerOutput Messenger::groupInfo(std::string_view groupJid, GroupDone done) {
  MessengerOutput out;
  Impl& d = *impl_;
  Impl::GroupCall call{Impl::GroupCall::Kind::Info, {}, api::ParticipantChange::Add, std::move(done)};
  auto group = parseGroup(groupJid);
  if (!group) {
    d.startGroupCall(std::move(call), Unexpected<Error>(group.error()), out);
    return out;
  }
  call.group = *group;
  d.startGroupCall(std::move(call), session::buildGroupInfoQuery(d.nextIqId(), *group), out);
  return out;
}

MessengerOutput Messenger::changeGroupParticipants(std::string_view groupJid,
                                                   api::ParticipantChange change,
                                                   const std::vector<std::string>& participantJids,
                                                   GroupDone done) {
  MessengerOutput out;
  Impl& d = *impl_;
  Impl::GroupCall call{Impl::GroupCall::Kind::Change, {}, change, std::move(done)};
  auto group = parseGroup(groupJid);
  auto participants = parseParticipants(participantJids);
  if (!group || !participants) {
    const Error error = !group ? group.error() : participants.error();
    d.startGroupCall(std::move(call), Unexpected<Error>(error), out);
    return out;
  }
  call.group = *group;
  d.startGroupCall(std::move(call),
                   session::buildParticipantsChange(d.nextIqId(), *group, change, *participants),
                   out);
  return out;
}

}  // namespace chorus::core::account
