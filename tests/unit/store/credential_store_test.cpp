#include "core/store/credential_store.h"

#include <gtest/gtest.h>

#include "core/store/account_schema.h"
#include "core/store/migrations.h"
#include "core/util/random.h"
#include "tests/unit/store/store_test_util.h"

namespace chorus::core::store {
namespace {

using test::errorOf;
using test::TempDir;

DataKey keyFrom(std::uint64_t seed) {
  SeededRandom random(seed);
  return DataKey::generate(random);
}

crypto::KeyPair keyPair(Random& random) {
  auto pair = crypto::generateKeyPair(random);
  EXPECT_TRUE(pair.has_value());
  return std::move(pair).value();
}

DeviceCredentials sample(Random& random) {
  DeviceCredentials c;
  c.noiseKey = keyPair(random);
  c.identityKey = keyPair(random);
  c.signedPreKey.id = 7;
  c.signedPreKey.keyPair = keyPair(random);
  c.signedPreKey.signature = random.bytes(64);
  c.registrationId = 12345;
  c.advSecret = random.secret(32);
  c.deviceJid = "447700900123:12@s.whatsapp.net";
  c.lid = "123456789012345:12@lid";
  c.pushName = "Corner Shop";
  c.platform = "chorus-linux";
  return c;
}

void expectSame(const DeviceCredentials& a, const DeviceCredentials& b) {
  EXPECT_EQ(a.noiseKey.publicKey, b.noiseKey.publicKey);
  EXPECT_TRUE(a.noiseKey.privateKey == b.noiseKey.privateKey);
  EXPECT_EQ(a.identityKey.publicKey, b.identityKey.publicKey);
  EXPECT_TRUE(a.identityKey.privateKey == b.identityKey.privateKey);
  EXPECT_EQ(a.signedPreKey.id, b.signedPreKey.id);
  EXPECT_EQ(a.signedPreKey.keyPair.publicKey, b.signedPreKey.keyPair.publicKey);
  EXPECT_TRUE(a.signedPreKey.keyPair.privateKey == b.signedPreKey.keyPair.privateKey);
  EXPECT_EQ(a.signedPreKey.signature, b.signedPreKey.signature);
  EXPECT_EQ(a.registrationId, b.registrationId);
  EXPECT_TRUE(a.advSecret == b.advSecret);
  EXPECT_EQ(a.deviceJid, b.deviceJid);
  EXPECT_EQ(a.lid, b.lid);
  EXPECT_EQ(a.pushName, b.pushName);
  EXPECT_EQ(a.platform, b.platform);
}

std::unique_ptr<Database> openMigrated(const std::filesystem::path& file) {
  auto opened = Database::open(file);
  EXPECT_TRUE(opened.has_value()) << describe(opened.error());
  if (!opened.has_value()) return nullptr;
  EXPECT_TRUE(migrate(**opened, accountMigrations()).has_value());
  return std::move(opened).value();
}

// One account folder: its database (migrated) and a cipher under a chosen data key.
struct Account {
  explicit Account(const std::filesystem::path& file, std::uint64_t keySeed = 7)
      : cipher(keyFrom(keySeed), random), db(openMigrated(file)), store(*db, cipher) {}
  SeededRandom random{99};
  ColumnCipher cipher;
  std::unique_ptr<Database> db;
  CredentialStore store;
};

TEST(CredentialStore, RoundTripAcrossReopen) {
  TempDir dir;
  SeededRandom random(1);
  const DeviceCredentials saved = sample(random);
  {
    Account account(dir.file("chorus.db"));
    EXPECT_FALSE(account.store.hasCredentials().value_or(true));
    EXPECT_EQ(errorOf(account.store.load()), Errc::NotFound);
    ASSERT_OK(account.store.save(saved));
    EXPECT_TRUE(account.store.hasCredentials().value_or(false));
  }
  Account account(dir.file("chorus.db"));
  auto loaded = account.store.load();
  ASSERT_OK(loaded);
  expectSame(*loaded, saved);
  EXPECT_TRUE(loaded->isPaired());
  expectSame(loaded->clone(), saved);
}

TEST(CredentialStore, SaveReplacesAndClearForgets) {
  TempDir dir;
  SeededRandom random(1);
  Account account(dir.file("chorus.db"));
  DeviceCredentials unpaired = sample(random);
  unpaired.deviceJid.clear();
  unpaired.lid.clear();
  unpaired.pushName.clear();
  ASSERT_OK(account.store.save(unpaired));
  auto first = account.store.load();
  ASSERT_OK(first);
  EXPECT_FALSE(first->isPaired());
  expectSame(*first, unpaired);

  const DeviceCredentials paired = sample(random);
  ASSERT_OK(account.store.save(paired));
  auto second = account.store.load();
  ASSERT_OK(second);
  expectSame(*second, paired);

  ASSERT_OK(account.store.clear());
  EXPECT_FALSE(account.store.hasCredentials().value_or(true));
  ASSERT_OK(account.store.clear());
}

TEST(CredentialStore, SaveJoinsTheCallersTransaction) {
  TempDir dir;
  SeededRandom random(1);
  Account account(dir.file("chorus.db"));
  {
    auto tx = account.db->begin();
    ASSERT_OK(tx);
    ASSERT_OK(account.store.save(sample(random)));
    EXPECT_TRUE(account.store.hasCredentials().value_or(false));
    ASSERT_OK(tx->rollback());
  }
  EXPECT_FALSE(account.store.hasCredentials().value_or(true));
}

TEST(CredentialStore, BadSizesAreRefusedBeforeWriting) {
  TempDir dir;
  SeededRandom random(1);
  Account account(dir.file("chorus.db"));
  DeviceCredentials c = sample(random);
  c.advSecret = random.secret(16);
  EXPECT_EQ(errorOf(account.store.save(c)), Errc::InvalidArgument);
  c = sample(random);
  c.signedPreKey.signature.pop_back();
  EXPECT_EQ(errorOf(account.store.save(c)), Errc::InvalidArgument);
  EXPECT_FALSE(account.store.hasCredentials().value_or(true));
}

TEST(CredentialStore, WrongDataKeyIsCryptoAndChangesNothing) {
  TempDir dir;
  SeededRandom random(1);
  const DeviceCredentials saved = sample(random);
  {
    Account account(dir.file("chorus.db"), 7);
    ASSERT_OK(account.store.save(saved));
  }
  {
    Account intruder(dir.file("chorus.db"), 8);
    EXPECT_TRUE(intruder.store.hasCredentials().value_or(false));
    auto loaded = intruder.store.load();
    EXPECT_EQ(errorOf(loaded), Errc::Crypto);
    EXPECT_NE(loaded.error().detail.find("wrong data key"), std::string::npos);
  }
  Account account(dir.file("chorus.db"), 7);
  auto loaded = account.store.load();
  ASSERT_OK(loaded);
  expectSame(*loaded, saved);
}

TEST(CredentialStore, CiphertextMovedToAnotherColumnIsRefused) {
  TempDir dir;
  SeededRandom random(1);
  Account account(dir.file("chorus.db"));
  ASSERT_OK(account.store.save(sample(random)));
  // Same size, same key: only the associated data tells them apart.
  ASSERT_OK(
      account.db->exec("UPDATE credentials SET noise_private = identity_private,"
                       " identity_private = noise_private"));
  EXPECT_EQ(errorOf(account.store.load()), Errc::Crypto);
}

TEST(CredentialStore, CiphertextSwappedBetweenRowsIsRefused) {
  // Two rows of one table under one key, as every multi-row table will be stored.
  TempDir dir;
  Account account(dir.file("chorus.db"));
  Database& db = *account.db;
  ASSERT_OK(db.exec("CREATE TABLE contacts (jid TEXT PRIMARY KEY, name BLOB NOT NULL)"));
  for (const char* jid : {"a@s.whatsapp.net", "b@s.whatsapp.net"}) {
    auto sealed =
        account.cipher.seal({"contacts", "name", jid}, asBytes(std::string("name of ") + jid));
    ASSERT_OK(sealed);
    auto insert = db.prepare("INSERT INTO contacts VALUES (?1, ?2)");
    ASSERT_OK(insert);
    ASSERT_OK(insert->bindText(1, jid));
    ASSERT_OK(insert->bindBlob(2, *sealed));
    ASSERT_OK(insert->run());
  }
  // Swap the two stored names (an UPDATE with a subquery would see its own first write).
  Bytes a, b;
  {
    auto read = db.prepare("SELECT name FROM contacts ORDER BY jid");
    ASSERT_OK(read);
    ASSERT_TRUE(read->step().value_or(false));
    a = read->columnBlob(0);
    ASSERT_TRUE(read->step().value_or(false));
    b = read->columnBlob(0);
  }
  ASSERT_NE(a, b);
  auto swap = db.prepare("UPDATE contacts SET name = ?1 WHERE jid = ?2");
  ASSERT_OK(swap);
  ASSERT_OK(swap->bindBlob(1, b));
  ASSERT_OK(swap->bindText(2, "a@s.whatsapp.net"));
  ASSERT_OK(swap->run());
  ASSERT_OK(swap->bindBlob(1, a));
  ASSERT_OK(swap->bindText(2, "b@s.whatsapp.net"));
  ASSERT_OK(swap->run());
  auto select = db.prepare("SELECT jid, name FROM contacts");
  ASSERT_OK(select);
  int rows = 0;
  while (select->step().value_or(false)) {
    ++rows;
    const std::string jid = select->columnText(0);
    EXPECT_EQ(errorOf(account.cipher.open({"contacts", "name", jid}, select->columnBlob(1))),
              Errc::Crypto);
  }
  EXPECT_EQ(rows, 2);
}

TEST(CredentialStore, TamperedPublicKeyIsAStorageError) {
  TempDir dir;
  SeededRandom random(1);
  Account account(dir.file("chorus.db"));
  ASSERT_OK(account.store.save(sample(random)));
  ASSERT_OK(account.db->exec("UPDATE credentials SET identity_public = noise_public"));
  EXPECT_EQ(errorOf(account.store.load()), Errc::Storage);
  ASSERT_OK(account.db->exec("UPDATE credentials SET identity_public = x'00'"));
  EXPECT_EQ(errorOf(account.store.load()), Errc::Storage);
}

DeviceIdentity sampleIdentity(Random& random) {
  DeviceIdentity identity;
  identity.signedDeviceIdentity = random.bytes(180);
  identity.primaryIdentityKey = keyPair(random).publicKey;
  identity.keyIndex = 7;
  return identity;
}

TEST(CredentialStore, IdentityIsSavedWithTheCredentialsAndReplacedWithThem) {
  TempDir dir;
  SeededRandom random(1);
  const DeviceCredentials paired = sample(random);
  const DeviceIdentity identity = sampleIdentity(random);
  {
    Account account(dir.file("chorus.db"));
    EXPECT_EQ(errorOf(account.store.loadIdentity()), Errc::NotFound);
    ASSERT_OK(account.store.save(paired, identity));
  }
  Account account(dir.file("chorus.db"));
  auto loaded = account.store.loadIdentity();
  ASSERT_OK(loaded);
  EXPECT_EQ(*loaded, identity);
  auto credentials = account.store.load();
  ASSERT_OK(credentials);
  expectSame(*credentials, paired);

  // Saving credentials alone (fresh ones after a logout) forgets the identity too.
  DeviceCredentials unpaired = sample(random);
  unpaired.deviceJid.clear();
  ASSERT_OK(account.store.save(unpaired));
  loaded = account.store.loadIdentity();
  ASSERT_OK(loaded);
  EXPECT_TRUE(loaded->empty());
  EXPECT_EQ(*loaded, DeviceIdentity{});
}

TEST(CredentialStore, InconsistentIdentityIsRefused) {
  TempDir dir;
  SeededRandom random(1);
  Account account(dir.file("chorus.db"));
  DeviceCredentials unpaired = sample(random);
  unpaired.deviceJid.clear();
  EXPECT_EQ(errorOf(account.store.save(unpaired, sampleIdentity(random))), Errc::InvalidArgument);
  DeviceIdentity shortKey = sampleIdentity(random);
  shortKey.primaryIdentityKey.pop_back();
  EXPECT_EQ(errorOf(account.store.save(sample(random), shortKey)), Errc::InvalidArgument);
  DeviceIdentity keyOnly;
  keyOnly.keyIndex = 3;
  EXPECT_EQ(errorOf(account.store.save(sample(random), keyOnly)), Errc::InvalidArgument);
  EXPECT_FALSE(account.store.hasCredentials().value_or(true));

  ASSERT_OK(account.store.save(sample(random), sampleIdentity(random)));
  ASSERT_OK(account.db->exec("UPDATE credentials SET primary_identity_key = x'0102'"));
  EXPECT_EQ(errorOf(account.store.loadIdentity()), Errc::Storage);
  ASSERT_OK(account.db->exec("UPDATE credentials SET signed_device_identity = device_jid"));
  EXPECT_EQ(errorOf(account.store.loadIdentity()), Errc::Crypto) << "moved from another column";
}

TEST(CredentialStore, RecordFromSchemaOneReadsWithAnEmptyIdentity) {
  // A database written before step 2: the new columns take their empty defaults.
  TempDir dir;
  SeededRandom random(1);
  const DeviceCredentials saved = sample(random);
  SeededRandom cipherRandom(99);
  ColumnCipher cipher(keyFrom(7), cipherRandom);
  {
    auto db = Database::open(dir.file("chorus.db"));
    ASSERT_OK(db);
    ASSERT_OK(migrate(**db, accountMigrations().first(1)));
    // What step 1's CredentialStore wrote: the same columns without the identity.
    auto seal = [&](std::string_view column, BytesView value) {
      return cipher.seal({"credentials", column, "1"}, value).value();
    };
    auto s = (*db)->prepare(
        "INSERT INTO credentials VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14)");
    ASSERT_OK(s);
    ASSERT_OK(s->bindBlob(1, saved.noiseKey.publicKey));
    ASSERT_OK(s->bindBlob(2, seal("noise_private", saved.noiseKey.privateKey.view())));
    ASSERT_OK(s->bindBlob(3, saved.identityKey.publicKey));
    ASSERT_OK(s->bindBlob(4, seal("identity_private", saved.identityKey.privateKey.view())));
    ASSERT_OK(s->bindInt(5, saved.signedPreKey.id));
    ASSERT_OK(s->bindBlob(6, saved.signedPreKey.keyPair.publicKey));
    ASSERT_OK(s->bindBlob(
        7, seal("signed_prekey_private", saved.signedPreKey.keyPair.privateKey.view())));
    ASSERT_OK(s->bindBlob(8, saved.signedPreKey.signature));
    ASSERT_OK(s->bindInt(9, saved.registrationId));
    ASSERT_OK(s->bindBlob(10, seal("adv_secret", saved.advSecret.view())));
    ASSERT_OK(s->bindBlob(11, seal("device_jid", asBytes(saved.deviceJid))));
    ASSERT_OK(s->bindBlob(12, seal("lid", asBytes(saved.lid))));
    ASSERT_OK(s->bindBlob(13, seal("push_name", asBytes(saved.pushName))));
    ASSERT_OK(s->bindText(14, saved.platform));
    ASSERT_OK(s->run());
  }
  Account account(dir.file("chorus.db"));  // migrates to the latest step
  auto loaded = account.store.load();
  ASSERT_OK(loaded);
  expectSame(*loaded, saved);
  auto identity = account.store.loadIdentity();
  ASSERT_OK(identity);
  EXPECT_TRUE(identity->empty());
}

TEST(CredentialStore, RawFilesHoldNoPrivateBytes) {
  TempDir dir;
  SeededRandom random(1);
  const DeviceCredentials saved = sample(random);
  const DeviceIdentity identity = sampleIdentity(random);
  std::vector<Bytes> files;
  auto snapshot = [&] {
    for (const char* name : {"chorus.db", "chorus.db-wal", "chorus.db-journal"}) {
      if (std::filesystem::exists(dir.file(name))) files.push_back(test::readFile(dir.file(name)));
    }
  };
  {
    Account account(dir.file("chorus.db"));
    ASSERT_OK(account.store.save(saved, identity));
    ASSERT_OK(account.store.save(saved, identity));  // a replaced row leaves no old copy behind
    snapshot();                                      // the WAL while open
  }
  snapshot();  // the checkpointed file after close
  ASSERT_FALSE(files.empty());

  bool sawPublicKey = false;  // proves the scan reads the data at all
  for (const Bytes& file : files) {
    sawPublicKey = sawPublicKey || test::contains(file, saved.identityKey.publicKey);
    EXPECT_FALSE(test::contains(file, saved.noiseKey.privateKey.view()));
    EXPECT_FALSE(test::contains(file, saved.identityKey.privateKey.view()));
    EXPECT_FALSE(test::contains(file, saved.signedPreKey.keyPair.privateKey.view()));
    EXPECT_FALSE(test::contains(file, saved.advSecret.view()));
    EXPECT_FALSE(test::contains(file, asBytes("447700900123")));
    EXPECT_FALSE(test::contains(file, asBytes(saved.pushName)));
    EXPECT_FALSE(test::contains(file, identity.signedDeviceIdentity));
  }
  EXPECT_TRUE(sawPublicKey);
}

}  // namespace
}  // namespace chorus::core::store
