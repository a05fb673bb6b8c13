// Group management stanzas (protocol §10.1; facts from whatsmeow group.go and Baileys
// groups.ts): every request is an <iq xmlns="w:g2"> to "g.us" (create) or to the group's JID
// (metadata, participants); the answer carries a <group> element or one child per action.
//
//   create         <iq type="set" to="g.us"><create subject key><participant jid/>…</create>
//   metadata       <iq type="get" to=GROUP><query request="interactive"/>
//   add / remove   <iq type="set" to=GROUP><add|remove><participant jid/>…</…>
//   answer         <group id creator creation subject …><participant jid [type]/>…</group>
//                  or <add|remove><participant jid [error]/>…</…>
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/api/group_types.h"
#include "core/protocol/binary/node.h"
#include "core/protocol/jid/jid.h"
#include "core/util/result.h"

namespace chorus::core::session {

inline constexpr std::size_t kMaxGroupParticipants = 1024;  // per request and per answer
inline constexpr std::size_t kMaxGroupSubject = 100;        // characters the server accepts

// InvalidArgument for an empty or over-long subject, too many participants, or a participant
// that is not a user JID. `key` is a client-chosen request id (whatsmeow: a random message id).
[[nodiscard]] Result<binary::Node> buildGroupCreate(std::string id, std::string_view subject,
                                                    std::string key,
                                                    std::span<const jid::Jid> participants);
[[nodiscard]] Result<binary::Node> buildGroupInfoQuery(std::string id, const jid::Jid& group);
[[nodiscard]] Result<binary::Node> buildParticipantsChange(std::string id, const jid::Jid& group,
                                                           api::ParticipantChange change,
                                                           std::span<const jid::Jid> participants);

// The <group> of a create or metadata answer. Protocol for an error iq (its code in the
// detail), a missing <group>, a missing id, or a participant without a user JID.
[[nodiscard]] Result<api::GroupInfo> parseGroupInfo(const binary::Node& iq);

struct ParticipantResult {
  std::string jid;
  int error = 0;  // 0: changed; else the server's code (403, 404, 409, …)
};
// The per-participant answers of an add/remove. Protocol as above.
[[nodiscard]] Result<std::vector<ParticipantResult>> parseParticipantsChange(
    const binary::Node& iq, api::ParticipantChange change);

// The server's error code of an iq type="error" (0 when there is none).
[[nodiscard]] int iqErrorCode(const binary::Node& iq);

// True for <notification type="w:gp2" from=GROUP>: the group's members or subject changed.
[[nodiscard]] bool isGroupNotification(const binary::Node& node);

}  // namespace chorus::core::session
