// KeychainSecretStore against the REAL Secret Service (gnome-keyring), and without any.
// Not run directly: keychain_test.sh starts chorus_platform_env_tests
//   * `real`:   under dbus-run-session with a headless, unlocked gnome-keyring in a fresh
//               $HOME (architecture §7), filter Keychain.*;
//   * `absent`: in a plain environment with no D-Bus session at all, filter NoKeychain.*.
#include "app/platform/keychain_secret_store.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <cstdio>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "app/platform/secret_store_choice.h"
#include "core/store/data_key.h"
#include "tests/platform/event_wait.h"

namespace chorus::app {
namespace {

using core::Errc;
using core::SecretBytes;
using test::waitUntil;

SecretBytes allByteValues() {
  core::Bytes b(256);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i);
  return SecretBytes(core::BytesView(b));
}

core::Result<SecretBytes> readWait(core::store::SecretStore& store, const std::string& name) {
  std::optional<core::Result<SecretBytes>> out;
  store.read(name, [&](core::Result<SecretBytes> r) { out.emplace(std::move(r)); });
  EXPECT_TRUE(waitUntil([&] { return out.has_value(); })) << "read " << name << " timed out";
  if (!out) return core::fail(Errc::Timeout, "test timeout");
  return std::move(*out);
}
core::Status writeWait(core::store::SecretStore& store, const std::string& name,
                       SecretBytes value) {
  std::optional<core::Status> out;
  store.write(name, std::move(value), [&](core::Status s) { out.emplace(std::move(s)); });
  EXPECT_TRUE(waitUntil([&] { return out.has_value(); })) << "write " << name << " timed out";
  if (!out) return core::fail(Errc::Timeout, "test timeout");
  return std::move(*out);
}
core::Status removeWait(core::store::SecretStore& store, const std::string& name) {
  std::optional<core::Status> out;
  store.remove(name, [&](core::Status s) { out.emplace(std::move(s)); });
  EXPECT_TRUE(waitUntil([&] { return out.has_value(); })) << "remove " << name << " timed out";
  if (!out) return core::fail(Errc::Timeout, "test timeout");
  return std::move(*out);
}

core::Result<std::unique_ptr<KeychainSecretStore>> chooseWait() {
  core::SystemRandom random;
  std::optional<core::Result<std::unique_ptr<KeychainSecretStore>>> out;
  chooseSecretStore(random, [&](core::Result<std::unique_ptr<KeychainSecretStore>> r) {
    out.emplace(std::move(r));
  });
  EXPECT_FALSE(out.has_value()) << "the probe answers from the event loop, not synchronously";
  EXPECT_TRUE(waitUntil([&] { return out.has_value(); })) << "probe timed out";
  if (!out) return core::fail(Errc::Timeout, "test timeout");
  return std::move(*out);
}

// Whether any file under $HOME holds `needle` (raw, hex or base64): a plaintext copy.
bool homeContains(const QByteArray& needle) {
  QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    QFile f(it.next());
    if (!f.open(QIODevice::ReadOnly)) continue;
    const QByteArray bytes = f.readAll();
    if (bytes.contains(needle) || bytes.contains(needle.toHex()) ||
        bytes.contains(needle.toBase64())) {
      return true;
    }
  }
  return false;
}

// ---- With gnome-keyring ----------------------------------------------------------------

TEST(Keychain, ProbeFindsTheKeychainAndLeavesNoProbeEntry) {
  auto store = chooseWait();
  ASSERT_TRUE(store) << describe(store.error());
  ASSERT_TRUE(*store);
  EXPECT_EQ((*store)->service(), QStringLiteral("Chorus"));
  EXPECT_EQ((*store)->parent(), nullptr);
  // It really is gnome-keyring behind libsecret: the login keyring lives in the fresh $HOME.
  EXPECT_TRUE(
      QFile::exists(QDir::homePath() + QStringLiteral("/.local/share/keyrings/login.keyring")));
  auto probe = readWait(**store, kKeychainProbeName);
  ASSERT_FALSE(probe);
  EXPECT_EQ(probe.error().code, Errc::NotFound);
}

