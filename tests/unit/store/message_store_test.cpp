#include "core/store/message_store.h"

#include <gtest/gtest.h>

#include "core/store/message_id.h"
#include "tests/unit/store/message_test_util.h"

namespace chorus::core::store {
namespace {

using api::MessageStatus;
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

// Bytes 0, 1, 2 ... so the id can be checked against an independent computation.
class CountingRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next_++;
  }

 private:
  std::uint8_t next_ = 0;
};

TEST(MessageId, MatchesWhatsAppWebConstruction) {
  // Expected values from Python: "3EB0" + sha256(u64be(t) + b"<user>@c.us" + bytes(range(16)))
  // .hexdigest().upper()[:18] — the construction of whatsmeow and Baileys generateMessageIDV2.
  CountingRandom random;
  EXPECT_EQ(newMessageId(random, fromUnixSeconds(1'700'000'000), "15551234567"),
            "3EB05765B9D1119841E331");
  CountingRandom again;
  EXPECT_EQ(newMessageId(again), "3EB0DBFB0EDD50EFE136F1");
}

TEST(MessageId, FreshIdsDiffer) {
  SeededRandom random(5);
  const std::string a = newMessageId(random, at(0), "447700900123");
  const std::string b = newMessageId(random, at(0), "447700900123");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), kMessageIdLength);
  EXPECT_TRUE(a.starts_with(kMessageIdPrefix));
  for (char c : a) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) << a;
}

TEST(MessageStore, IncomingIsStoredExactlyOnce) {
  MessageDb s;
  const auto first = valueOf(s.messages.insertIncoming(incoming(kAlice, "3EB0AA", 10, "hi")));
  EXPECT_EQ(first.outcome, InsertOutcome::Inserted);
  const auto again = valueOf(s.messages.insertIncoming(incoming(kAlice, "3EB0AA", 10, "hi")));
  EXPECT_EQ(again.outcome, InsertOutcome::Duplicate);
  EXPECT_EQ(again.localId, first.localId);

  const auto page = valueOf(s.query.latest(kAlice, 10));
  ASSERT_EQ(page.size(), 1U);
  EXPECT_EQ(page[0].text, "hi");
  EXPECT_EQ(page[0].senderJid, kAlice);
  EXPECT_EQ(page[0].direction, api::MessageDirection::Incoming);
  EXPECT_EQ(page[0].status, MessageStatus::Delivered);
  const auto chat = valueOf(s.chats.chat(kAlice));
  ASSERT_TRUE(chat.has_value());
  EXPECT_EQ(chat->unreadCount, 1);  // the redelivery did not count again
}

TEST(MessageStore, SameIdFromDifferentAuthorsAreDifferentMessages) {
  MessageDb s;
  EXPECT_EQ(valueOf(s.messages.insertIncoming(incoming(kGroup, "X1", 1, "a", kAlice))).outcome,
            InsertOutcome::Inserted);
  EXPECT_EQ(valueOf(s.messages.insertIncoming(incoming(kGroup, "X1", 2, "b", kBob))).outcome,
            InsertOutcome::Inserted);
  // Our own message with that id too (a different author: us).
  EXPECT_EQ(valueOf(s.messages.insertOutgoing(outgoing(kGroup, "X1", 3, "c"), at(3))).outcome,
            InsertOutcome::Inserted);
  EXPECT_EQ(valueOf(s.query.latest(kGroup, 10)).size(), 3U);
}

TEST(MessageStore, PlaceholderIsResolvedByTheRealMessage) {
  MessageDb s;
  auto waiting = incoming(kAlice, "P1", 5, "");
  waiting.kind = api::MessageKind::Placeholder;
  const auto first = valueOf(s.messages.insertIncoming(waiting));
  auto view = valueOf(s.query.message(first.localId));
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->kind, api::MessageKind::Placeholder);
  EXPECT_EQ(view->text, "");
  // A second undecryptable copy changes nothing.
  EXPECT_EQ(valueOf(s.messages.insertIncoming(waiting)).outcome, InsertOutcome::Duplicate);

  const auto resolved = valueOf(s.messages.insertIncoming(incoming(kAlice, "P1", 5, "at last")));
  EXPECT_EQ(resolved.outcome, InsertOutcome::Resolved);
  EXPECT_EQ(resolved.localId, first.localId);
  view = valueOf(s.query.message(first.localId));
  EXPECT_EQ(view->kind, api::MessageKind::Text);
  EXPECT_EQ(view->text, "at last");
  EXPECT_EQ(valueOf(s.chats.chat(kAlice))->unreadCount, 1);
  // And once resolved, a copy is a duplicate.
  EXPECT_EQ(valueOf(s.messages.insertIncoming(incoming(kAlice, "P1", 5, "at last"))).outcome,
            InsertOutcome::Duplicate);
}

