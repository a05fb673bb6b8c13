#include "app/sim/sim_groups.h"

#include <algorithm>

#include "app/sim/sim_sqlite.h"

namespace chorus::sim {
namespace {

using core::Result;
using core::Status;

GroupRole roleFrom(std::int64_t value) {
  switch (value) {
    case 1: return GroupRole::Admin;
    case 2: return GroupRole::SuperAdmin;
    default: return GroupRole::Member;
  }
}

std::int64_t roleValue(GroupRole role) {
  switch (role) {
    case GroupRole::Member: return 0;
    case GroupRole::Admin: return 1;
    case GroupRole::SuperAdmin: return 2;
  }
  return 0;
}

constexpr auto kSelectGroup =
    "SELECT id, subject, creator, subject_owner, creation, subject_time FROM groups";

GroupRecord groupFromRow(const SqlStatement& st) {
  GroupRecord group;
  group.id = st.text(0);
  group.subject = st.text(1);
  group.creator = st.text(2);
  group.subjectOwner = st.text(3);
  group.creation = st.integer(4);
  group.subjectTime = st.integer(5);
  return group;
}

}  // namespace

const char* groupRoleName(GroupRole role) {
  switch (role) {
    case GroupRole::Member: return "";
    case GroupRole::Admin: return "admin";
    case GroupRole::SuperAdmin: return "superadmin";
  }
  return "";
}

const GroupMember* GroupRecord::member(std::string_view phone) const {
  const auto it = std::find_if(members.begin(), members.end(),
                               [&](const GroupMember& m) { return m.phone == phone; });
  return it == members.end() ? nullptr : &*it;
}

bool GroupRecord::isAdmin(std::string_view phone) const {
  const GroupMember* m = member(phone);
  return m && m->role != GroupRole::Member;
}

Status SimGroups::loadMembers(GroupRecord& group) {
  SqlStatement st(db_, "SELECT phone, role FROM group_members WHERE group_id = ?1 ORDER BY seq");
  if (!st.ok()) return st.error("reading group members");
  st.bind(1, group.id);
  while (st.stepRow()) group.members.push_back({st.text(0), roleFrom(st.integer(1))});
  if (!st.finished()) return st.error("reading group members");
  return core::ok();
}

Result<std::optional<GroupRecord>> SimGroups::find(std::string_view id) {
  const std::string sql = std::string(kSelectGroup) + " WHERE id = ?1";
  SqlStatement st(db_, sql.c_str());
  if (!st.ok()) return st.error("reading a group");
  st.bind(1, id);
  if (!st.stepRow()) {
    if (!st.finished()) return st.error("reading a group");
    return std::optional<GroupRecord>();
  }
  GroupRecord group = groupFromRow(st);
  CHORUS_CHECK(loadMembers(group));
  return std::optional<GroupRecord>(std::move(group));
}

Result<std::vector<GroupRecord>> SimGroups::groupsOf(std::string_view phone) {
  const std::string sql = std::string(kSelectGroup) +
                          " WHERE id IN (SELECT group_id FROM group_members WHERE phone = ?1)"
                          " ORDER BY creation, id";
  SqlStatement st(db_, sql.c_str());
  if (!st.ok()) return st.error("listing groups");
  st.bind(1, phone);
  std::vector<GroupRecord> groups;
  while (st.stepRow()) groups.push_back(groupFromRow(st));
  if (!st.finished()) return st.error("listing groups");
  for (GroupRecord& group : groups) CHORUS_CHECK(loadMembers(group));
  return groups;
}

Status SimGroups::put(const GroupRecord& group) {
  CHORUS_CHECK(sqlExec(db_, "SAVEPOINT put_group"));
  auto write = [&]() -> Status {
    SqlStatement g(db_,
                   "INSERT OR REPLACE INTO groups(id, subject, creator, subject_owner, creation, "
                   "subject_time) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!g.ok()) return g.error("saving a group");
    g.bind(1, group.id);
    g.bind(2, group.subject);
    g.bind(3, group.creator);
    g.bind(4, group.subjectOwner);
    g.bind(5, group.creation);
    g.bind(6, group.subjectTime);
    CHORUS_CHECK(g.run("saving a group"));
    SqlStatement clear(db_, "DELETE FROM group_members WHERE group_id = ?1");
    if (!clear.ok()) return clear.error("saving group members");
    clear.bind(1, group.id);
    CHORUS_CHECK(clear.run("saving group members"));
    std::int64_t seq = 0;
    for (const GroupMember& m : group.members) {
      SqlStatement add(db_,
                       "INSERT INTO group_members(group_id, phone, role, seq) "
                       "VALUES(?1, ?2, ?3, ?4)");
      if (!add.ok()) return add.error("saving group members");
      add.bind(1, group.id);
      add.bind(2, m.phone);
      add.bind(3, roleValue(m.role));
      add.bind(4, seq++);
      CHORUS_CHECK(add.run("saving group members"));
    }
    return core::ok();
  };
  if (auto written = write(); !written) {
    (void)sqlExec(db_, "ROLLBACK TO put_group; RELEASE put_group");
    return written;
  }
  return sqlExec(db_, "RELEASE put_group");
}

}  // namespace chorus::sim