TEST(Keychain, BinaryRoundTripOverwriteAndDelete) {
  KeychainSecretStore store;
  const std::string name = "chorus/account/0b5e0c1c-test/data-key";
  ASSERT_TRUE(writeWait(store, name, allByteValues()));
  auto back = readWait(store, name);
  ASSERT_TRUE(back) << describe(back.error());
  EXPECT_TRUE(*back == allByteValues());

  // Another store instance (as after a restart) reads it from the keychain, not from memory.
  {
    KeychainSecretStore other;
    auto again = readWait(other, name);
    ASSERT_TRUE(again) << describe(again.error());
    EXPECT_TRUE(*again == allByteValues());
  }

  core::SystemRandom random;
  const SecretBytes replacement = random.secret(32);
  ASSERT_TRUE(writeWait(store, name, replacement.clone()));
  auto replaced = readWait(store, name);
  ASSERT_TRUE(replaced);
  EXPECT_TRUE(*replaced == replacement);

  ASSERT_TRUE(removeWait(store, name));
  auto gone = readWait(store, name);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::NotFound);
  auto removeAgain = removeWait(store, name);
  ASSERT_FALSE(removeAgain);
  EXPECT_EQ(removeAgain.error().code, Errc::NotFound);
}

TEST(Keychain, QueuedRequestsRunOneAtATimeAndCompleteInOrder) {
  KeychainSecretStore store;
  core::SystemRandom random;
  std::vector<SecretBytes> values;
  for (int i = 0; i < 4; ++i) values.push_back(random.secret(static_cast<std::size_t>(16 + i)));

  std::vector<std::string> log;  // completion order
  std::optional<SecretBytes> readAfterFirstWrite;
  std::optional<SecretBytes> readAfterLastWrite;
  std::optional<Errc> readAfterRemove;
  std::optional<Errc> removeOfMissing;
  int maxRunning = 0;
  const auto track = [&](const char* what) {
    log.emplace_back(what);
    maxRunning = std::max(maxRunning, store.runningJobs());
  };

  // Ten requests made at once, none waiting for the previous one.
  store.write("q/a", values[0].clone(), [&](core::Status s) {
    EXPECT_TRUE(s);
    track("w0");
  });
  store.read("q/a", [&](core::Result<SecretBytes> r) {
    ASSERT_TRUE(r);
    readAfterFirstWrite = std::move(*r);
    track("r0");
  });
  store.write("q/a", values[1].clone(), [&](core::Status s) {
    EXPECT_TRUE(s);
    track("w1");
  });
  store.write("q/b", values[2].clone(), [&](core::Status s) {
    EXPECT_TRUE(s);
    track("w2");
  });
  store.write("q/a", values[3].clone(), [&](core::Status s) {
    EXPECT_TRUE(s);
    track("w3");
  });
  store.read("q/a", [&](core::Result<SecretBytes> r) {
    ASSERT_TRUE(r);
    readAfterLastWrite = std::move(*r);
    track("r1");
  });
  store.remove("q/a", [&](core::Status s) {
    EXPECT_TRUE(s);
    track("d0");
  });
  store.read("q/a", [&](core::Result<SecretBytes> r) {
    readAfterRemove = r ? Errc::Internal : r.error().code;
    track("r2");
  });
  store.remove("q/missing", [&](core::Status s) {
    removeOfMissing = s ? Errc::Internal : s.error().code;
    track("d1");
  });
  store.remove("q/b", [&](core::Status s) {
    EXPECT_TRUE(s);
    track("d2");
  });

  EXPECT_TRUE(log.empty()) << "nothing completes before the event loop runs";
  EXPECT_EQ(store.pendingCount(), 10u);
  ASSERT_TRUE(waitUntil([&] {
    maxRunning = std::max(maxRunning, store.runningJobs());
    return log.size() == 10;
  }));
  EXPECT_EQ(log,
            (std::vector<std::string>{"w0", "r0", "w1", "w2", "w3", "r1", "d0", "r2", "d1", "d2"}));
  EXPECT_EQ(maxRunning, 1);
  EXPECT_EQ(store.pendingCount(), 0u);
  ASSERT_TRUE(readAfterFirstWrite && readAfterLastWrite);
  EXPECT_TRUE(*readAfterFirstWrite == values[0]);
  EXPECT_TRUE(*readAfterLastWrite == values[3]);
  EXPECT_EQ(readAfterRemove, Errc::NotFound);
  EXPECT_EQ(removeOfMissing, Errc::NotFound);
}

