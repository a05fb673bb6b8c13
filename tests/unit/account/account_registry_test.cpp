// AccountRegistry over a temporary data folder: add, names, find, list, reload, broken
// accounts, removing linked and unlinked accounts, unwritable folders.
#include "core/account/account_registry.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/account/account_id.h"
#include "core/account/account_name.h"
#include "core/store/data_key.h"
#include "tests/unit/account/account_test_util.h"

namespace chorus::core::account {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using State = api::ConnectionState;
using store::test::errorOf;
using test::Link;
using test::Recorder;

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest() { makeRegistry(); }

  void makeRegistry() {
    registry.reset();
    registry = std::make_unique<AccountRegistry>(
        dataDir(), secrets, random, clock, test::optionsFor(rootServer),
        [this](Account& account) -> std::unique_ptr<AccountTransport> {
          auto& slot = links[account.id()];
          if (!slot) slot = std::make_unique<Link>(3000 + links.size());
          return std::make_unique<test::FakeTransport>(*slot, account);
        },
        recorder.listener());
  }

  [[nodiscard]] fs::path dataDir() const { return dir.path() / "data"; }
  [[nodiscard]] fs::path accountsDir() const { return dataDir() / "accounts"; }

  Status load() {
    std::optional<Status> out;
    registry->load([&](Status s) { out.emplace(std::move(s)); });
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : Status(fail(Errc::Internal));
  }

  Result<api::AccountId> add(std::string name) {
    std::optional<Result<api::AccountId>> out;
    registry->add(std::move(name), [&](Result<api::AccountId> r) { out.emplace(std::move(r)); });
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : Result<api::AccountId>(fail(Errc::Internal));
  }

  // remove() may finish later (after the server answered): the slot is filled then.
  void remove(std::string_view name, std::optional<Status>& out) {
    registry->remove(name, [&out](Status s) { out.emplace(std::move(s)); });
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& s : registry->list()) out.push_back(s.name);
    return out;
  }

  // Links an account of the registry by QR, through to Ready.
  void linkAccount(const api::AccountId& id) {
    Account* account = registry->find(id);
    ASSERT_NE(account, nullptr);
    Link& link = *links.at(id);
    ASSERT_OK(account->linkWithQr());
    test::pump(link);
    test::deliver(link, session::test::pairDevice("pd", test::kRefs));
    const auto qr = recorder.last<api::QrCodeShown>();
    ASSERT_TRUE(qr.has_value());
    test::deliver(link, session::test::pairSuccess("ps", qr->code, phone, phoneRandom));
    test::deliver(link, session::test::streamError("515"));
    test::deliver(link, session::test::success(phone.lid));
    ASSERT_EQ(account->status().state, State::Ready);
    ASSERT_TRUE(account->isLinked());
  }

  store::test::TempDir dir;
  FakeClock clock;
  SeededRandom random{21};
  SeededRandom phoneRandom{22};
  SeededRandom rootRandom{23};
  session::test::FakeServer rootServer{rootRandom};  // every FakeServer has the same root
  store::MemorySecretStore secrets;
  std::map<api::AccountId, std::unique_ptr<Link>> links;
  session::test::Phone phone{session::test::fixedKeyPair(0x99)};
  Recorder recorder;
  std::unique_ptr<AccountRegistry> registry;
};