TEST(MessageStore, OutgoingIsQueuedOnceWithItsOutboxItem) {
  MessageDb s;
  const auto sent =
      valueOf(s.messages.insertOutgoing(outgoing(kBob, "3EB0B1", 20, "hello"), at(20)));
  EXPECT_EQ(sent.outcome, InsertOutcome::Inserted);
  const auto again =
      valueOf(s.messages.insertOutgoing(outgoing(kBob, "3EB0B1", 21, "hello"), at(21)));
  EXPECT_EQ(again.outcome, InsertOutcome::Duplicate);
  EXPECT_EQ(again.localId, sent.localId);

  const auto view = valueOf(s.query.message(sent.localId));
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->status, MessageStatus::Queued);
  EXPECT_EQ(view->direction, api::MessageDirection::Outgoing);
  EXPECT_EQ(view->senderJid, "");
  const auto due = valueOf(s.outbox.due(at(20), 10));
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].id, "3EB0B1");
  EXPECT_EQ(due[0].chatJid, kBob);
  EXPECT_EQ(due[0].payload, toBytes("payload:hello"));
  EXPECT_EQ(valueOf(s.chats.chat(kBob))->unreadCount, 0);
}

TEST(MessageStore, CopyFromOurOtherDeviceIsOutgoingAndSent) {
  MessageDb s;
  auto copy = incoming(kAlice, "3EB0C0", 30, "from my phone");
  copy.fromMe = true;
  copy.senderJid.clear();
  const auto stored = valueOf(s.messages.insertIncoming(copy));
  const auto view = valueOf(s.query.message(stored.localId));
  EXPECT_EQ(view->direction, api::MessageDirection::Outgoing);
  EXPECT_EQ(view->status, MessageStatus::Sent);
  EXPECT_EQ(valueOf(s.chats.chat(kAlice))->unreadCount, 0);
  EXPECT_TRUE(valueOf(s.outbox.due(at(100), 10)).empty());
}

TEST(MessageStore, StatusRules) {
  using rows::isStatusAdvance;
  EXPECT_TRUE(isStatusAdvance(MessageStatus::Queued, MessageStatus::Sent));
  EXPECT_TRUE(isStatusAdvance(MessageStatus::Queued, MessageStatus::Read));
  EXPECT_TRUE(isStatusAdvance(MessageStatus::Sent, MessageStatus::Delivered));
  EXPECT_FALSE(isStatusAdvance(MessageStatus::Read, MessageStatus::Delivered));
  EXPECT_FALSE(isStatusAdvance(MessageStatus::Delivered, MessageStatus::Sent));
  EXPECT_FALSE(isStatusAdvance(MessageStatus::Sent, MessageStatus::Queued));
  EXPECT_FALSE(isStatusAdvance(MessageStatus::Sent, MessageStatus::Sent));
  EXPECT_TRUE(isStatusAdvance(MessageStatus::Queued, MessageStatus::Failed));
  EXPECT_TRUE(isStatusAdvance(MessageStatus::Sent, MessageStatus::Failed));
  EXPECT_FALSE(isStatusAdvance(MessageStatus::Delivered, MessageStatus::Failed));
  EXPECT_FALSE(isStatusAdvance(MessageStatus::Read, MessageStatus::Failed));
  EXPECT_TRUE(isStatusAdvance(MessageStatus::Failed, MessageStatus::Delivered));
  EXPECT_FALSE(isStatusAdvance(MessageStatus::Failed, MessageStatus::Queued));
}

TEST(MessageStore, StatusNeverGoesBackwards) {
  MessageDb s;
  const auto m = valueOf(s.messages.insertOutgoing(outgoing(kBob, "S1", 1, "x"), at(1)));
  auto status = [&] { return valueOf(s.query.message(m.localId))->status; };

  auto u = valueOf(s.messages.setStatus(kBob, "S1", MessageStatus::Sent));
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(status(), MessageStatus::Sent);
  u = valueOf(s.messages.setStatus(kBob, "S1", MessageStatus::Read));
  EXPECT_TRUE(u.changed);
  u = valueOf(s.messages.setStatus(kBob, "S1", MessageStatus::Delivered));  // late, out of order
  EXPECT_FALSE(u.changed);
  EXPECT_EQ(u.status, MessageStatus::Read);
  u = valueOf(s.messages.setStatus(kBob, "S1", MessageStatus::Failed, "too late"));
  EXPECT_FALSE(u.changed);
  EXPECT_EQ(status(), MessageStatus::Read);
  EXPECT_EQ(valueOf(s.query.message(m.localId))->failureReason, "");
}

