#include "core/store/account_schema.h"

#include <array>

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

constexpr std::array kMigrations{
    Migration{1, "credentials", kCredentials},
};

}  // namespace

std::span<const Migration> accountMigrations() noexcept {
  return kMigrations;
}

}  // namespace chorus::core::store