TEST_F(RegistryTest, AddFindRenameAndList) {
  ASSERT_OK(load());
  EXPECT_EQ(registry->size(), 0u);
  EXPECT_TRUE(fs::is_directory(accountsDir()));
  EXPECT_EQ(fs::status(accountsDir()).permissions() & fs::perms::all, fs::perms::owner_all);

  auto shop = add("Shop");
  ASSERT_OK(shop);
  auto office = add("  back office ");
  ASSERT_OK(office);
  EXPECT_TRUE(isAccountId(*shop));
  EXPECT_EQ((*shop)[14], '4') << "a version 4 UUID";
  EXPECT_NE(*shop, *office);
  EXPECT_TRUE(fs::is_directory(accountsDir() / *shop));
  EXPECT_TRUE(fs::exists(accountsDir() / *office / "chorus.db"));
  EXPECT_TRUE(secrets.contains(store::dataKeySecretName(*shop)));
  EXPECT_FALSE(recorder.all<api::AccountsChanged>().empty());

  EXPECT_EQ(errorOf(add("SHOP")), Errc::InvalidArgument) << "names are unique in any case";
  EXPECT_EQ(errorOf(add(" ")), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(add(std::string(65, 'a'))), Errc::InvalidArgument);
  EXPECT_EQ(registry->size(), 2u);
  EXPECT_EQ(names(), (std::vector<std::string>{"back office", "Shop"}));

  Account* byId = registry->find(*shop);
  ASSERT_NE(byId, nullptr);
  EXPECT_EQ(byId->id(), *shop);
  EXPECT_EQ(registry->find("sHoP"), byId);
  EXPECT_EQ(registry->find(std::string_view(*shop).substr(0, 8)), byId);
  EXPECT_EQ(registry->find(std::string_view(*shop).substr(0, 3)), nullptr) << "too short";
  EXPECT_EQ(registry->find("nobody"), nullptr);
  EXPECT_EQ(errorOf(registry->resolve("nobody")), Errc::NotFound);
  auto resolved = registry->resolve("BACK OFFICE");
  ASSERT_OK(resolved);
  EXPECT_EQ((*resolved)->id(), *office);

  ASSERT_OK(registry->rename("shop", "Corner"));
  EXPECT_EQ(names(), (std::vector<std::string>{"back office", "Corner"}));
  EXPECT_EQ(errorOf(registry->rename("corner", "Back Office")), Errc::InvalidArgument);
  ASSERT_OK(registry->rename("corner", "CORNER"));  // its own name in another case
  EXPECT_EQ(errorOf(registry->rename("nobody", "X")), Errc::NotFound);
  EXPECT_EQ(errorOf(registry->rename("CORNER", "")), Errc::InvalidArgument);

  // Everything persists: a new registry over the same folder lists the same.
  makeRegistry();
  ASSERT_OK(load());
  EXPECT_EQ(names(), (std::vector<std::string>{"back office", "CORNER"}));
  for (const api::AccountSummary& s : registry->list()) {
    EXPECT_TRUE(s.problem.empty());
    EXPECT_TRUE(s.autoConnect);
  }
  ASSERT_OK(load());  // loading again adds nothing twice
  EXPECT_EQ(registry->size(), 2u);
}

TEST_F(RegistryTest, IdPrefixesMustBeUnique) {
  ASSERT_TRUE(fs::create_directories(accountsDir()));
  const std::vector<std::string> ids = {"aaaa0000-0000-4000-8000-000000000001",
                                        "aaaa0000-0000-4000-8000-000000000002",
                                        "bbbb0000-0000-4000-8000-000000000003"};
  int n = 0;
  for (const std::string& id : ids) {
    Account::create(accountsDir() / id, id, "Number " + std::to_string(++n), secrets, random, clock,
                    test::optionsFor(rootServer),
                    [](Result<std::unique_ptr<Account>> made) { ASSERT_OK(made); });
  }
  fs::create_directory(accountsDir() / "not-an-account");  // ignored
  ASSERT_OK(load());
  EXPECT_EQ(registry->size(), 3u);
  EXPECT_EQ(names(), (std::vector<std::string>{"Number 1", "Number 2", "Number 3"}));

  EXPECT_EQ(registry->find("aaaa"), nullptr);
  EXPECT_EQ(errorOf(registry->resolve("aaaa")), Errc::InvalidArgument) << "ambiguous";
  EXPECT_EQ(errorOf(registry->resolve("aaaa0000-0000-4000-8000-00000000000")),
            Errc::InvalidArgument);
  ASSERT_NE(registry->find(ids[1]), nullptr);
  EXPECT_EQ(registry->find(ids[1])->id(), ids[1]);
  ASSERT_NE(registry->find("bbbb"), nullptr);
  EXPECT_EQ(registry->find("bbbb")->id(), ids[2]);
  EXPECT_EQ(registry->find("bbb"), nullptr);
  EXPECT_EQ(registry->find("number 2")->id(), ids[1]);
}

