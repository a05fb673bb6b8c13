#include "core/store/signal_sql_store.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "core/crypto/hash.h"
#include "core/signal/group_cipher.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "core/store/account_schema.h"
#include "core/store/credential_store.h"
#include "core/store/message_lookup_key.h"
#include "core/store/migrations.h"
#include "core/util/random.h"
#include "tests/unit/store/store_test_util.h"

namespace chorus::core::store {
namespace {

using signal::PreKey;
using signal::PreKeyBundle;
using signal::SenderKeyName;
using signal::SignalAddress;
using signal::SignedPreKey;
using test::errorOf;
using test::TempDir;

constexpr std::uint64_t kDataKeySeed = 7;

DataKey keyFrom(std::uint64_t seed) {
  SeededRandom random(seed);
  return DataKey::generate(random);
}

LookupKey lookupFrom(std::uint64_t seed) {
  auto key = LookupKey::derive(keyFrom(seed), LookupDomain::Signal);
  EXPECT_TRUE(key.has_value());
  return std::move(key).value();
}

std::unique_ptr<Database> openMigrated(const std::filesystem::path& file) {
  auto opened = Database::open(file);
  EXPECT_TRUE(opened.has_value()) << describe(opened.error());
  if (!opened.has_value()) return nullptr;
  EXPECT_TRUE(migrate(**opened, accountMigrations()).has_value());
  return std::move(opened).value();
}

signal::IdentityKeyPair signalIdentity(const DeviceCredentials& c) {
  return {c.identityKey.publicKey, c.identityKey.privateKey.clone()};
}

// Credentials as linking makes them (protocol §6.1), with signed prekey 1.
DeviceCredentials makeCredentials(Random& random) {
  DeviceCredentials c;
  c.noiseKey = crypto::generateKeyPair(random).value();
  c.identityKey = crypto::generateKeyPair(random).value();
  SignedPreKey spk = signal::generateSignedPreKey(signalIdentity(c), 1, random).value();
  c.signedPreKey = {spk.id, {spk.privateKey.clone(), spk.publicKey}, spk.signature};
  c.registrationId = signal::generateRegistrationId(random);
  c.advSecret = random.secret(32);
  c.platform = "chorus-test";
  return c;
}

// One account: a database file, its data key (cipher and lookup key), a SqlSignalStore and
// ciphers on it. close() and
// open() simulate a restart.
struct Device {
  Device(const std::filesystem::path& dbFile, std::string user, std::int32_t device,
         std::uint64_t seed, FakeClock& fakeClock, std::uint64_t keySeed = kDataKeySeed)
      : file(dbFile),
        address{std::move(user), device},
        random(seed),
        clock(fakeClock),
        cipher(keyFrom(keySeed), random),
        lookup(lookupFrom(keySeed)) {
    open();
    credentials = makeCredentials(random);
    EXPECT_TRUE(CredentialStore(*db, cipher).save(credentials).has_value());
  }
  ~Device() { close(); }

  void open() {
    db = openMigrated(file);
    store = std::make_unique<SqlSignalStore>(*db, cipher, lookup, clock);
    context = std::make_unique<signal::SignalContext>(
        signal::SignalContext::create(*store, random).value());
    sessions = std::make_unique<signal::SessionCipher>(*context);
    groups = std::make_unique<signal::GroupCipher>(*context);
  }
  void close() {
    groups.reset();
    sessions.reset();
    context.reset();
    store.reset();
    db.reset();
  }
  void reopen() {
    close();
    open();
  }

  std::vector<PreKey> addPreKeys(std::size_t count) {
    const std::uint32_t first = store->nextPreKeyId().value();
    std::vector<PreKey> keys = signal::generatePreKeys(first, count, random).value();
    EXPECT_TRUE(store->storePreKeys(keys).has_value());
    return keys;
  }

  // What the server would hand out for this device (protocol §8.3).
  PreKeyBundle bundle(std::optional<std::uint32_t> preKeyId) {
    PreKeyBundle b;
    b.registrationId = store->registrationId().value();
    b.deviceId = address.device;
    b.identityKey = store->identityKeyPair().value().publicKey;
    const SignedPreKey spk = store->currentSignedPreKey().value().key.clone();
    b.signedPreKeyId = spk.id;
    b.signedPreKey = spk.publicKey;
    b.signedPreKeySignature = spk.signature;
    if (preKeyId) {
      auto key = store->preKey(*preKeyId).value();
      EXPECT_TRUE(key.has_value());
      if (key) b.preKey = PreKeyBundle::OneTimePreKey{key->id, key->publicKey};
    }
    return b;
  }