TEST(Keychain, CompletionsMayQueueMoreRequests) {
  KeychainSecretStore store;
  std::vector<int> order;
  store.write("chain/x", SecretBytes(core::asBytes("one")), [&](core::Status s) {
    ASSERT_TRUE(s);
    order.push_back(1);
    store.read("chain/x", [&](core::Result<SecretBytes> r) {
      ASSERT_TRUE(r);
      EXPECT_EQ(core::asString(r->view()), "one");
      order.push_back(3);
      store.remove("chain/x", [&](core::Status d) {
        EXPECT_TRUE(d);
        order.push_back(4);
      });
    });
  });
  store.read("chain/x", [&](core::Result<SecretBytes> r) {
    EXPECT_TRUE(r);
    order.push_back(2);
  });
  ASSERT_TRUE(waitUntil([&] { return order.size() == 4; }));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(Keychain, DestroyingTheStoreCancelsWhatIsPending) {
  std::vector<Errc> codes;
  const auto record = [&](const core::Status& s) {
    codes.push_back(s ? Errc::Internal : s.error().code);
  };
  {
    // Nothing started yet.
    KeychainSecretStore store;
    store.write("cancel/a", SecretBytes(core::asBytes("a")), record);
    store.read("cancel/a", [&](core::Result<SecretBytes> r) {
      codes.push_back(r ? Errc::Internal : r.error().code);
    });
  }
  EXPECT_EQ(codes, (std::vector<Errc>{Errc::Cancelled, Errc::Cancelled}));
  codes.clear();
  {
    // A job is running: it is cancelled for the caller and finishes on its own.
    KeychainSecretStore store;
    store.write("cancel/b", SecretBytes(core::asBytes("b")), record);
    store.remove("cancel/b", record);
    ASSERT_TRUE(waitUntil([&] { return store.runningJobs() == 1; }));
  }
  EXPECT_EQ(codes, (std::vector<Errc>{Errc::Cancelled, Errc::Cancelled}));
  // The orphaned job completes and deletes itself without calling into the dead store.
  EXPECT_FALSE(waitUntil([] { return false; }, 300));
  KeychainSecretStore cleanup;
  (void)removeWait(cleanup, "cancel/b");  // whether or not the orphaned write landed
}

TEST(Keychain, CarriesAccountDataKeysWithoutAPlaintextCopy) {
  KeychainSecretStore store;
  core::SystemRandom random;
  std::optional<core::Result<core::store::DataKey>> created;
  core::store::createDataKey(store, "acc-k1", random, [&](core::Result<core::store::DataKey> k) {
    created.emplace(std::move(k));
  });
  ASSERT_TRUE(waitUntil([&] { return created.has_value(); }));
  ASSERT_TRUE(*created) << describe(created->error());

  KeychainSecretStore fresh;
  std::optional<core::Result<core::store::DataKey>> read;
  core::store::readDataKey(
      fresh, "acc-k1", [&](core::Result<core::store::DataKey> k) { read.emplace(std::move(k)); });
  ASSERT_TRUE(waitUntil([&] { return read.has_value(); }));
  ASSERT_TRUE(*read) << describe(read->error());
  EXPECT_TRUE(core::constantTimeEqual((*read)->view(), (*created)->view()));

  const auto key = (*created)->view();
  const QByteArray raw(reinterpret_cast<const char*>(key.data()),
                       static_cast<qsizetype>(key.size()));
  EXPECT_FALSE(homeContains(raw)) << "a data key is readable in plain under $HOME";
  EXPECT_TRUE(removeWait(fresh, core::store::dataKeySecretName("acc-k1")));
}

// ---- Without any Secret Service ----------------------------------------------------------

TEST(NoKeychain, ProbeReportsUnsupported) {
  ASSERT_TRUE(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
      << "run by keychain_test.sh absent";
  auto store = chooseWait();
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::Unsupported) << describe(store.error());
  std::printf("# probe without a keychain: %s\n", describe(store.error()).c_str());
  // Deleted later by the probe; the loop keeps running.
  EXPECT_FALSE(waitUntil([] { return false; }, 200));
}

TEST(NoKeychain, RequestsFailInOrderAndWriteNothingInPlain) {
  KeychainSecretStore store;
  const QByteArray marker("NO-KEYCHAIN-SECRET-MARKER-42");
  std::vector<std::string> log;
  store.write("nk/a",
              SecretBytes(core::asBytes(std::string_view(marker.constData(), marker.size()))),
              [&](core::Status s) {
                EXPECT_FALSE(s);
                if (!s) {
                  EXPECT_TRUE(s.error().code == Errc::Io || s.error().code == Errc::Unsupported)
                      << describe(s.error());
                }
                log.emplace_back("w");
              });
  store.read("nk/a", [&](core::Result<SecretBytes> r) {
    EXPECT_FALSE(r);
    log.emplace_back("r");
  });
  store.remove("nk/a", [&](core::Status s) {
    EXPECT_FALSE(s);
    log.emplace_back("d");
  });
  ASSERT_TRUE(waitUntil([&] { return log.size() == 3; }));
  EXPECT_EQ(log, (std::vector<std::string>{"w", "r", "d"}));
  EXPECT_FALSE(homeContains(marker)) << "a secret landed in plain under $HOME";
}

}  // namespace
}  // namespace chorus::app
