// The message store at rest: nothing readable in the database files, and a wrong data key or
// a value moved to another row fails to open (Errc::Crypto) instead of yielding data.
#include <gtest/gtest.h>

#include "tests/unit/store/message_test_util.h"

namespace chorus::core::store {
namespace {

using test::at;
using test::contains;
using test::errorOf;
using test::incoming;
using test::kAlice;
using test::kGroup;
using test::MessageDb;
using test::outgoing;
using test::readFile;
using test::TempDir;
using test::valueOf;

constexpr std::string_view kBody = "Distinctive-Body-Text-4711";
constexpr std::string_view kReply = "Reply-Nobody-Should-Read-0815";
constexpr std::string_view kPushName = "Zebediah Quaxley";
constexpr std::string_view kNumber = "447700900123";
constexpr std::string_view kGroupSubject = "Secret Supplier Circle";

void expectNothingReadable(const std::filesystem::path& dir) {
  bool scanned = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const Bytes data = readFile(entry.path());
    scanned = scanned || !data.empty();
    for (std::string_view needle : {kBody, kReply, kPushName, kNumber, kGroupSubject}) {
      EXPECT_FALSE(contains(data, asBytes(needle)))
          << entry.path().filename() << " contains " << needle;
    }
  }
  EXPECT_TRUE(scanned);
}

void fill(MessageDb& s) {
  ASSERT_OK(s.contacts.setPushName(kAlice, kPushName, at(0)));
  ASSERT_OK(s.chats.setName(kGroup, kGroupSubject, at(0)));
  (void)valueOf(s.messages.insertIncoming(incoming(kAlice, "E1", 1, kBody)));
  (void)valueOf(s.messages.insertIncoming(incoming(kGroup, "E2", 2, kBody, kAlice)));
  (void)valueOf(s.messages.insertOutgoing(outgoing(kAlice, "E3", 3, kReply), at(3)));
  const std::vector<Recipient> devices{{std::string(kAlice), std::string(kAlice)}};
  ASSERT_OK(s.messages.expectRecipients(kAlice, "E3", devices));
}

TEST(MessageEncryption, NoBodyNameOrNumberInTheFiles) {
  TempDir dir;
  const auto file = dir.file("chorus.db");
  {
    MessageDb s(&file);
    fill(s);
    ASSERT_EQ(valueOf(s.query.latest(kAlice, 10)).size(), 2U);
    expectNothingReadable(dir.path());  // with the WAL still holding the pages
  }
  expectNothingReadable(dir.path());  // after the checkpoint on close
}

TEST(MessageEncryption, WrongKeyCannotRead) {
  TempDir dir;
  const auto file = dir.file("chorus.db");
  std::int64_t localId = 0;
  {
    MessageDb s(&file, 7);
    fill(s);
    localId = valueOf(s.query.latest(kAlice, 1)).front().localId;
  }
  MessageDb wrong(&file, 8);
  EXPECT_EQ(errorOf(wrong.chats.chatList(10)), Errc::Crypto);
  EXPECT_EQ(errorOf(wrong.query.message(localId)), Errc::Crypto);
  EXPECT_EQ(errorOf(wrong.outbox.due(at(100), 10)), Errc::Crypto);
  // Lookups by JID find nothing: the lookup keys differ with the data key.
  EXPECT_TRUE(valueOf(wrong.query.latest(kAlice, 10)).empty());
  EXPECT_FALSE(valueOf(wrong.contacts.pushName(kAlice)).has_value());
}

TEST(MessageEncryption, BodyMovedToAnotherRowFailsToOpen) {
  MessageDb s;
  const auto a = valueOf(s.messages.insertIncoming(incoming(kAlice, "M1", 1, "one")));
  const auto b = valueOf(s.messages.insertIncoming(incoming(kAlice, "M2", 2, "two")));
  ASSERT_OK(s.db->exec("UPDATE messages SET body = (SELECT body FROM messages WHERE id = " +
                       std::to_string(a.localId) + ") WHERE id = " + std::to_string(b.localId)));
  EXPECT_EQ(errorOf(s.query.message(b.localId)), Errc::Crypto);
  EXPECT_EQ(valueOf(s.query.message(a.localId))->text, "one");
}

}  // namespace
}  // namespace chorus::core::store