TEST_F(RegistryTest, BrokenAccountIsListedWithItsProblemAndLeftAlone) {
  ASSERT_OK(load());
  auto good = add("Good");
  ASSERT_OK(good);
  auto broken = add("Broken");
  ASSERT_OK(broken);
  registry->closeAll();
  secrets.remove(store::dataKeySecretName(*broken), [](Status s) { ASSERT_OK(s); });
  const Bytes before = store::test::readFile(accountsDir() / *broken / "chorus.db");

  makeRegistry();
  ASSERT_OK(load());  // one broken account does not fail the load
  EXPECT_EQ(registry->size(), 2u);
  const auto list = registry->list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "Broken") << "the plain name is read without the key";
  EXPECT_EQ(list[0].id, *broken);
  EXPECT_NE(list[0].problem.find("keychain"), std::string::npos) << list[0].problem;
  EXPECT_EQ(list[0].status.state, State::Disconnected);
  EXPECT_EQ(list[1].name, "Good");
  EXPECT_TRUE(list[1].problem.empty());

  EXPECT_EQ(registry->find("Broken"), nullptr);
  EXPECT_EQ(errorOf(registry->resolve("Broken")), Errc::NotFound);
  EXPECT_NE(registry->find("Good"), nullptr);
  EXPECT_EQ(errorOf(add("broken")), Errc::InvalidArgument) << "its name is still taken";
  registry->startAll();  // the broken one is skipped
  EXPECT_EQ(store::test::readFile(accountsDir() / *broken / "chorus.db"), before);

  // A person can still remove it.
  std::optional<Status> removed;
  remove("Broken", removed);
  ASSERT_TRUE(removed.has_value());
  ASSERT_OK(*removed);
  EXPECT_FALSE(fs::exists(accountsDir() / *broken));
  EXPECT_EQ(names(), std::vector<std::string>{"Good"});
}

TEST_F(RegistryTest, RemoveLinkedAccountLogsOutThenDeletesEverything) {
  ASSERT_OK(load());
  registry->startAll();
  auto shop = add("Shop");
  ASSERT_OK(shop);
  auto other = add("Other");
  ASSERT_OK(other);
  linkAccount(*shop);
  Link& link = *links.at(*shop);
  const std::size_t changes = recorder.all<api::AccountsChanged>().size();

  std::optional<Status> removed;
  remove("shop", removed);
  EXPECT_FALSE(removed.has_value()) << "waits for the server";
  test::pump(link);
  ASSERT_TRUE(removed.has_value());
  ASSERT_OK(*removed);

  EXPECT_NE(test::findNode(link.received, "remove-companion-device"), nullptr);
  const auto out = recorder.last<api::AccountLoggedOut>();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->id, *shop);
  EXPECT_TRUE(out->userInitiated);
  EXPECT_TRUE(out->serverConfirmed);
  EXPECT_EQ(link.account, nullptr) << "the account and its transport are gone";
  EXPECT_FALSE(link.live);
  EXPECT_FALSE(fs::exists(accountsDir() / *shop));
  EXPECT_FALSE(secrets.contains(store::dataKeySecretName(*shop)));
  EXPECT_GT(recorder.all<api::AccountsChanged>().size(), changes);
  EXPECT_EQ(names(), std::vector<std::string>{"Other"});
  EXPECT_EQ(registry->find(*shop), nullptr);

  std::optional<Status> unknown;
  remove("shop", unknown);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(errorOf(*unknown), Errc::NotFound);

  // An unlinked account goes at once.
  std::optional<Status> unlinked;
  remove(*other, unlinked);
  ASSERT_TRUE(unlinked.has_value());
  ASSERT_OK(*unlinked);
  EXPECT_EQ(registry->size(), 0u);
  EXPECT_TRUE(fs::is_empty(accountsDir()));
}

TEST_F(RegistryTest, RemoveWhileTheServerDoesNotAnswerEndsAfterTheSessionTimeout) {
  ASSERT_OK(load());
  auto shop = add("Shop");
  ASSERT_OK(shop);
  linkAccount(*shop);
  Link& link = *links.at(*shop);
  link.hang = true;  // connections open but never finish
  test::drop(link);

  std::optional<Status> removed;
  remove("Shop", removed);
  test::pump(link);
  EXPECT_FALSE(removed.has_value()) << "waits for the server";
  test::advance(link, clock, 30s);
  ASSERT_TRUE(removed.has_value()) << "the session bounds the wait";
  ASSERT_OK(*removed);
  const auto out = recorder.last<api::AccountLoggedOut>();
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->userInitiated);
  EXPECT_FALSE(out->serverConfirmed);
  EXPECT_FALSE(fs::exists(accountsDir() / *shop));
  EXPECT_FALSE(secrets.contains(store::dataKeySecretName(*shop)));
  EXPECT_EQ(registry->size(), 0u);
}

TEST_F(RegistryTest, RemoveWithoutNetworkFinishesLocally) {
  ASSERT_OK(load());
  auto shop = add("Shop");
  ASSERT_OK(shop);
  linkAccount(*shop);
  Link& link = *links.at(*shop);
  link.refuse = true;  // every connection fails at once
  test::drop(link);

  std::optional<Status> removed;
  remove("Shop", removed);
  test::pump(link);
  test::advance(link, clock, 30s);
  ASSERT_TRUE(removed.has_value());
  ASSERT_OK(*removed);
  EXPECT_FALSE(fs::exists(accountsDir() / *shop));
}