  std::filesystem::path file;
  SignalAddress address;
  SeededRandom random;
  FakeClock& clock;
  ColumnCipher cipher;
  LookupKey lookup;
  DeviceCredentials credentials;
  std::unique_ptr<Database> db;
  std::unique_ptr<SqlSignalStore> store;
  std::unique_ptr<signal::SignalContext> context;
  std::unique_ptr<signal::SessionCipher> sessions;
  std::unique_ptr<signal::GroupCipher> groups;
};

// Every byte SQLite left in the folder: the database and, while open, its WAL.
Bytes folderBytes(const TempDir& dir) {
  Bytes all;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    append(all, test::readFile(entry.path()));
  }
  return all;
}

Status exec(Database& db, std::string_view sql) {
  return db.exec(sql);
}

// Runs `sql` with the lookup hashes of `values` bound to ?1, ?2 ... (rows are found by hash).
Status execHashed(Device& d, std::string_view sql, std::initializer_list<std::string_view> values) {
  CHORUS_TRY(s, d.db->prepare(sql));
  int index = 1;
  for (std::string_view value : values) CHORUS_CHECK(s.bindBlob(index++, d.lookup.hash(value)));
  return s.run();
}

class SqlSignalStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  FakeClock clock;
  Device me{dir.file("me.db"), "15550000001", 0, 1, clock};
  SqlSignalStore& store() { return *me.store; }
};

// ---- the behaviours MemorySignalStore has -------------------------------------------------

TEST_F(SqlSignalStoreTest, RoundTripsLikeTheMemoryStore) {
  const SignalAddress a{"1", 1}, b{"1", 2}, c{"2", 1};
  EXPECT_FALSE(store().session(a).value().has_value());
  ASSERT_OK(store().storeSession(a, Bytes{1, 2}));
  ASSERT_OK(store().storeSession(b, Bytes{3}));
  ASSERT_OK(store().storeSession(c, Bytes{4}));
  EXPECT_EQ(toBytes(store().session(a).value()->view()), (Bytes{1, 2}));
  ASSERT_OK(store().storeSession(a, Bytes{9, 9}));  // replaces
  EXPECT_EQ(toBytes(store().session(a).value()->view()), (Bytes{9, 9}));
  auto devices = store().sessionDevices("1").value();
  std::sort(devices.begin(), devices.end());
  EXPECT_EQ(devices, (std::vector<std::int32_t>{1, 2}));
  EXPECT_TRUE(store().removeSession(a).value());
  EXPECT_FALSE(store().removeSession(a).value());
  EXPECT_EQ(store().removeAllSessions("1").value(), 1u);
  EXPECT_TRUE(store().sessionDevices("1").value().empty());
  EXPECT_TRUE(store().session(c).value().has_value());

  ASSERT_OK(store().saveRemoteIdentity(a, Bytes(32, 9)));
  EXPECT_EQ(*store().remoteIdentity(a).value(), Bytes(32, 9));
  EXPECT_FALSE(store().remoteIdentity(b).value().has_value());
  EXPECT_EQ(errorOf(store().saveRemoteIdentity(a, Bytes(33, 5))), Errc::InvalidArgument);
  ASSERT_OK(store().removeRemoteIdentity(a));
  EXPECT_FALSE(store().remoteIdentity(a).value().has_value());

  SenderKeyName name{"g@g.us", a};
  SenderKeyName other{"h@g.us", a};
  EXPECT_FALSE(store().senderKey(name).value().has_value());
  ASSERT_OK(store().storeSenderKey(name, Bytes{5}));
  EXPECT_EQ(toBytes(store().senderKey(name).value()->view()), Bytes{5});
  EXPECT_FALSE(store().senderKey(other).value().has_value());
}

TEST_F(SqlSignalStoreTest, IdentityAndRegistrationIdAreTheCredentials) {
  const auto identity = store().identityKeyPair().value();
  EXPECT_EQ(identity.publicKey, me.credentials.identityKey.publicKey);
  EXPECT_TRUE(identity.privateKey == me.credentials.identityKey.privateKey);
  EXPECT_EQ(store().registrationId().value(), me.credentials.registrationId);
  const auto current = store().currentSignedPreKey().value();
  EXPECT_EQ(current.key.id, 1u);
  EXPECT_EQ(current.key.publicKey, me.credentials.signedPreKey.keyPair.publicKey);
  EXPECT_FALSE(current.createdAt.has_value());  // made at linking: age not recorded
  EXPECT_TRUE(store().signedPreKey(1).value().has_value());
  EXPECT_FALSE(store().signedPreKey(2).value().has_value());

  // Nothing of the credentials is duplicated into the signal tables.
  auto s = me.db->prepare("SELECT count(*) FROM signal_retired_signed_prekeys").value();
  ASSERT_TRUE(s.step().value());
  EXPECT_EQ(s.columnInt(0), 0);
}

