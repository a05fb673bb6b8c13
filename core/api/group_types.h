// What the UI and the CLI see of a group (protocol §10.1): its JID, subject, creator and
// participants with their admin rights. Filled from the server's w:g2 answers.
#pragma once

#include <string>
#include <vector>

#include "core/api/message_types.h"

namespace chorus::api {

struct GroupParticipant {
  std::string jid;  // "<number>@s.whatsapp.net" (or a LID JID when the group uses them)
  bool admin = false;
  bool superAdmin = false;  // the creator

  [[nodiscard]] bool operator==(const GroupParticipant&) const = default;
};

struct GroupInfo {
  std::string jid;  // "<id>@g.us"
  std::string subject;
  std::string creatorJid;
  MessageTime created{};
  std::vector<GroupParticipant> participants;

  [[nodiscard]] bool operator==(const GroupInfo&) const = default;
};

enum class ParticipantChange { Add, Remove };

}  // namespace chorus::api
