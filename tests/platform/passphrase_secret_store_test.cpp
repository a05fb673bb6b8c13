#include "app/platform/passphrase_secret_store.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <optional>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store/data_key.h"

namespace chorus::app {
namespace {

using core::Errc;
using core::SecretBytes;

// Cheap Argon2id costs so the tests run in milliseconds; production uses kDefaultParams.
constexpr core::crypto::Argon2Params kTestParams{1, 8 * 1024};
constexpr char kPassphrase[] = "correct horse battery staple";

SecretBytes secretOf(std::initializer_list<std::uint8_t> bytes) {
  const core::Bytes b(bytes);
  return SecretBytes(core::BytesView(b));
}

// The store completes synchronously; these helpers make that explicit in the tests.
core::Result<SecretBytes> readNow(core::store::SecretStore& store, const std::string& name) {
  std::optional<core::Result<SecretBytes>> out;
  store.read(name, [&](core::Result<SecretBytes> r) { out.emplace(std::move(r)); });
  EXPECT_TRUE(out.has_value());
  return std::move(*out);
}
core::Status writeNow(core::store::SecretStore& store, const std::string& name, SecretBytes value) {
  std::optional<core::Status> out;
  store.write(name, std::move(value), [&](core::Status s) { out.emplace(std::move(s)); });
  EXPECT_TRUE(out.has_value());
  return std::move(*out);
}
core::Status removeNow(core::store::SecretStore& store, const std::string& name) {
  std::optional<core::Status> out;
  store.remove(name, [&](core::Status s) { out.emplace(std::move(s)); });
  EXPECT_TRUE(out.has_value());
  return std::move(*out);
}

QByteArray fileBytes(const QString& path) {
  QFile f(path);
  EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
  return f.readAll();
}
void putFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate)) << path.toStdString();
  ASSERT_EQ(f.write(bytes), bytes.size());
}
unsigned modeOf(const QString& path) {
  struct stat st {};
  EXPECT_EQ(::stat(QFile::encodeName(path).constData(), &st), 0) << path.toStdString();
  return st.st_mode & 07777u;
}

class PassphraseSecretStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tmp_.isValid()); }
  [[nodiscard]] QString folder() const { return tmp_.path() + QStringLiteral("/data/secrets"); }
  std::unique_ptr<PassphraseSecretStore> create() {
    auto store = PassphraseSecretStore::create(folder(), kPassphrase, random_, kTestParams);
    EXPECT_TRUE(store.has_value()) << (store ? "" : describe(store.error()));
    return store ? std::move(store).value() : nullptr;
  }
  QTemporaryDir tmp_;
  core::SystemRandom random_;
};

TEST_F(PassphraseSecretStoreTest, RoundTripSurvivesReopening) {
  const SecretBytes secret = secretOf({0x00, 0xff, 0x10, 0x00, 0x7f, 0x80, 0x01});
  {
    auto store = create();
    ASSERT_TRUE(store);
    EXPECT_FALSE(PassphraseSecretStore::isInitialized(tmp_.path()));
    EXPECT_TRUE(PassphraseSecretStore::isInitialized(folder()));
    ASSERT_TRUE(writeNow(*store, "chorus/account/a1/data-key", secret.clone()));
    auto back = readNow(*store, "chorus/account/a1/data-key");
    ASSERT_TRUE(back);
    EXPECT_TRUE(*back == secret);
  }
  auto reopened = PassphraseSecretStore::unlock(folder(), kPassphrase, random_);
  ASSERT_TRUE(reopened) << describe(reopened.error());
  auto back = readNow(**reopened, "chorus/account/a1/data-key");
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == secret);
  // An empty secret is a secret too.
  ASSERT_TRUE(writeNow(**reopened, "empty", SecretBytes()));
  auto empty = readNow(**reopened, "empty");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST_F(PassphraseSecretStoreTest, WrongPassphraseIsCryptoAndChangesNothing) {
  {
    auto store = create();
    ASSERT_TRUE(store);
    ASSERT_TRUE(writeNow(*store, "k", secretOf({1, 2, 3})));
  }
  const QByteArray paramsBefore = fileBytes(folder() + QStringLiteral("/passphrase.json"));
  for (const char* wrong : {"correct horse battery stapl", "", "Correct horse battery staple"}) {
    auto store = PassphraseSecretStore::unlock(folder(), wrong, random_);
    ASSERT_FALSE(store) << wrong;
    EXPECT_EQ(store.error().code, Errc::Crypto) << describe(store.error());
  }
  EXPECT_EQ(fileBytes(folder() + QStringLiteral("/passphrase.json")), paramsBefore);
  EXPECT_TRUE(PassphraseSecretStore::unlock(folder(), kPassphrase, random_));
}