TEST(SqlSignalStoreNoCredentials, IdentityIsNotFoundUntilLinked) {
  auto db = Database::openInMemory().value();
  ASSERT_OK(migrate(*db, accountMigrations()));
  SeededRandom random(3);
  ColumnCipher cipher(keyFrom(kDataKeySeed), random);
  const LookupKey lookup = lookupFrom(kDataKeySeed);
  FakeClock clock;
  SqlSignalStore store(*db, cipher, lookup, clock);
  EXPECT_EQ(errorOf(store.identityKeyPair()), Errc::NotFound);
  EXPECT_EQ(errorOf(store.registrationId()), Errc::NotFound);
  EXPECT_EQ(errorOf(store.currentSignedPreKey()), Errc::NotFound);
  EXPECT_FALSE(store.signedPreKey(1).value().has_value());
  EXPECT_EQ(store.nextPreKeyId().value(), 1u);
}

// ---- prekeys -------------------------------------------------------------------------------

TEST_F(SqlSignalStoreTest, PreKeysAreHandedOutInOrderAndTracked) {
  EXPECT_EQ(store().nextPreKeyId().value(), 1u);
  const auto keys = me.addPreKeys(5);
  EXPECT_EQ(store().nextPreKeyId().value(), 6u);
  const auto loaded = store().preKey(3).value();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->publicKey, keys[2].publicKey);
  EXPECT_TRUE(loaded->privateKey == keys[2].privateKey);
  EXPECT_FALSE(store().preKey(6).value().has_value());
  EXPECT_FALSE(store().preKey(0).value().has_value());
  EXPECT_FALSE(store().preKey(0x1000000).value().has_value());

  // Upload bookkeeping: the unuploaded ones, lowest first, public halves only.
  auto pending = store().unuploadedPreKeys(3).value();
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].id, 1u);
  EXPECT_EQ(pending[2].publicKey, keys[2].publicKey);
  const std::vector<std::uint32_t> sent{1, 2, 3};
  ASSERT_OK(store().markPreKeysUploaded(sent));
  EXPECT_EQ(store().uploadedPreKeyCount().value(), 3u);
  pending = store().unuploadedPreKeys(100).value();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].id, 4u);

  // A batch must continue from nextPreKeyId(): anything else stores nothing.
  auto wrongStart = signal::generatePreKeys(9, 2, me.random).value();
  EXPECT_EQ(errorOf(store().storePreKeys(wrongStart)), Errc::InvalidArgument);
  EXPECT_FALSE(store().preKey(9).value().has_value());
  EXPECT_EQ(store().nextPreKeyId().value(), 6u);

  // The interface's single store advances the counter when it is the next id.
  auto single = signal::generatePreKeys(6, 1, me.random).value();
  ASSERT_OK(store().storePreKey(single[0]));
  EXPECT_EQ(store().nextPreKeyId().value(), 7u);
  PreKey bad = single[0].clone();
  bad.id = 0;
  EXPECT_EQ(errorOf(store().storePreKey(bad)), Errc::InvalidArgument);
}

TEST_F(SqlSignalStoreTest, PreKeyIdsWrapFrom24BitsToOne) {
  ASSERT_OK(exec(*me.db, "UPDATE signal_state SET next_prekey_id = 16777214"));
  const auto keys = me.addPreKeys(4);
  EXPECT_EQ(keys[0].id, 0xFFFFFEu);
  EXPECT_EQ(keys[1].id, 0xFFFFFFu);
  EXPECT_EQ(keys[2].id, 1u);
  EXPECT_EQ(keys[3].id, 2u);
  EXPECT_EQ(store().nextPreKeyId().value(), 3u);
  EXPECT_TRUE(store().preKey(0xFFFFFF).value().has_value());
  EXPECT_TRUE(store().preKey(2).value().has_value());

  ASSERT_OK(exec(*me.db, "UPDATE signal_state SET next_prekey_id = 16777215"));
  auto last = signal::generatePreKeys(0xFFFFFF, 1, me.random).value();
  ASSERT_OK(store().storePreKey(last[0]));
  EXPECT_EQ(store().nextPreKeyId().value(), 1u);
}

TEST_F(SqlSignalStoreTest, UsedPreKeyStaysReadableThroughTheGraceWindow) {
  const auto keys = me.addPreKeys(3);
  ASSERT_OK(store().markPreKeysUploaded(std::vector<std::uint32_t>{1, 2, 3}));
  ASSERT_OK(store().removePreKey(1));
  ASSERT_OK(store().removePreKey(99));  // unknown: not an error
  EXPECT_EQ(store().uploadedPreKeyCount().value(), 2u);

  // Still there for a retransmitted pkmsg...
  clock.advance(kUsedPreKeyGrace);
  auto used = store().preKey(1).value();
  ASSERT_TRUE(used.has_value());
  EXPECT_TRUE(used->privateKey == keys[0].privateKey);
  // ...and a second removal does not restart the window.
  ASSERT_OK(store().removePreKey(1));
  EXPECT_EQ(store().purgeUsedPreKeys(clock.now(), kUsedPreKeyGrace).value(), 0u);

  clock.advance(Millis(1));
  EXPECT_FALSE(store().preKey(1).value().has_value());
  EXPECT_TRUE(store().preKey(2).value().has_value());  // unused keys never expire
  EXPECT_EQ(store().purgeUsedPreKeys(clock.now(), kUsedPreKeyGrace).value(), 1u);
  auto s = me.db->prepare("SELECT count(*) FROM signal_prekeys").value();
  ASSERT_TRUE(s.step().value());
  EXPECT_EQ(s.columnInt(0), 2);
}