TEST_F(RegistryTest, UnwritableDataFolderIsIoNamingTheFolder) {
  if (::geteuid() == 0) GTEST_SKIP() << "permissions do not bind root";
  ASSERT_TRUE(fs::create_directories(dataDir()));
  fs::permissions(dataDir(), fs::perms::owner_read | fs::perms::owner_exec);
  const Status loaded = load();
  ASSERT_EQ(errorOf(loaded), Errc::Io);
  EXPECT_NE(loaded.error().detail.find(accountsDir().string()), std::string::npos)
      << loaded.error().detail;
  auto added = add("Shop");
  ASSERT_EQ(errorOf(added), Errc::Io);
  EXPECT_NE(added.error().detail.find(accountsDir().string()), std::string::npos);
  fs::permissions(dataDir(), fs::perms::owner_all);
}

// The same failure as a read-only folder, in a form that binds root too (CI runs as root):
// accounts/ exists but is a file, so nothing can be made below it.
TEST_F(RegistryTest, AccountsPathThatIsAFileIsIoNamingIt) {
  ASSERT_TRUE(fs::create_directories(dataDir()));
  { std::ofstream(accountsDir()) << "not a folder"; }
  const Status loaded = load();
  ASSERT_EQ(errorOf(loaded), Errc::Io);
  EXPECT_NE(loaded.error().detail.find(accountsDir().string()), std::string::npos)
      << loaded.error().detail;
  auto added = add("Shop");
  ASSERT_EQ(errorOf(added), Errc::Io);
  EXPECT_NE(added.error().detail.find(accountsDir().string()), std::string::npos)
      << added.error().detail;
  EXPECT_EQ(registry->size(), 0u);
}

TEST_F(RegistryTest, FolderThatCannotBeDeletedIsReportedAndStaysListed) {
  if (::geteuid() == 0) GTEST_SKIP() << "permissions do not bind root";
  ASSERT_OK(load());
  auto shop = add("Shop");
  ASSERT_OK(shop);
  fs::permissions(accountsDir(), fs::perms::owner_read | fs::perms::owner_exec);
  std::optional<Status> removed;
  remove("Shop", removed);
  fs::permissions(accountsDir(), fs::perms::owner_all);
  ASSERT_TRUE(removed.has_value());
  ASSERT_EQ(errorOf(*removed), Errc::Io);
  EXPECT_NE(removed->error().detail.find((accountsDir() / *shop).string()), std::string::npos)
      << removed->error().detail;
  ASSERT_EQ(registry->size(), 1u);
  EXPECT_FALSE(registry->list()[0].problem.empty());

  std::optional<Status> again;
  remove("Shop", again);
  ASSERT_TRUE(again.has_value());
  ASSERT_OK(*again);
  EXPECT_FALSE(fs::exists(accountsDir() / *shop));
}

TEST(AccountNames, RulesAndFolding) {
  EXPECT_EQ(normalizeAccountName("  Shop \t").value_or(""), "Shop");
  EXPECT_FALSE(normalizeAccountName("").has_value());
  EXPECT_FALSE(normalizeAccountName("a\nb").has_value());
  EXPECT_FALSE(normalizeAccountName("\xff").has_value());
  EXPECT_TRUE(normalizeAccountName(std::string(64, 'x')).has_value());
  EXPECT_FALSE(normalizeAccountName(std::string(65, 'x')).has_value());
  std::string accented;
  for (int i = 0; i < 64; ++i) accented += "\xc3\xa9";  // 64 × é: 64 characters, 128 bytes
  EXPECT_TRUE(normalizeAccountName(accented).has_value());
  EXPECT_TRUE(sameAccountName("Corner Shop", "corner SHOP"));
  EXPECT_FALSE(sameAccountName("Shop", "Shops"));
}

TEST(AccountIds, AreVersion4UuidsInLowerCase) {
  SeededRandom random(1);
  const api::AccountId id = newAccountId(random);
  EXPECT_TRUE(isAccountId(id)) << id;
  EXPECT_EQ(id[14], '4');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
  EXPECT_NE(newAccountId(random), id);
  EXPECT_FALSE(isAccountId("0F8E4D2C-1B3A-4C5D-9E6F-7A8B9C0D1E2F"));
  EXPECT_FALSE(isAccountId("0f8e4d2c1b3a4c5d9e6f7a8b9c0d1e2f"));
  EXPECT_FALSE(isAccountId("../etc"));
}

}  // namespace
}  // namespace chorus::core::account
