#include "core/store/account_schema.h"

#include <array>

#include "core/store/message_schema.h"
#include "core/store/signal_schema.h"

namespace chorus::core::store {

namespace {

// Columns marked (enc) hold ColumnCipher values (credential_store.cpp names their RowIds).
constexpr std::string_view kCredentials = R"sql(
CREATE TABLE credentials (
  id                      INTEGER PRIMARY KEY CHECK (id = 1),  -- one device per database
  noise_public            BLOB NOT NULL,
  noise_private           BLOB NOT NULL,     -- (enc)
  identity_public         BLOB NOT NULL,
  identity_private        BLOB NOT NULL,     -- (enc)
  signed_prekey_id        INTEGER NOT NULL,
  signed_prekey_public    BLOB NOT NULL,
  signed_prekey_private   BLOB NOT NULL,     -- (enc)
  signed_prekey_signature BLOB NOT NULL,
  registration_id         INTEGER NOT NULL,
  adv_secret              BLOB NOT NULL,     -- (enc)
  device_jid              BLOB NOT NULL,     -- (enc) holds the phone number
  lid                     BLOB NOT NULL,     -- (enc)
  push_name               BLOB NOT NULL,     -- (enc)
  platform                TEXT NOT NULL
);
)sql";

// The account's own row (account_meta_store.cpp): what the registry lists. Nothing here is
// secret: the name is chosen by the person, the phone is stored masked only. And what
// <pair-success> yields besides the credentials (credential_store.cpp): the signed device
// identity for <device-identity> on prekey messages (enc), the phone's identity key, the key
// index. Rows from before this step keep empty values ("not recorded").
constexpr std::string_view kAccountAndDeviceIdentity = R"sql(
CREATE TABLE account (
  id            INTEGER PRIMARY KEY CHECK (id = 1),  -- one account per database
  name          TEXT NOT NULL,
  auto_connect  INTEGER NOT NULL,
  masked_phone  TEXT NOT NULL,   -- like maskPhone(); empty until linked
  created_at    INTEGER NOT NULL -- Unix milliseconds
);
ALTER TABLE credentials ADD COLUMN signed_device_identity BLOB NOT NULL DEFAULT x'';  -- (enc)
ALTER TABLE credentials ADD COLUMN primary_identity_key BLOB NOT NULL DEFAULT x'';
ALTER TABLE credentials ADD COLUMN key_index INTEGER NOT NULL DEFAULT 0;
)sql";

constexpr std::array kMigrations{
    Migration{1, "credentials", kCredentials},
    Migration{2, "account and device identity", kAccountAndDeviceIdentity},
    Migration{3, "signal", kSignalSchema},
    Migration{4, "messages", kMessageSchemaSql},
    Migration{5, "sender key holders", kSenderKeyHoldersSchema},
};

}  // namespace

std::span<const Migration> accountMigrations() noexcept {
  return kMigrations;
}

}  // namespace chorus::core::store