// ---- signed prekeys ------------------------------------------------------------------------

TEST_F(SqlSignalStoreTest, SignedPreKeyRotationKeepsThePreviousOneForAGracePeriod) {
  const signal::IdentityKeyPair identity = store().identityKeyPair().value();
  clock.advance(std::chrono::hours(1));
  SignedPreKey next = signal::generateSignedPreKey(identity, 2, me.random).value();
  ASSERT_OK(store().storeSignedPreKey(next));

  const auto current = store().currentSignedPreKey().value();
  EXPECT_EQ(current.key.id, 2u);
  EXPECT_EQ(current.key.publicKey, next.publicKey);
  ASSERT_TRUE(current.createdAt.has_value());
  EXPECT_EQ(*current.createdAt, clock.now());
  // The credentials now carry it (what uploads and the login payload read).
  const auto credentials = CredentialStore(*me.db, me.cipher).load().value();
  EXPECT_EQ(credentials.signedPreKey.id, 2u);
  EXPECT_EQ(credentials.signedPreKey.keyPair.publicKey, next.publicKey);
  EXPECT_EQ(credentials.identityKey.publicKey, identity.publicKey);

  // The retired one still opens pkmsgs built on it.
  auto retired = store().signedPreKey(1).value();
  ASSERT_TRUE(retired.has_value());
  EXPECT_EQ(retired->publicKey, me.credentials.signedPreKey.keyPair.publicKey);
  EXPECT_TRUE(retired->privateKey == me.credentials.signedPreKey.keyPair.privateKey);
  EXPECT_EQ(retired->signature, me.credentials.signedPreKey.signature);

  EXPECT_EQ(errorOf(store().removeSignedPreKey(2)), Errc::InvalidArgument);
  clock.advance(kRetiredSignedPreKeyGrace);
  EXPECT_EQ(store().purgeRetiredSignedPreKeys(clock.now(), kRetiredSignedPreKeyGrace).value(), 0u);
  clock.advance(Millis(1));
  EXPECT_EQ(store().purgeRetiredSignedPreKeys(clock.now(), kRetiredSignedPreKeyGrace).value(), 1u);
  EXPECT_FALSE(store().signedPreKey(1).value().has_value());
  EXPECT_TRUE(store().signedPreKey(2).value().has_value());
}

TEST_F(SqlSignalStoreTest, RefusesSignedPreKeysThatWouldBreakTheCredentials) {
  const signal::IdentityKeyPair identity = store().identityKeyPair().value();
  SignedPreKey good = signal::generateSignedPreKey(identity, 2, me.random).value();

  SignedPreKey badSignature = good.clone();
  badSignature.signature[0] ^= 1;
  EXPECT_EQ(errorOf(store().storeSignedPreKey(badSignature)), Errc::InvalidArgument);

  SignedPreKey mismatched = good.clone();
  mismatched.privateKey = me.random.secret(32);
  EXPECT_EQ(errorOf(store().storeSignedPreKey(mismatched)), Errc::InvalidArgument);

  SignedPreKey foreign =
      signal::generateSignedPreKey(signal::generateIdentityKeyPair(me.random).value(), 2, me.random)
          .value();
  EXPECT_EQ(errorOf(store().storeSignedPreKey(foreign)), Errc::InvalidArgument);

  EXPECT_EQ(store().currentSignedPreKey().value().key.id, 1u);
}

// ---- durability and secrecy ----------------------------------------------------------------

TEST_F(SqlSignalStoreTest, EverythingSurvivesAReopen) {
  const SignalAddress peer{"15550000002", 3};
  const SenderKeyName group{"120363000000000000@g.us", peer};
  me.addPreKeys(4);
  ASSERT_OK(store().markPreKeysUploaded(std::vector<std::uint32_t>{1, 2}));
  ASSERT_OK(store().removePreKey(2));
  ASSERT_OK(store().storeSession(peer, Bytes{1, 2, 3}));
  ASSERT_OK(store().storeSenderKey(group, Bytes{4, 5}));
  ASSERT_OK(store().saveRemoteIdentity(peer, Bytes(32, 7)));
  const signal::IdentityKeyPair identity = store().identityKeyPair().value();
  ASSERT_OK(
      store().storeSignedPreKey(signal::generateSignedPreKey(identity, 2, me.random).value()));

  me.reopen();
  EXPECT_EQ(toBytes(store().session(peer).value()->view()), (Bytes{1, 2, 3}));
  EXPECT_EQ(toBytes(store().senderKey(group).value()->view()), (Bytes{4, 5}));
  EXPECT_EQ(*store().remoteIdentity(peer).value(), Bytes(32, 7));
  EXPECT_EQ(store().nextPreKeyId().value(), 5u);
  EXPECT_EQ(store().uploadedPreKeyCount().value(), 1u);
  EXPECT_EQ(store().unuploadedPreKeys(10).value().size(), 2u);
  EXPECT_TRUE(store().preKey(2).value().has_value());  // used, in its grace window
  EXPECT_EQ(store().currentSignedPreKey().value().key.id, 2u);
  EXPECT_TRUE(store().signedPreKey(1).value().has_value());
  EXPECT_EQ(store().identityKeyPair().value().publicKey, identity.publicKey);
}

