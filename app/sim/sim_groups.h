// SimGroups: the simulator's groups (§10) in sim.db — each group's id, subject, creator and
// members with their roles. Reads go to SQLite every time (groups are few and small; the
// message hot path of 1:1 relay never touches them), so the file is the only truth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

struct sqlite3;

namespace chorus::sim {

enum class GroupRole { Member, Admin, SuperAdmin };

struct GroupMember {
  std::string phone;
  GroupRole role = GroupRole::Member;
};

struct GroupRecord {
  std::string id;  // the user part of "<id>@g.us"
  std::string subject;
  std::string creator;       // phone of the creating account
  std::string subjectOwner;  // phone of whoever set the subject last
  std::int64_t creation = 0;
  std::int64_t subjectTime = 0;
  std::vector<GroupMember> members;  // in joining order

  [[nodiscard]] const GroupMember* member(std::string_view phone) const;
  [[nodiscard]] bool isAdmin(std::string_view phone) const;
};

class SimGroups {
 public:
  explicit SimGroups(sqlite3* db) : db_(db) {}

  // The group with `id`, nullopt when there is none.
  [[nodiscard]] core::Result<std::optional<GroupRecord>> find(std::string_view id);
  // The groups `phone` is a member of.
  [[nodiscard]] core::Result<std::vector<GroupRecord>> groupsOf(std::string_view phone);
  // Inserts or replaces the group with its member list, in one transaction.
  [[nodiscard]] core::Status put(const GroupRecord& group);

 private:
  [[nodiscard]] core::Status loadMembers(GroupRecord& group);

  sqlite3* db_;
};

[[nodiscard]] const char* groupRoleName(GroupRole role);  // "" for plain members

}  // namespace chorus::sim
