// The message store of one account for tests: a database (file or memory) migrated to the
// account schema, the column cipher and lookup key under a seeded data key, and every message
// store class over them. Plus small builders for messages.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/store/account_schema.h"
#include "core/store/chat_store.h"
#include "core/store/contact_store.h"
#include "core/store/message_query.h"
#include "core/store/message_store.h"
#include "core/store/migrations.h"
#include "core/store/outbox.h"
#include "core/util/random.h"
#include "tests/unit/store/store_test_util.h"

namespace chorus::core::store::test {

inline constexpr std::string_view kAlice = "447700900123@s.whatsapp.net";
inline constexpr std::string_view kBob = "447700900456@s.whatsapp.net";
inline constexpr std::string_view kCarol = "15550000003@s.whatsapp.net";
inline constexpr std::string_view kGroup = "120363000000000001@g.us";

inline TimePoint at(std::int64_t seconds) {
  return fromUnixSeconds(1'700'000'000 + seconds);
}

inline DataKey dataKeyFrom(std::uint64_t seed) {
  SeededRandom random(seed);
  return DataKey::generate(random);
}

inline MessageLookupKey lookupKeyFrom(std::uint64_t seed) {
  auto key = MessageLookupKey::derive(dataKeyFrom(seed));
  EXPECT_TRUE(key.has_value());
  return std::move(key).value();
}

inline std::unique_ptr<Database> openMigrated(const std::filesystem::path* file) {
  auto opened = file ? Database::open(*file) : Database::openInMemory();
  EXPECT_TRUE(opened.has_value()) << describe(opened.error());
  if (!opened.has_value()) return nullptr;
  auto migrated = migrate(**opened, accountMigrations());
  EXPECT_TRUE(migrated.has_value()) << describe(migrated.error());
  return std::move(opened).value();
}

struct MessageDb {
  // In memory when `file` is null.
  explicit MessageDb(const std::filesystem::path* file = nullptr, std::uint64_t keySeed = 7,
                     OutboxPolicy policy = {})
      : cipher(dataKeyFrom(keySeed), random),
        lookup(lookupKeyFrom(keySeed)),
        db(openMigrated(file)),
        messages(*db, cipher, lookup),
        chats(*db, cipher, lookup),
        query(*db, cipher, lookup),
        contacts(*db, cipher, lookup),
        outbox(*db, cipher, lookup, policy) {}

  SeededRandom random{99};
  ColumnCipher cipher;
  MessageLookupKey lookup;
  std::unique_ptr<Database> db;
  MessageStore messages;
  ChatStore chats;
  MessageQuery query;
  ContactStore contacts;
  Outbox outbox;
};

inline IncomingMessage incoming(std::string_view chat, std::string_view id, std::int64_t seconds,
                                std::string_view text, std::string_view sender = {}) {
  IncomingMessage m;
  m.chatJid = std::string(chat);
  m.senderJid = std::string(sender.empty() ? chat : sender);
  m.id = std::string(id);
  m.timestamp = at(seconds);
  m.text = std::string(text);
  return m;
}

inline OutgoingMessage outgoing(std::string_view chat, std::string_view id, std::int64_t seconds,
                                std::string_view text) {
  OutgoingMessage m;
  m.chatJid = std::string(chat);
  m.id = std::string(id);
  m.timestamp = at(seconds);
  m.text = std::string(text);
  m.payload = toBytes("payload:" + std::string(text));
  return m;
}

template <class T>
T valueOf(Result<T> result) {
  EXPECT_TRUE(result.has_value()) << describe(result.error());
  if (!result.has_value()) return T{};
  return std::move(result).value();
}

}  // namespace chorus::core::store::test