TEST_F(SqlSignalStoreTest, SenderKeyHoldersAreRememberedAndForgotten) {
  const std::string groupA = "120363000000000001@g.us";
  const std::string groupB = "120363000000000002@g.us";
  const SignalAddress phone{"15550000002", 0};
  const SignalAddress laptop{"15550000002", 5};
  const SignalAddress other{"15550000003", 0};
  EXPECT_FALSE(store().isSenderKeyHolder(groupA, phone).value());
  ASSERT_OK(store().addSenderKeyHolders(groupA, std::vector<SignalAddress>{phone, laptop, other}));
  ASSERT_OK(store().addSenderKeyHolders(groupA, std::vector<SignalAddress>{phone}));  // again
  ASSERT_OK(store().addSenderKeyHolders(groupB, std::vector<SignalAddress>{phone, other}));
  EXPECT_TRUE(store().isSenderKeyHolder(groupA, laptop).value());
  EXPECT_FALSE(store().isSenderKeyHolder(groupB, laptop).value()) << "per group";
  EXPECT_FALSE(store().isSenderKeyHolder(groupA, {"15550000002", 6}).value()) << "per device";

  me.reopen();
  EXPECT_TRUE(store().isSenderKeyHolder(groupA, phone).value());
  EXPECT_TRUE(store().isSenderKeyHolder(groupB, other).value());

  // A user's devices changed: none of their devices counts as a holder in any group.
  ASSERT_OK(store().forgetSenderKeyHolder(phone.user));
  EXPECT_FALSE(store().isSenderKeyHolder(groupA, phone).value());
  EXPECT_FALSE(store().isSenderKeyHolder(groupA, laptop).value());
  EXPECT_FALSE(store().isSenderKeyHolder(groupB, phone).value());
  EXPECT_TRUE(store().isSenderKeyHolder(groupA, other).value());

  // Our key of group A was replaced: nobody has the new one.
  ASSERT_OK(store().removeSenderKeyHolders(groupA));
  EXPECT_FALSE(store().isSenderKeyHolder(groupA, other).value());
  EXPECT_TRUE(store().isSenderKeyHolder(groupB, other).value());
}

TEST_F(SqlSignalStoreTest, NoSecretIsStoredInTheClear) {
  constexpr std::string_view kPhone = "15551234567";
  constexpr std::string_view kGroupDigits = "120363021234567890";
  const SignalAddress peer{std::string(kPhone), 3};
  const SenderKeyName group{std::string(kGroupDigits) + "@g.us", peer};
  const auto keys = me.addPreKeys(3);
  const Bytes sessionRecord = me.random.bytes(200);
  const Bytes senderKeyRecord = me.random.bytes(120);
  ASSERT_OK(store().storeSession(peer, sessionRecord));
  ASSERT_OK(store().storeSession({peer.user, 0}, me.random.bytes(50)));
  ASSERT_OK(store().storeSenderKey(group, senderKeyRecord));
  ASSERT_OK(store().addSenderKeyHolders(group.groupId, std::vector<SignalAddress>{peer}));
  ASSERT_OK(store().saveRemoteIdentity(peer, Bytes(32, 7)));
  const signal::IdentityKeyPair identity = store().identityKeyPair().value();
  const SignedPreKey rotated = signal::generateSignedPreKey(identity, 2, me.random).value();
  ASSERT_OK(store().storeSignedPreKey(rotated));  // signed prekey 1 is now a retired row

  // While open (WAL) and after closing (checkpointed into the database file).
  for (bool open : {true, false}) {
    if (!open) me.close();
    const Bytes disk = folderBytes(dir);
    EXPECT_TRUE(test::contains(disk, keys[0].publicKey)) << "the scan must see plain columns";
    EXPECT_TRUE(test::contains(disk, me.lookup.hash(peer.user))) << "the rows are there";
    // Whom the sessions are with: not the number, nor the group, in any form SQLite keeps.
    EXPECT_FALSE(test::contains(disk, asBytes(kPhone)));
    EXPECT_FALSE(test::contains(disk, asBytes(kGroupDigits)));
    EXPECT_FALSE(test::contains(disk, asBytes(group.groupId)));
    for (const PreKey& key : keys) EXPECT_FALSE(test::contains(disk, key.privateKey.view()));
    EXPECT_FALSE(test::contains(disk, identity.privateKey.view()));
    EXPECT_FALSE(test::contains(disk, me.credentials.signedPreKey.keyPair.privateKey.view()));
    EXPECT_FALSE(test::contains(disk, rotated.privateKey.view()));
    EXPECT_FALSE(test::contains(disk, sessionRecord));
    EXPECT_FALSE(test::contains(disk, senderKeyRecord));
  }
}