TEST_F(PassphraseSecretStoreTest, FilesAreOwnerOnlyWhateverTheUmask) {
  const mode_t oldMask = ::umask(0);  // the most permissive umask: modes must be explicit
  auto store = create();
  ASSERT_TRUE(store);
  ASSERT_TRUE(writeNow(*store, "k", secretOf({9, 9, 9})));
  ASSERT_TRUE(writeNow(*store, "k", secretOf({8, 8})));  // an overwrite keeps 0600 too
  ::umask(oldMask);
  EXPECT_EQ(modeOf(folder()), 0700u);
  EXPECT_EQ(modeOf(folder() + QStringLiteral("/passphrase.json")), 0600u);
  EXPECT_EQ(modeOf(store->secretPath("k")), 0600u);
}

TEST_F(PassphraseSecretStoreTest, OverwriteReplacesTheFileAtomically) {
  auto store = create();
  ASSERT_TRUE(store);
  ASSERT_TRUE(writeNow(*store, "k", secretOf({1, 1, 1, 1})));
  const QString path = store->secretPath("k");
  const QString oldLink = tmp_.path() + QStringLiteral("/old-link");
  ASSERT_EQ(::link(QFile::encodeName(path).constData(), QFile::encodeName(oldLink).constData()), 0);
  const QByteArray oldBytes = fileBytes(path);

  ASSERT_TRUE(writeNow(*store, "k", secretOf({2, 2, 2, 2, 2})));
  // A rename put a new file in place; the old inode was never truncated or rewritten.
  EXPECT_EQ(fileBytes(oldLink), oldBytes);
  EXPECT_NE(fileBytes(path), oldBytes);
  auto back = readNow(*store, "k");
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == secretOf({2, 2, 2, 2, 2}));
  // No temporary file is left behind.
  QStringList entries = QDir(folder()).entryList(QDir::Files | QDir::Hidden);
  QStringList expected{QStringLiteral("passphrase.json"), QFileInfo(path).fileName()};
  entries.sort();
  expected.sort();
  EXPECT_EQ(entries, expected) << entries.join(QLatin1Char(' ')).toStdString();
}

TEST_F(PassphraseSecretStoreTest, MissingSecretIsNotFoundAndRemoveDeletes) {
  auto store = create();
  ASSERT_TRUE(store);
  auto missing = readNow(*store, "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::NotFound);
  auto removeMissing = removeNow(*store, "nope");
  ASSERT_FALSE(removeMissing);
  EXPECT_EQ(removeMissing.error().code, Errc::NotFound);

  ASSERT_TRUE(writeNow(*store, "k", secretOf({5})));
  ASSERT_TRUE(removeNow(*store, "k"));
  EXPECT_FALSE(QFile::exists(store->secretPath("k")));
  auto gone = readNow(*store, "k");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::NotFound);
  auto badName = writeNow(*store, "", secretOf({1}));
  ASSERT_FALSE(badName);
  EXPECT_EQ(badName.error().code, Errc::InvalidArgument);
}

TEST_F(PassphraseSecretStoreTest, NeitherSecretNorPassphraseIsOnDiskInTheClear) {
  auto store = create();
  ASSERT_TRUE(store);
  const QByteArray marker("CHORUS-SECRET-MARKER-0123456789");
  ASSERT_TRUE(
      writeNow(*store, "chorus/account/a1/data-key",
               SecretBytes(core::asBytes(std::string_view(marker.constData(), marker.size())))));
  for (const QString& name : QDir(folder()).entryList(QDir::Files | QDir::Hidden)) {
    const QByteArray bytes = fileBytes(folder() + QLatin1Char('/') + name);
    EXPECT_FALSE(bytes.contains(marker)) << name.toStdString();
    EXPECT_FALSE(bytes.contains(marker.toHex())) << name.toStdString();
    EXPECT_FALSE(bytes.contains(marker.toBase64())) << name.toStdString();
    EXPECT_FALSE(bytes.contains(kPassphrase)) << name.toStdString();
    EXPECT_FALSE(name.contains(QStringLiteral("account"))) << "file names hide the secret names";
  }
}

TEST_F(PassphraseSecretStoreTest, TamperedOrSwappedFilesFailAuthentication) {
  auto store = create();
  ASSERT_TRUE(store);
  ASSERT_TRUE(writeNow(*store, "a", secretOf({1, 2, 3, 4})));
  ASSERT_TRUE(writeNow(*store, "b", secretOf({5, 6, 7, 8})));

  // b's file copied over a's: the name is associated data, so it does not open as a.
  putFile(store->secretPath("a"), fileBytes(store->secretPath("b")));
  auto swapped = readNow(*store, "a");
  ASSERT_FALSE(swapped);
  EXPECT_EQ(swapped.error().code, Errc::Crypto);

  QByteArray flipped = fileBytes(store->secretPath("b"));
  flipped[flipped.size() - 1] = static_cast<char>(flipped[flipped.size() - 1] ^ 0x01);
  putFile(store->secretPath("b"), flipped);
  auto tampered = readNow(*store, "b");
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, Errc::Crypto);

  putFile(store->secretPath("b"), QByteArray("\x01short", 6));
  auto truncated = readNow(*store, "b");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, Errc::Malformed);
}

