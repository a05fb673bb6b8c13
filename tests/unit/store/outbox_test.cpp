#include "core/store/outbox.h"

#include <gtest/gtest.h>

#include "tests/unit/store/message_test_util.h"

namespace chorus::core::store {
namespace {

using api::MessageStatus;
using test::at;
using test::errorOf;
using test::kAlice;
using test::kBob;
using test::MessageDb;
using test::outgoing;
using test::TempDir;
using test::valueOf;

std::vector<std::string> dueIds(Outbox& outbox, TimePoint now) {
  std::vector<std::string> out;
  for (const auto& item : valueOf(outbox.due(now, 100))) out.push_back(item.id);
  return out;
}

TEST(Outbox, BacksOffUntilAcked) {
  MessageDb s;
  const auto m = valueOf(s.messages.insertOutgoing(outgoing(kBob, "O1", 0, "hi"), at(0)));
  EXPECT_EQ(valueOf(s.outbox.nextDueAt()), std::optional<TimePoint>(at(0)));
  const auto items = valueOf(s.outbox.due(at(0), 10));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].localId, m.localId);
  EXPECT_EQ(items[0].attempts, 0);
  EXPECT_EQ(items[0].createdAt, at(0));

  ASSERT_OK(s.outbox.markAttempted(m.localId, at(0)));  // handed to the socket, no ack yet
  EXPECT_TRUE(dueIds(s.outbox, at(4)).empty());
  EXPECT_EQ(valueOf(s.outbox.nextDueAt()), std::optional<TimePoint>(at(5)));
  EXPECT_EQ(dueIds(s.outbox, at(5)), std::vector<std::string>{"O1"});
  ASSERT_OK(s.outbox.markAttempted(m.localId, at(5)));
  EXPECT_TRUE(dueIds(s.outbox, at(14)).empty());
  EXPECT_EQ(dueIds(s.outbox, at(15)), std::vector<std::string>{"O1"});  // 10 s later

  ASSERT_OK(s.outbox.markSent(m.localId));
  EXPECT_TRUE(dueIds(s.outbox, at(1000)).empty());
  EXPECT_EQ(valueOf(s.outbox.nextDueAt()), std::nullopt);
  EXPECT_EQ(valueOf(s.query.message(m.localId))->status, MessageStatus::Sent);
  // The payload stays for peers' retry receipts.
  EXPECT_EQ(valueOf(s.outbox.payload(m.localId)), std::optional<Bytes>(toBytes("payload:hi")));
  // A second ack changes nothing.
  ASSERT_OK(s.outbox.markSent(m.localId));
  EXPECT_EQ(errorOf(s.outbox.markAttempted(m.localId, at(20))), Errc::NotFound);
}