TEST_F(SqlSignalStoreTest, AnotherDataKeyOpensNothing) {
  const SignalAddress peer{"15550000002", 3};
  me.addPreKeys(2);
  ASSERT_OK(store().storeSession(peer, Bytes{1, 2, 3}));
  ASSERT_OK(store().storeSenderKey({"g@g.us", peer}, Bytes{4}));
  ASSERT_OK(store().saveRemoteIdentity(peer, Bytes(32, 7)));
  const signal::IdentityKeyPair identity = store().identityKeyPair().value();
  ASSERT_OK(
      store().storeSignedPreKey(signal::generateSignedPreKey(identity, 2, me.random).value()));
  me.close();

  auto db = openMigrated(dir.file("me.db"));
  SeededRandom random(5);
  ColumnCipher wrong(keyFrom(kDataKeySeed + 1), random);
  const LookupKey wrongLookup = lookupFrom(kDataKeySeed + 1);
  SqlSignalStore other(*db, wrong, wrongLookup, clock);
  EXPECT_EQ(errorOf(other.identityKeyPair()), Errc::Crypto);
  EXPECT_EQ(errorOf(other.preKey(1)), Errc::Crypto);
  EXPECT_EQ(errorOf(other.signedPreKey(1)), Errc::Crypto);
  // Rows found by address cannot even be found: their hashes need the data key.
  EXPECT_FALSE(other.session(peer).value().has_value());
  EXPECT_TRUE(other.sessionDevices(peer.user).value().empty());
  EXPECT_FALSE(other.senderKey({"g@g.us", peer}).value().has_value());
  EXPECT_FALSE(other.remoteIdentity(peer).value().has_value());

  // And were they found (the right lookup key, another cipher), the records still would not
  // open; the identity keys are public and never encrypted.
  SqlSignalStore found(*db, wrong, me.lookup, clock);
  EXPECT_EQ(errorOf(found.session(peer)), Errc::Crypto);
  EXPECT_EQ(errorOf(found.senderKey({"g@g.us", peer})), Errc::Crypto);
  EXPECT_EQ(*found.remoteIdentity(peer).value(), Bytes(32, 7));
}

TEST(SqlSignalStoreLookupKey, IsNotTheMessageStoresAndLeavesThatOneUnchanged) {
  const DataKey dataKey = keyFrom(kDataKeySeed);
  const LookupKey signalKey = LookupKey::derive(dataKey, LookupDomain::Signal).value();
  const MessageLookupKey messageKey = MessageLookupKey::derive(dataKey).value();
  constexpr std::string_view kUser = "15551234567";
  EXPECT_EQ(signalKey.hash(kUser).size(), 32u);
  EXPECT_EQ(signalKey.hash(kUser), lookupFrom(kDataKeySeed).hash(kUser));
  EXPECT_NE(signalKey.hash(kUser), signalKey.hash("15551234568"));
  EXPECT_NE(signalKey.hash(kUser), messageKey.jidKey(kUser));
  EXPECT_NE(signalKey.hash(kUser), crypto::hmacSha256(dataKey.view(), asBytes(kUser)));

  // The message store's keys are what they were before the Signal domain existed, so the
  // databases written then still find their chats.
  const SecretBytes before =
      crypto::hkdfSha256(dataKey.view(), {}, asBytes("chorus message store lookup key v1"),
                         kLookupKeySize)
          .value();
  EXPECT_EQ(messageKey.jidKey(kUser), crypto::hmacSha256(before.view(), asBytes(kUser)));
}

TEST_F(SqlSignalStoreTest, AValueCopiedToAnotherRowDoesNotOpen) {
  const SignalAddress alice{"15550000002", 1}, bob{"15550000003", 1};
  me.addPreKeys(2);
  ASSERT_OK(store().storeSession(alice, Bytes{1, 2, 3}));
  ASSERT_OK(store().storeSession(bob, Bytes{4, 5, 6}));
  ASSERT_OK(store().storeSenderKey({"g@g.us", alice}, Bytes{7}));

  // Bob's session row now holds Alice's record, byte for byte.
  ASSERT_OK(execHashed(me,
                       "UPDATE signal_sessions SET record = (SELECT record FROM signal_sessions"
                       " WHERE user_hash = ?1) WHERE user_hash = ?2",
                       {alice.user, bob.user}));
  EXPECT_EQ(errorOf(store().session(bob)), Errc::Crypto);
  EXPECT_EQ(toBytes(store().session(alice).value()->view()), (Bytes{1, 2, 3}));

  // A session record moved into the sender-key table, same address.
  ASSERT_OK(execHashed(me,
                       "UPDATE signal_sender_keys SET record = (SELECT record FROM signal_sessions"
                       " WHERE user_hash = ?1)",
                       {alice.user}));
  EXPECT_EQ(errorOf(store().senderKey({"g@g.us", alice})), Errc::Crypto);

  // A prekey's private key under another id.
  ASSERT_OK(exec(*me.db,
                 "UPDATE signal_prekeys SET private_key = (SELECT private_key FROM"
                 " signal_prekeys WHERE id = 1) WHERE id = 2"));
  EXPECT_EQ(errorOf(store().preKey(2)), Errc::Crypto);
  EXPECT_TRUE(store().preKey(1).value().has_value());
}

