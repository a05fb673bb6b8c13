// The Signal protocol tables of an account's database: schema step 3 ("signal") in
// account_schema.cpp, read and written by SqlSignalStore (signal_sql_store.cpp names the RowIds
// of the encrypted columns). Our own identity key pair, registration id and current signed
// prekey are not here: they are the device credentials (credentials table, CredentialStore).
//
// Columns marked (enc) hold ColumnCipher values whose RowId is (table, column, key), the key
// being the row's primary key parts joined by SqlSignalStore, so a value copied into another
// row or table fails to open. Addresses ("user", "device") and remote identity keys are plain:
// lookups need them, and public keys are public.
#pragma once

#include <string_view>

namespace chorus::core::store {

inline constexpr std::string_view kSignalSchema = R"sql(
CREATE TABLE signal_prekeys (           -- our one-time prekeys
  id          INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 16777215),  -- 24-bit on the wire
  public_key  BLOB NOT NULL,
  private_key BLOB NOT NULL,            -- (enc)
  uploaded    INTEGER NOT NULL DEFAULT 0,
  used_at     INTEGER                   -- Unix ms when a pkmsg used it; NULL while unused
);
CREATE INDEX signal_prekeys_used ON signal_prekeys (used_at) WHERE used_at IS NOT NULL;

-- Signed prekeys that a rotation replaced, kept so pkmsgs built on them still decrypt. The
-- current one lives in credentials.
CREATE TABLE signal_retired_signed_prekeys (
  id          INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 16777215),
  public_key  BLOB NOT NULL,
  private_key BLOB NOT NULL,            -- (enc)
  signature   BLOB NOT NULL,
  created_at  INTEGER NOT NULL,         -- Unix ms; 0 when not known (the key from linking)
  retired_at  INTEGER NOT NULL          -- Unix ms
);

CREATE TABLE signal_identities (        -- remote identity keys, trusted on first use
  user         TEXT NOT NULL,
  device       INTEGER NOT NULL,
  identity_key BLOB NOT NULL,           -- 32, raw
  PRIMARY KEY (user, device)
) WITHOUT ROWID;

CREATE TABLE signal_sessions (
  user    TEXT NOT NULL,
  device  INTEGER NOT NULL,
  record  BLOB NOT NULL,                -- (enc) libsignal session record
  PRIMARY KEY (user, device)
) WITHOUT ROWID;

CREATE TABLE signal_sender_keys (
  group_id      TEXT NOT NULL,
  sender_user   TEXT NOT NULL,
  sender_device INTEGER NOT NULL,
  record        BLOB NOT NULL,          -- (enc) libsignal sender-key record
  PRIMARY KEY (group_id, sender_user, sender_device)
) WITHOUT ROWID;

-- Counters and facts about the current signed prekey that the credentials do not record.
CREATE TABLE signal_state (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  next_prekey_id        INTEGER NOT NULL CHECK (next_prekey_id BETWEEN 1 AND 16777215),
  signed_prekey_id      INTEGER,        -- the credentials' signed prekey these facts are about
  signed_prekey_created INTEGER         -- Unix ms
);
INSERT INTO signal_state (id, next_prekey_id) VALUES (1, 1);
)sql";

}  // namespace chorus::core::store