TEST_F(PassphraseSecretStoreTest, CreateAndUnlockRefuseTheWrongState) {
  auto notYet = PassphraseSecretStore::unlock(folder(), kPassphrase, random_);
  ASSERT_FALSE(notYet);
  EXPECT_EQ(notYet.error().code, Errc::NotFound);
  auto empty = PassphraseSecretStore::create(folder(), "", random_, kTestParams);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, Errc::InvalidArgument);
  ASSERT_TRUE(create());
  const QByteArray params = fileBytes(folder() + QStringLiteral("/passphrase.json"));
  auto again = PassphraseSecretStore::create(folder(), "another", random_, kTestParams);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::InvalidArgument);
  EXPECT_EQ(fileBytes(folder() + QStringLiteral("/passphrase.json")), params);
}

TEST_F(PassphraseSecretStoreTest, StoresItsKdfParametersAndNothingSecret) {
  ASSERT_TRUE(create());
  const QJsonObject o =
      QJsonDocument::fromJson(fileBytes(folder() + QStringLiteral("/passphrase.json"))).object();
  EXPECT_EQ(o.value(QStringLiteral("version")).toInt(), 1);
  EXPECT_EQ(o.value(QStringLiteral("kdf")).toString(), QStringLiteral("argon2id13"));
  EXPECT_EQ(o.value(QStringLiteral("ops")).toInteger(), 1);
  EXPECT_EQ(o.value(QStringLiteral("mem")).toInteger(), 8 * 1024);
  EXPECT_EQ(o.value(QStringLiteral("salt")).toString().size(), 32);
  EXPECT_FALSE(o.value(QStringLiteral("check")).toString().isEmpty());
  EXPECT_EQ(PassphraseSecretStore::kDefaultParams.opsLimit, 3u);
  EXPECT_EQ(PassphraseSecretStore::kDefaultParams.memLimitBytes, std::size_t{64} << 20);
}

TEST_F(PassphraseSecretStoreTest, DamagedParamsFileIsMalformed) {
  ASSERT_TRUE(create());
  const QString path = folder() + QStringLiteral("/passphrase.json");
  QJsonObject good = QJsonDocument::fromJson(fileBytes(path)).object();
  auto with = [&](const char* key, const QJsonValue& value) {
    QJsonObject o = good;
    if (value.isUndefined())
      o.remove(QLatin1String(key));
    else
      o.insert(QLatin1String(key), value);
    return QJsonDocument(o).toJson();
  };
  const std::vector<std::pair<const char*, QByteArray>> cases = {
      {"not json", QByteArray("{\"version\":")},
      {"array", QByteArray("[]")},
      {"version 2", with("version", 2)},
      {"other kdf", with("kdf", QStringLiteral("scrypt"))},
      {"ops 0", with("ops", 0)},
      {"ops huge", with("ops", 1000)},
      {"mem huge", with("mem", static_cast<qint64>(1) << 40)},
      {"mem tiny", with("mem", 1024)},
      {"short salt", with("salt", QStringLiteral("00ff"))},
      {"salt not hex", with("salt", QStringLiteral("zz"))},
      {"no check", with("check", QJsonValue(QJsonValue::Undefined))},
      {"short check", with("check", QStringLiteral("00112233"))},
  };
  for (const auto& [what, bytes] : cases) {
    putFile(path, bytes);
    auto store = PassphraseSecretStore::unlock(folder(), kPassphrase, random_);
    ASSERT_FALSE(store) << what;
    EXPECT_EQ(store.error().code, Errc::Malformed) << what << ": " << describe(store.error());
  }
}

TEST_F(PassphraseSecretStoreTest, CarriesAccountDataKeys) {
  auto store = create();
  ASSERT_TRUE(store);
  std::optional<core::Result<core::store::DataKey>> created;
  core::store::createDataKey(*store, "acc-1", random_, [&](core::Result<core::store::DataKey> k) {
    created.emplace(std::move(k));
  });
  ASSERT_TRUE(created && *created);
  auto reopened = PassphraseSecretStore::unlock(folder(), kPassphrase, random_);
  ASSERT_TRUE(reopened);
  std::optional<core::Result<core::store::DataKey>> read;
  core::store::readDataKey(**reopened, "acc-1", [&](core::Result<core::store::DataKey> k) {
    read.emplace(std::move(k));
  });
  ASSERT_TRUE(read && *read);
  EXPECT_TRUE(core::constantTimeEqual((*read)->view(), (*created)->view()));
}

}  // namespace
}  // namespace chorus::app