TEST(MessageStore, FailedKeepsItsReasonUntilArrivalIsProven) {
  MessageDb s;
  const auto m = valueOf(s.messages.insertOutgoing(outgoing(kBob, "F1", 1, "x"), at(1)));
  EXPECT_TRUE(
      valueOf(s.messages.setStatus(kBob, "F1", MessageStatus::Failed, "error 479")).changed);
  auto view = valueOf(s.query.message(m.localId));
  EXPECT_EQ(view->status, MessageStatus::Failed);
  EXPECT_EQ(view->failureReason, "error 479");
  EXPECT_TRUE(valueOf(s.outbox.due(at(100), 10)).empty());  // no longer sent

  EXPECT_TRUE(valueOf(s.messages.setStatus(kBob, "F1", MessageStatus::Delivered)).changed);
  view = valueOf(s.query.message(m.localId));
  EXPECT_EQ(view->status, MessageStatus::Delivered);
  EXPECT_EQ(view->failureReason, "");
}

TEST(MessageStore, StatusOfUnknownMessageIsNotFound) {
  MessageDb s;
  EXPECT_EQ(errorOf(s.messages.setStatus(kBob, "nope", MessageStatus::Sent)), Errc::NotFound);
  (void)valueOf(s.messages.insertIncoming(incoming(kBob, "IN1", 1, "hi")));
  // An incoming message has no sending status.
  EXPECT_EQ(errorOf(s.messages.setStatus(kBob, "IN1", MessageStatus::Read)), Errc::NotFound);
}

DeviceReceipt receipt(std::string_view user, std::string_view device, ReceiptType type,
                      std::int64_t seconds) {
  return DeviceReceipt{{std::string(user), std::string(device)}, type, at(seconds)};
}

TEST(MessageStore, DirectChatIsDeliveredWhenAnyDeviceHasIt) {
  MessageDb s;
  (void)valueOf(s.messages.insertOutgoing(outgoing(kBob, "R1", 1, "x"), at(1)));
  (void)valueOf(s.messages.setStatus(kBob, "R1", MessageStatus::Sent));
  const std::vector<Recipient> devices{{std::string(kBob), std::string(kBob)},
                                       {std::string(kBob), "447700900456:3@s.whatsapp.net"}};
  ASSERT_OK(s.messages.expectRecipients(kBob, "R1", devices));

  auto u = valueOf(s.messages.addReceipt(
      kBob, "R1", receipt(kBob, "447700900456:3@s.whatsapp.net", ReceiptType::Delivered, 2)));
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(u.status, MessageStatus::Delivered);
  u = valueOf(s.messages.addReceipt(kBob, "R1", receipt(kBob, kBob, ReceiptType::Delivered, 3)));
  EXPECT_FALSE(u.changed);
  u = valueOf(s.messages.addReceipt(kBob, "R1", receipt(kBob, kBob, ReceiptType::Read, 4)));
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(u.status, MessageStatus::Read);
}

TEST(MessageStore, GroupIsDeliveredAndReadWhenEveryParticipantIs) {
  MessageDb s;
  (void)valueOf(s.messages.insertOutgoing(outgoing(kGroup, "G1", 1, "x"), at(1)));
  (void)valueOf(s.messages.setStatus(kGroup, "G1", MessageStatus::Sent));
  const std::string alice2 = "447700900123:2@s.whatsapp.net";
  const std::vector<Recipient> fanout{{std::string(kAlice), std::string(kAlice)},
                                      {std::string(kAlice), alice2},
                                      {std::string(kCarol), std::string(kCarol)}};
  ASSERT_OK(s.messages.expectRecipients(kGroup, "G1", fanout));

  auto u = valueOf(
      s.messages.addReceipt(kGroup, "G1", receipt(kAlice, alice2, ReceiptType::Delivered, 2)));
  EXPECT_FALSE(u.changed);
  EXPECT_EQ(u.status, MessageStatus::Sent);  // Carol has nothing yet
  u = valueOf(
      s.messages.addReceipt(kGroup, "G1", receipt(kCarol, kCarol, ReceiptType::Delivered, 3)));
  EXPECT_EQ(u.status, MessageStatus::Delivered);
  u = valueOf(s.messages.addReceipt(kGroup, "G1", receipt(kCarol, kCarol, ReceiptType::Read, 4)));
  EXPECT_EQ(u.status, MessageStatus::Delivered);  // Alice has not read
  u = valueOf(s.messages.addReceipt(kGroup, "G1", receipt(kAlice, kAlice, ReceiptType::Read, 5)));
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(u.status, MessageStatus::Read);
  // Receipts are idempotent.
  u = valueOf(s.messages.addReceipt(kGroup, "G1", receipt(kAlice, kAlice, ReceiptType::Read, 6)));
  EXPECT_FALSE(u.changed);
}