TEST_F(SqlSignalStoreTest, NothingPersistsFromARolledBackTransaction) {
  const SignalAddress peer{"15550000002", 3};
  me.addPreKeys(2);
  const signal::IdentityKeyPair identity = store().identityKeyPair().value();
  {
    auto tx = me.db->begin().value();
    me.addPreKeys(3);
    ASSERT_OK(store().markPreKeysUploaded(std::vector<std::uint32_t>{1, 2, 3}));
    ASSERT_OK(store().removePreKey(1));
    ASSERT_OK(store().storeSession(peer, Bytes{1}));
    ASSERT_OK(store().storeSenderKey({"g@g.us", peer}, Bytes{2}));
    ASSERT_OK(store().saveRemoteIdentity(peer, Bytes(32, 3)));
    ASSERT_OK(
        store().storeSignedPreKey(signal::generateSignedPreKey(identity, 2, me.random).value()));
    EXPECT_EQ(store().nextPreKeyId().value(), 6u);
    EXPECT_EQ(store().currentSignedPreKey().value().key.id, 2u);
    ASSERT_OK(tx.rollback());
  }
  EXPECT_EQ(store().nextPreKeyId().value(), 3u);
  EXPECT_FALSE(store().preKey(3).value().has_value());
  EXPECT_EQ(store().uploadedPreKeyCount().value(), 0u);
  EXPECT_EQ(store().unuploadedPreKeys(10).value().size(), 2u);
  EXPECT_FALSE(store().session(peer).value().has_value());
  EXPECT_FALSE(store().senderKey({"g@g.us", peer}).value().has_value());
  EXPECT_FALSE(store().remoteIdentity(peer).value().has_value());
  EXPECT_EQ(store().currentSignedPreKey().value().key.id, 1u);
  EXPECT_FALSE(store().signedPreKey(2).value().has_value());

  // The same work committed by the caller stays.
  {
    auto tx = me.db->begin().value();
    me.addPreKeys(3);
    ASSERT_OK(store().storeSession(peer, Bytes{1}));
    ASSERT_OK(tx.commit());
  }
  me.reopen();
  EXPECT_EQ(store().nextPreKeyId().value(), 6u);
  EXPECT_TRUE(store().session(peer).value().has_value());
}

// ---- real Signal sessions on two databases ------------------------------------------------

class SqlSignalStoreSessionTest : public ::testing::Test {
 protected:
  TempDir dir;
  FakeClock clock;
  Device alice{dir.file("alice.db"), "15550000001", 3, 11, clock};
  Device bob{dir.file("bob.db"), "15550000002", 1, 12, clock};

  Bytes send(Device& from, Device& to, std::string_view text, signal::MessageType expected) {
    auto m = from.sessions->encrypt(to.address, toBytes(text));
    EXPECT_TRUE(m.has_value()) << describe(m.error());
    if (!m) return {};
    EXPECT_EQ(m->type, expected);
    auto plain = to.sessions->decrypt(from.address, m->type, m->bytes);
    EXPECT_TRUE(plain.has_value()) << describe(plain.error());
    return plain ? *plain : Bytes{};
  }
};

TEST_F(SqlSignalStoreSessionTest, PreKeyMessageThenMessagesBothWaysAcrossRestarts) {
  bob.addPreKeys(5);
  ASSERT_OK(alice.sessions->processBundle(bob.address, bob.bundle(1)));
  alice.reopen();  // the new session is on disk

  EXPECT_EQ(send(alice, bob, "hello bob", signal::MessageType::PreKey), toBytes("hello bob"));
  // Bob's prekey 1 was used (kept through the grace window); Alice's identity remembered.
  EXPECT_EQ(bob.store->unuploadedPreKeys(10).value().size(), 4u);
  EXPECT_EQ(*bob.store->remoteIdentity(alice.address).value(),
            alice.store->identityKeyPair().value().publicKey);
  bob.reopen();

  EXPECT_EQ(send(bob, alice, "hi alice", signal::MessageType::Normal), toBytes("hi alice"));
  alice.reopen();
  bob.reopen();
  for (int i = 0; i < 3; ++i) {
    const std::string a = "from alice " + std::to_string(i);
    const std::string b = "from bob " + std::to_string(i);
    EXPECT_EQ(send(alice, bob, a, signal::MessageType::Normal), toBytes(a));
    alice.reopen();
    EXPECT_EQ(send(bob, alice, b, signal::MessageType::Normal), toBytes(b));
    bob.reopen();
  }
  EXPECT_EQ(alice.sessions->remoteRegistrationId(bob.address).value(),
            bob.credentials.registrationId);
}

