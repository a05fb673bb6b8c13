// The schema of the message store: migration 4 "messages" in account_schema.cpp (chats,
// messages, per-device receipts of outgoing messages, contact names and the outbox). A
// constant in the header so the constexpr migration list can hold it.
#pragma once

#include <string_view>

namespace chorus::core::store {

// Columns marked (enc) hold ColumnCipher values. Their RowId primary key is the hex of the
// row's JID key (chats, contact_names), rows::messageRowKey (messages: chat id, author key, wire
// id — known before the insert) or the message id (outbox), so a value moved to another row
// fails to open.
//
// JIDs. A JID holds a phone number, and a stolen data folder must not list the business's
// customers, so no JID is stored in the clear. Each one appears twice:
//   *_key  HMAC-SHA256 of the JID under a lookup key derived from the data key (HKDF, see
//          message_lookup_key.h): equal JIDs give equal keys, so lookups and joins use an
//          index. A plain hash would not do: phone numbers are few enough (~10^12) to hash
//          them all, but without the keychain's data key the HMAC cannot be recomputed.
//   jid    the JID itself, sealed, for display and for addressing stanzas.
// Searching by number therefore cannot use SQL: ChatStore::search decrypts the chat list in
// memory (cheap for the few thousand chats of one number) and matches there.
//
// Ordering. Messages are ordered by (timestamp, id): the server time, then the local insert
// order (id is AUTOINCREMENT, so it never goes back even after deletions). Pages walk the
// index messages_page in both directions.
//
// Exactly once. A message is identified as on the wire: (chat, author, id). `sender_key` is
// x'' for our own messages (sent here or by our other devices) and the author's key otherwise,
// so UNIQUE (chat_id, sender_key, wire_id) turns a redelivered message into a no-op.
inline constexpr std::string_view kMessageSchemaSql = R"sql(
CREATE TABLE chats (
  id              INTEGER PRIMARY KEY,
  jid_key         BLOB NOT NULL UNIQUE,           -- HMAC of the chat JID
  jid             BLOB NOT NULL,                  -- (enc)
  kind            INTEGER NOT NULL,               -- 0 direct, 1 group
  name            BLOB,                           -- (enc) group subject / chosen name; NULL: none
  last_message_id INTEGER,                        -- messages.id of the preview (NULL: none)
  last_activity   INTEGER NOT NULL DEFAULT 0,     -- its timestamp, Unix ms: chat list order
  unread_count    INTEGER NOT NULL DEFAULT 0,
  muted           INTEGER NOT NULL DEFAULT 0,
  archived        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL
);
CREATE INDEX chats_activity ON chats (last_activity DESC, last_message_id DESC);

CREATE TABLE messages (
  id            INTEGER PRIMARY KEY AUTOINCREMENT, -- local insert order
  chat_id       INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  wire_id       TEXT NOT NULL,                     -- the id as sent on the wire
  sender_key    BLOB NOT NULL,                     -- x'' ours, else HMAC of the author's JID
  sender_jid    BLOB,                              -- (enc) author's user JID; NULL when ours
  sender_device INTEGER NOT NULL DEFAULT 0,        -- author's device number (0: the phone)
  from_me       INTEGER NOT NULL,                  -- 1 outgoing, 0 incoming
  kind          INTEGER NOT NULL,                  -- 0 text, 1 placeholder, 2 system
  status        INTEGER NOT NULL,                  -- 0 queued 1 sent 2 delivered 3 read 4 failed
  failure       TEXT,                              -- why it failed (never message text)
  timestamp     INTEGER NOT NULL,                  -- Unix ms: server time / local send time
  body          BLOB,                              -- (enc) text; NULL for a placeholder
  UNIQUE (chat_id, sender_key, wire_id)
);
CREATE INDEX messages_page ON messages (chat_id, timestamp, id);
-- Incoming messages not yet read here: what markChatRead sends read receipts for.
CREATE INDEX messages_unread ON messages (chat_id) WHERE from_me = 0 AND status = 2;

-- One row per recipient device of an outgoing message: expected at send time (both times
-- NULL), then filled in by receipts. Aggregation: message_store.h.
CREATE TABLE receipts (
  message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  device_key      BLOB NOT NULL,                   -- HMAC of the device JID
  participant_key BLOB NOT NULL,                   -- HMAC of its user JID
  delivered_at    INTEGER,                         -- Unix ms, NULL: not yet
  read_at         INTEGER,
  PRIMARY KEY (message_id, device_key)
) WITHOUT ROWID;

CREATE TABLE contact_names (                       -- ContactStore: what we know of people
  jid_key     BLOB PRIMARY KEY,                    -- HMAC of the user JID
  jid         BLOB NOT NULL,                       -- (enc)
  push_name   BLOB NOT NULL,                       -- (enc)
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Outgoing messages still to be sent, and the payload of sent ones (kept for peers' retry
-- receipts until pruned). Only SQLite holds this state, so a crash loses nothing.
CREATE TABLE outbox (
  message_id      INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  payload         BLOB NOT NULL,                   -- (enc) serialized Message protobuf
  state           INTEGER NOT NULL,                -- 0 pending, 1 sent, 2 failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,                -- Unix ms
  last_error      TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 0;
)sql";

}  // namespace chorus::core::store