TEST(Outbox, BackoffIsCapped) {
  MessageDb s;
  EXPECT_EQ(s.outbox.backoff(1), Millis(5'000));
  EXPECT_EQ(s.outbox.backoff(2), Millis(10'000));
  EXPECT_EQ(s.outbox.backoff(4), Millis(40'000));
  EXPECT_EQ(s.outbox.backoff(7), Millis(300'000));
  EXPECT_EQ(s.outbox.backoff(60), Millis(300'000));
}

TEST(Outbox, DueInOrderAndLimited) {
  MessageDb s;
  (void)valueOf(s.messages.insertOutgoing(outgoing(kBob, "first", 0, "a"), at(0)));
  (void)valueOf(s.messages.insertOutgoing(outgoing(kAlice, "second", 1, "b"), at(1)));
  (void)valueOf(s.messages.insertOutgoing(outgoing(kBob, "third", 2, "c"), at(2)));
  EXPECT_EQ(dueIds(s.outbox, at(1)), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(valueOf(s.outbox.due(at(5), 2)).size(), 2U);
  const auto all = valueOf(s.outbox.due(at(5), 10));
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[1].chatJid, kAlice);
}

TEST(Outbox, SurvivesReopenUntilSent) {
  TempDir dir;
  const auto file = dir.file("chorus.db");
  std::int64_t first = 0;
  {
    MessageDb s(&file);
    first = valueOf(s.messages.insertOutgoing(outgoing(kBob, "K1", 0, "one"), at(0))).localId;
    (void)valueOf(s.messages.insertOutgoing(outgoing(kBob, "K2", 1, "two"), at(1)));
    ASSERT_OK(s.outbox.markAttempted(first, at(1)));
    // "crash": the process ends here without an ack
  }
  {
    MessageDb s(&file);
    EXPECT_EQ(dueIds(s.outbox, at(2)), std::vector<std::string>{"K2"});
    ASSERT_OK(s.outbox.retryNow(at(2)));  // connected again: no need to wait out the backoff
    const auto due = valueOf(s.outbox.due(at(2), 10));
    ASSERT_EQ(due.size(), 2U);
    EXPECT_EQ(due[0].id, "K1");  // the same id as before the crash
    EXPECT_EQ(due[0].attempts, 1);
    EXPECT_EQ(due[0].payload, toBytes("payload:one"));
    ASSERT_OK(s.outbox.markSent(first));
  }
  {
    MessageDb s(&file);
    EXPECT_EQ(dueIds(s.outbox, at(100)), std::vector<std::string>{"K2"});
    EXPECT_EQ(valueOf(s.query.message(first))->status, MessageStatus::Sent);
  }
}

TEST(Outbox, GivesUpAfterMaxAttempts) {
  MessageDb s(nullptr, 7, OutboxPolicy{Millis(1'000), Millis(4'000), 3});
  const auto m = valueOf(s.messages.insertOutgoing(outgoing(kBob, "E1", 0, "x"), at(0)));
  ASSERT_OK(s.outbox.markAttempted(m.localId, at(0)));  // due again at 1
  ASSERT_OK(s.outbox.markAttempted(m.localId, at(1)));  // at 3
  ASSERT_OK(s.outbox.markAttempted(m.localId, at(3)));  // at 7, and no attempts left
  EXPECT_TRUE(valueOf(s.outbox.failExhausted(at(6))).empty());
  EXPECT_TRUE(dueIds(s.outbox, at(7)).empty());
  EXPECT_EQ(valueOf(s.outbox.failExhausted(at(7))), std::vector<std::int64_t>{m.localId});
  const auto view = valueOf(s.query.message(m.localId));
  EXPECT_EQ(view->status, MessageStatus::Failed);
  EXPECT_EQ(view->failureReason, "no server acknowledgement after 3 attempts");
  EXPECT_EQ(valueOf(s.outbox.nextDueAt()), std::nullopt);
}

TEST(Outbox, MarkFailedIsPermanent) {
  MessageDb s;
  const auto m = valueOf(s.messages.insertOutgoing(outgoing(kBob, "E2", 0, "x"), at(0)));
  ASSERT_OK(s.outbox.markFailed(m.localId, "server error 463"));
  EXPECT_TRUE(dueIds(s.outbox, at(1000)).empty());
  EXPECT_EQ(valueOf(s.query.message(m.localId))->failureReason, "server error 463");
  EXPECT_EQ(errorOf(s.outbox.markSent(999)), Errc::NotFound);
}

TEST(Outbox, ReceiptBeforeAckSettlesTheItem) {
  MessageDb s;
  const auto m = valueOf(s.messages.insertOutgoing(outgoing(kBob, "R1", 0, "x"), at(0)));
  (void)valueOf(s.messages.addReceipt(
      kBob, "R1",
      DeviceReceipt{{std::string(kBob), std::string(kBob)}, ReceiptType::Delivered, at(1)}));
  EXPECT_TRUE(dueIds(s.outbox, at(100)).empty());
  ASSERT_OK(s.outbox.markSent(m.localId));  // the late ack does not move it back
  EXPECT_EQ(valueOf(s.query.message(m.localId))->status, MessageStatus::Delivered);
}

TEST(Outbox, PruneForgetsOldPayloadsOnly) {
  MessageDb s;
  const auto old = valueOf(s.messages.insertOutgoing(outgoing(kBob, "P1", 0, "x"), at(0)));
  const auto pending = valueOf(s.messages.insertOutgoing(outgoing(kBob, "P2", 1, "y"), at(1)));
  ASSERT_OK(s.outbox.markSent(old.localId));
  ASSERT_OK(s.outbox.prune(at(100)));
  EXPECT_EQ(valueOf(s.outbox.payload(old.localId)), std::nullopt);
  EXPECT_TRUE(valueOf(s.outbox.payload(pending.localId)).has_value());
  EXPECT_EQ(valueOf(s.query.message(old.localId))->text, "x");  // the message itself stays
}

}  // namespace
}  // namespace chorus::core::store
