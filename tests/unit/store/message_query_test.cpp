#include "core/store/message_query.h"

#include <gtest/gtest.h>

#include "core/store/chat_store.h"
#include "tests/unit/store/message_test_util.h"

namespace chorus::core::store {
namespace {

using test::at;
using test::errorOf;
using test::incoming;
using test::kAlice;
using test::kBob;
using test::kCarol;
using test::kGroup;
using test::MessageDb;
using test::outgoing;
using test::valueOf;

std::vector<std::string> ids(const std::vector<api::MessageView>& page) {
  std::vector<std::string> out;
  for (const auto& m : page) out.push_back(m.id);
  return out;
}

// Twelve messages with many equal timestamps, inserted out of time order: the expected order
// is (timestamp, insert order).
class Paging : public ::testing::Test {
 protected:
  void SetUp() override {
    // id, seconds — in insert order.
    const std::vector<std::pair<std::string, std::int64_t>> rows{
        {"m01", 5}, {"m02", 1}, {"m03", 1}, {"m04", 5}, {"m05", 3}, {"m06", 1},
        {"m07", 9}, {"m08", 3}, {"m09", 5}, {"m10", 9}, {"m11", 2}, {"m12", 5}};
    for (const auto& [id, seconds] : rows) {
      (void)valueOf(s.messages.insertIncoming(incoming(kAlice, id, seconds, "text " + id)));
    }
    (void)valueOf(s.messages.insertIncoming(incoming(kBob, "other", 4, "not in this chat")));
  }
  const std::vector<std::string> expected{"m02", "m03", "m06", "m11", "m05", "m08",
                                          "m01", "m04", "m09", "m12", "m07", "m10"};
  MessageDb s;
};

TEST_F(Paging, LatestIsTheNewestInOrder) {
  const auto page = valueOf(s.query.latest(kAlice, 4));
  EXPECT_EQ(ids(page), (std::vector<std::string>{"m09", "m12", "m07", "m10"}));
  EXPECT_EQ(page.front().text, "text m09");
  EXPECT_EQ(ids(valueOf(s.query.latest(kAlice, 100))), expected);
  EXPECT_TRUE(valueOf(s.query.latest(kCarol, 10)).empty());  // unknown chat
  EXPECT_TRUE(valueOf(s.query.latest(kAlice, 0)).empty());
}

TEST_F(Paging, BeforeWalksToTheTopSeeingEachMessageOnce) {
  for (std::size_t size : {1U, 3U, 5U}) {
    auto page = valueOf(s.query.latest(kAlice, size));
    std::vector<std::string> seen = ids(page);
    while (!page.empty()) {
      page = valueOf(s.query.before(kAlice, page.front().localId, size));
      const auto older = ids(page);
      seen.insert(seen.begin(), older.begin(), older.end());
    }
    EXPECT_EQ(seen, expected) << "page size " << size;
  }
}

TEST_F(Paging, AfterWalksToTheBottomSeeingEachMessageOnce) {
  for (std::size_t size : {1U, 4U, 7U}) {
    auto all = valueOf(s.query.latest(kAlice, 100));
    auto page = std::vector<api::MessageView>{all.front()};
    std::vector<std::string> seen = ids(page);
    while (!page.empty()) {
      page = valueOf(s.query.after(kAlice, page.back().localId, size));
      const auto newer = ids(page);
      seen.insert(seen.end(), newer.begin(), newer.end());
    }
    EXPECT_EQ(seen, expected) << "page size " << size;
  }
}

TEST_F(Paging, AnchorMustBelongToTheChat) {
  const auto bob = valueOf(s.query.latest(kBob, 1));
  ASSERT_EQ(bob.size(), 1U);
  EXPECT_EQ(errorOf(s.query.before(kAlice, bob[0].localId, 5)), Errc::NotFound);
  EXPECT_EQ(errorOf(s.query.after(kAlice, 999'999, 5)), Errc::NotFound);
  EXPECT_EQ(errorOf(s.query.before(kCarol, bob[0].localId, 5)), Errc::NotFound);
  EXPECT_EQ(errorOf(s.query.latest(kAlice, rows::kMaxPageSize + 1)), Errc::InvalidArgument);
}

TEST(ChatList, OrderedByLastActivityWithPreviews) {
  MessageDb s;
  ASSERT_OK(s.contacts.setPushName(kAlice, "Alice A.", at(0)));
  ASSERT_OK(s.contacts.setPushName(kBob, "Bob", at(0)));
  ASSERT_OK(s.chats.setName(kGroup, "Staff room", at(0)));

  (void)valueOf(s.messages.insertIncoming(incoming(kAlice, "a1", 10, "alice first")));
  (void)valueOf(s.messages.insertIncoming(incoming(kGroup, "g1", 20, "group hello", kBob)));
  (void)valueOf(s.messages.insertOutgoing(outgoing(kCarol, "c1", 30, "to carol"), at(30)));
  (void)valueOf(s.messages.insertIncoming(incoming(kAlice, "a2", 40, "alice again")));
  // An old message delivered late: stored, but neither the preview nor the order changes.
  (void)valueOf(s.messages.insertIncoming(incoming(kGroup, "g0", 5, "old news", kAlice)));

  const auto list = valueOf(s.chats.chatList(10));
  ASSERT_EQ(list.size(), 3U);
  EXPECT_EQ(list[0].jid, kAlice);
  EXPECT_EQ(list[0].name, "Alice A.");
  EXPECT_EQ(list[0].kind, api::ChatKind::Direct);
  EXPECT_EQ(list[0].unreadCount, 2);
  EXPECT_TRUE(list[0].hasLastMessage);
  EXPECT_EQ(list[0].lastMessage.text, "alice again");
  EXPECT_EQ(list[0].lastActivity, at(40));

  EXPECT_EQ(list[1].jid, kCarol);
  EXPECT_EQ(list[1].name, "");  // no name known: the UI shows the number
  EXPECT_EQ(list[1].unreadCount, 0);
  EXPECT_EQ(list[1].lastMessage.text, "to carol");
  EXPECT_EQ(list[1].lastMessage.direction, api::MessageDirection::Outgoing);
  EXPECT_EQ(list[1].lastMessage.status, api::MessageStatus::Queued);

  EXPECT_EQ(list[2].jid, kGroup);
  EXPECT_EQ(list[2].kind, api::ChatKind::Group);
  EXPECT_EQ(list[2].name, "Staff room");
  EXPECT_EQ(list[2].unreadCount, 2);
  EXPECT_EQ(list[2].lastMessage.text, "group hello");
  EXPECT_EQ(list[2].lastMessage.senderJid, kBob);
  EXPECT_EQ(list[2].lastMessage.senderName, "Bob");

  EXPECT_EQ(valueOf(s.chats.chatList(2)).size(), 2U);
  EXPECT_EQ(errorOf(s.chats.chatList(rows::kMaxPageSize + 1)), Errc::InvalidArgument);

  // Equal timestamps: the later insert is the newer message.
  (void)valueOf(s.messages.insertIncoming(incoming(kGroup, "g2", 40, "tie")));
  const auto after = valueOf(s.chats.chatList(10));
  EXPECT_EQ(after[0].jid, kGroup);
  EXPECT_EQ(after[0].lastMessage.text, "tie");
}

TEST(ChatList, FlagsAndNames) {
  MessageDb s;
  ASSERT_OK(s.chats.setArchived(kBob, true, at(1)));
  ASSERT_OK(s.chats.setMuted(kBob, true, at(1)));
  auto bob = valueOf(s.chats.chat(kBob));
  ASSERT_TRUE(bob.has_value());
  EXPECT_TRUE(bob->archived);
  EXPECT_TRUE(bob->muted);
  EXPECT_FALSE(bob->hasLastMessage);
  ASSERT_OK(s.chats.setArchived(kBob, false, at(2)));
  EXPECT_FALSE(valueOf(s.chats.chat(kBob))->archived);

  ASSERT_OK(s.contacts.setPushName(kBob, "Bobby", at(3)));
  EXPECT_EQ(valueOf(s.chats.chat(kBob))->name, "Bobby");
  ASSERT_OK(s.chats.setName(kBob, "Bob (supplier)", at(4)));  // a chosen name wins
  EXPECT_EQ(valueOf(s.chats.chat(kBob))->name, "Bob (supplier)");
  ASSERT_OK(s.chats.setName(kBob, "", at(5)));
  EXPECT_EQ(valueOf(s.chats.chat(kBob))->name, "Bobby");
  EXPECT_FALSE(valueOf(s.chats.chat(kCarol)).has_value());
  EXPECT_EQ(valueOf(s.contacts.pushName(kBob)), std::optional<std::string>("Bobby"));
  EXPECT_FALSE(valueOf(s.contacts.pushName(kCarol)).has_value());
}

TEST(ChatList, SearchByNameAndNumber) {
  MessageDb s;
  ASSERT_OK(s.contacts.setPushName(kAlice, "Alice Archer", at(0)));
  ASSERT_OK(s.chats.setName(kGroup, "Night shift", at(0)));
  (void)valueOf(s.messages.insertIncoming(incoming(kAlice, "a", 1, "x")));
  (void)valueOf(s.messages.insertIncoming(incoming(kBob, "b", 2, "x")));
  (void)valueOf(s.messages.insertIncoming(incoming(kCarol, "c", 3, "x")));
  (void)valueOf(s.messages.insertIncoming(incoming(kGroup, "g", 4, "x", kAlice)));

  auto jids = [&](std::string_view q) {
    std::vector<std::string> out;
    for (const auto& c : valueOf(s.chats.search(q, 10))) out.push_back(c.jid);
    return out;
  };
  EXPECT_EQ(jids("archer"), std::vector<std::string>{std::string(kAlice)});
  EXPECT_EQ(jids("SHIFT"), std::vector<std::string>{std::string(kGroup)});
  // Newest first, like the list: Bob (2) before Alice (1).
  EXPECT_EQ(jids("+44 7700-900"),
            (std::vector<std::string>{std::string(kBob), std::string(kAlice)}));
  EXPECT_EQ(jids("447700900456"), std::vector<std::string>{std::string(kBob)});
  EXPECT_EQ(jids("1555"), std::vector<std::string>{std::string(kCarol)});
  EXPECT_TRUE(jids("7700900").empty());  // numbers match from the start only
  EXPECT_TRUE(jids("nobody").empty());
  EXPECT_EQ(valueOf(s.chats.search("", 2)).size(), 2U);
}

}  // namespace
}  // namespace chorus::core::store