TEST(MessageStore, ReceiptForUnknownMessageIsNotFound) {
  MessageDb s;
  EXPECT_EQ(errorOf(s.messages.addReceipt(kBob, "none", receipt(kBob, kBob, ReceiptType::Read, 1))),
            Errc::NotFound);
}

TEST(MessageStore, MarkChatReadReturnsWhatNeedsReadReceipts) {
  MessageDb s;
  (void)valueOf(s.messages.insertIncoming(incoming(kGroup, "A2", 20, "second", kAlice)));
  auto first = incoming(kGroup, "B1", 10, "first", kBob);
  first.senderDevice = 4;
  (void)valueOf(s.messages.insertIncoming(first));
  auto notice = incoming(kGroup, "SYS", 15, "Alice joined", kAlice);
  notice.kind = api::MessageKind::System;
  (void)valueOf(s.messages.insertIncoming(notice));
  (void)valueOf(s.messages.insertOutgoing(outgoing(kGroup, "OUT", 25, "mine"), at(25)));
  (void)valueOf(s.messages.insertIncoming(incoming(kAlice, "D1", 5, "direct")));

  EXPECT_EQ(valueOf(s.chats.chat(kGroup))->unreadCount, 2);  // not the notice, not ours
  EXPECT_EQ(valueOf(s.chats.totalUnread()), 3);

  const auto targets = valueOf(s.messages.markChatRead(kGroup));
  ASSERT_EQ(targets.size(), 2U);
  EXPECT_EQ(targets[0].id, "B1");  // oldest first
  EXPECT_EQ(targets[0].senderJid, kBob);
  EXPECT_EQ(targets[0].senderDevice, 4U);
  EXPECT_EQ(targets[1].id, "A2");
  EXPECT_EQ(targets[1].senderJid, kAlice);
  EXPECT_EQ(valueOf(s.chats.chat(kGroup))->unreadCount, 0);
  EXPECT_EQ(valueOf(s.chats.totalUnread()), 1);
  for (const auto& v : valueOf(s.query.latest(kGroup, 10))) {
    if (v.direction == api::MessageDirection::Incoming) {
      EXPECT_EQ(v.status, MessageStatus::Read);
    }
  }
  EXPECT_TRUE(valueOf(s.messages.markChatRead(kGroup)).empty());
  EXPECT_TRUE(valueOf(s.messages.markChatRead(kCarol)).empty());  // unknown chat

  // Muted chats leave the tray count.
  ASSERT_OK(s.chats.setMuted(kAlice, true, at(30)));
  EXPECT_EQ(valueOf(s.chats.totalUnread()), 0);
}

TEST(MessageStore, RejectsUnusableInput) {
  MessageDb s;
  EXPECT_EQ(errorOf(s.messages.insertIncoming(incoming(kAlice, "", 1, "x"))),
            Errc::InvalidArgument);
  EXPECT_EQ(errorOf(s.messages.insertIncoming(incoming("not a jid", "I", 1, "x", kAlice))),
            Errc::InvalidArgument);
  EXPECT_EQ(errorOf(s.messages.insertIncoming(incoming(kAlice, std::string(200, 'A'), 1, "x"))),
            Errc::InvalidArgument);
  EXPECT_EQ(errorOf(s.messages.insertIncoming(incoming(kAlice,
                                                       "a\x1f"
                                                       "b",
                                                       1, "x"))),
            Errc::InvalidArgument);
  auto noPayload = outgoing(kBob, "O", 1, "x");
  noPayload.payload.clear();
  EXPECT_EQ(errorOf(s.messages.insertOutgoing(noPayload, at(1))), Errc::InvalidArgument);
  EXPECT_TRUE(valueOf(s.chats.chatList(10)).empty());
}

TEST(MessageStore, CallerTransactionCoversTheWrites) {
  MessageDb s;
  {
    auto tx = s.db->begin();
    ASSERT_OK(tx);
    (void)valueOf(s.messages.insertIncoming(incoming(kAlice, "T1", 1, "x")));
    (void)valueOf(s.messages.insertOutgoing(outgoing(kAlice, "T2", 2, "y"), at(2)));
    ASSERT_OK(tx->rollback());  // e.g. the Signal state failed to save
  }
  EXPECT_TRUE(valueOf(s.chats.chatList(10)).empty());
  EXPECT_TRUE(valueOf(s.outbox.due(at(10), 10)).empty());
  {
    auto tx = s.db->begin();
    ASSERT_OK(tx);
    (void)valueOf(s.messages.insertIncoming(incoming(kAlice, "T1", 1, "x")));
    ASSERT_OK(tx->commit());
  }
  EXPECT_EQ(valueOf(s.query.latest(kAlice, 10)).size(), 1U);
}

}  // namespace
}  // namespace chorus::core::store