TEST_F(SqlSignalStoreSessionTest, DecryptRolledBackWithTheCallersTransactionCanBeRetried) {
  bob.addPreKeys(2);
  ASSERT_OK(alice.sessions->processBundle(bob.address, bob.bundle(1)));
  const auto m = alice.sessions->encrypt(bob.address, toBytes("atomic")).value();

  {  // decrypt, then the message insert fails: the caller rolls everything back
    auto tx = bob.db->begin().value();
    ASSERT_EQ(bob.sessions->decrypt(alice.address, m.type, m.bytes).value(), toBytes("atomic"));
    ASSERT_OK(tx.rollback());
  }
  EXPECT_FALSE(bob.sessions->hasSession(alice.address).value());
  EXPECT_FALSE(bob.store->remoteIdentity(alice.address).value().has_value());
  EXPECT_EQ(bob.store->unuploadedPreKeys(10).value().size(), 2u);  // prekey 1 unused again

  {  // the redelivered message decrypts and commits
    auto tx = bob.db->begin().value();
    ASSERT_EQ(bob.sessions->decrypt(alice.address, m.type, m.bytes).value(), toBytes("atomic"));
    ASSERT_OK(tx.commit());
  }
  bob.reopen();
  EXPECT_TRUE(bob.sessions->hasSession(alice.address).value());
  EXPECT_EQ(send(bob, alice, "reply", signal::MessageType::Normal), toBytes("reply"));
}

TEST_F(SqlSignalStoreSessionTest, ReencryptedPreKeyMessageDecryptsWithinTheGraceWindow) {
  bob.addPreKeys(2);
  const PreKeyBundle bundle = bob.bundle(1);
  ASSERT_OK(alice.sessions->processBundle(bob.address, bundle));
  EXPECT_EQ(send(alice, bob, "first", signal::MessageType::PreKey), toBytes("first"));

  // Alice loses her session (a retry) and starts again from the same bundle: a new base key
  // on the same one-time prekey, which Bob already used.
  ASSERT_OK(alice.sessions->deleteSession(bob.address));
  ASSERT_OK(alice.sessions->processBundle(bob.address, bundle));
  clock.advance(std::chrono::hours(1));
  bob.reopen();
  EXPECT_EQ(send(alice, bob, "again", signal::MessageType::PreKey), toBytes("again"));

  // After the window the key is gone and such a message is undecryptable.
  ASSERT_OK(alice.sessions->deleteSession(bob.address));
  ASSERT_OK(alice.sessions->processBundle(bob.address, bundle));
  const auto late = alice.sessions->encrypt(bob.address, toBytes("late")).value();
  clock.advance(kUsedPreKeyGrace);
  ASSERT_EQ(bob.store->purgeUsedPreKeys(clock.now(), kUsedPreKeyGrace).value(), 1u);
  auto r = bob.sessions->decrypt(alice.address, late.type, late.bytes);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::NotFound);
}

TEST_F(SqlSignalStoreSessionTest, PreKeyMessageOnARetiredSignedPreKeyStillDecrypts) {
  bob.addPreKeys(1);
  const PreKeyBundle oldBundle = bob.bundle(1);  // signed prekey 1
  const signal::IdentityKeyPair identity = bob.store->identityKeyPair().value();
  ASSERT_OK(
      bob.store->storeSignedPreKey(signal::generateSignedPreKey(identity, 2, bob.random).value()));
  bob.reopen();
  ASSERT_OK(alice.sessions->processBundle(bob.address, oldBundle));
  EXPECT_EQ(send(alice, bob, "in flight", signal::MessageType::PreKey), toBytes("in flight"));
}

TEST_F(SqlSignalStoreSessionTest, SenderKeysAcrossRestarts) {
  const SenderKeyName aliceInGroup{"120363000000000000@g.us", alice.address};
  const Bytes skdm = alice.groups->createDistributionMessage(aliceInGroup).value();
  ASSERT_OK(bob.groups->processDistributionMessage(aliceInGroup, skdm));
  alice.reopen();
  bob.reopen();
  for (int i = 0; i < 3; ++i) {
    const Bytes text = toBytes("group " + std::to_string(i));
    const Bytes skmsg = alice.groups->encrypt(aliceInGroup, text).value();
    auto plain = bob.groups->decrypt(aliceInGroup, skmsg);
    ASSERT_TRUE(plain.has_value()) << describe(plain.error());
    EXPECT_EQ(*plain, text);
    alice.reopen();
    bob.reopen();
  }
}

}  // namespace
}  // namespace chorus::core::store
