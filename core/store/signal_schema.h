// The Signal protocol tables of an account's database: schema step 3 ("signal") in
// account_schema.cpp, read and written by SqlSignalStore (signal_sql_store.cpp names the RowIds
// of the encrypted columns). Our own identity key pair, registration id and current signed
// prekey are not here: they are the device credentials (credentials table, CredentialStore).
//
// Columns marked (enc) hold ColumnCipher values whose RowId is (table, column, key), the key
// being the row's plain address parts (user, device; group id) joined by SqlSignalStore, so a
// value copied into another row or table fails to open. The associated data is not stored.
//
// Contacts. A Signal address's user is a phone number (or LID), and a stolen data folder must
// not list the business's contacts or groups, so neither is stored, not even sealed (nothing
// lists them back):
//   *_hash  HMAC-SHA256 of the user or group id under the Signal-domain lookup key derived
//           from the data key (HKDF, see lookup_key.h): equal values give equal hashes, so
//           lookups use the primary key, but without the keychain the HMAC cannot be
//           recomputed. (`_hash`, not the message store's `_key`, which here would read as a
//           cryptographic key.)
// Device numbers stay plain: alone they reveal nothing, and SqlSignalStore::sessionDevices
// lists them per user. Remote identity keys are plain: they are public keys.
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
  user_hash    BLOB NOT NULL,           -- HMAC of the user
  device       INTEGER NOT NULL,
  identity_key BLOB NOT NULL,           -- 32, raw
  PRIMARY KEY (user_hash, device)
) WITHOUT ROWID;

CREATE TABLE signal_sessions (
  user_hash BLOB NOT NULL,              -- HMAC of the user
  device    INTEGER NOT NULL,
  record    BLOB NOT NULL,              -- (enc) libsignal session record
  PRIMARY KEY (user_hash, device)
) WITHOUT ROWID;

CREATE TABLE signal_sender_keys (
  group_hash       BLOB NOT NULL,       -- HMAC of the group id ("<group>@g.us")
  sender_user_hash BLOB NOT NULL,       -- HMAC of the sender's user
  sender_device    INTEGER NOT NULL,
  record           BLOB NOT NULL,       -- (enc) libsignal sender-key record
  PRIMARY KEY (group_hash, sender_user_hash, sender_device)
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

// Schema step 5 ("sender key holders"): the devices that received our own sender key of a group
// (in an SKDM the server acknowledged), so a group text after a restart goes to them as one
// skmsg without distributing the key again. Hashes only, like the tables above: nothing lists
// a group's members back; the messenger asks "does this device have it?".
inline constexpr std::string_view kSenderKeyHoldersSchema = R"sql(
CREATE TABLE signal_sender_key_holders (
  group_hash BLOB NOT NULL,             -- HMAC of the group id
  user_hash  BLOB NOT NULL,             -- HMAC of the holder device's user
  device     INTEGER NOT NULL,
  PRIMARY KEY (group_hash, user_hash, device)
) WITHOUT ROWID;
CREATE INDEX signal_sender_key_holders_user ON signal_sender_key_holders (user_hash);
)sql";

}  // namespace chorus::core::store
