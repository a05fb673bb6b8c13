// Helpers for the account tests: a fake AccountTransport that connects an Account to the
// in-process FakeServer of the session tests (one server per account, all trusting the same
// root), a pump that carries bytes both ways until nothing moves, timers driven by a FakeClock,
// a recorder for AccountEvents, and readers for what an account stored.
#pragma once

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/account/account.h"
#include "core/account/account_transport.h"
#include "core/api/account_events.h"
#include "core/protocol/binary/node.h"
#include "core/session/session.h"
#include "core/store/account_meta_store.h"
#include "core/store/column_cipher.h"
#include "core/store/credential_store.h"
#include "core/store/data_key.h"
#include "core/store/database.h"
#include "core/store/secret_store.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "tests/unit/session/fake_server.h"
#include "tests/unit/store/store_test_util.h"

namespace chorus::core::account::test {

using session::test::FakeServer;
using session::test::Phone;

inline const std::vector<std::string> kRefs = {"2@r0", "2@r1", "2@r2", "2@r3", "2@r4", "2@r5"};
inline constexpr char kUrl[] = "ws://127.0.0.1:1/ws/chat";

// One account's network: its transport state and its server.
struct Link {
  explicit Link(std::uint64_t seed) : serverRandom(seed), server(serverRandom) {}

  SeededRandom serverRandom;
  FakeServer server;
  Account* account = nullptr;  // null once the transport (and so the account) is gone
  bool live = false;           // a connection is open
  bool openPending = false;    // open() was called, not reported yet
  bool refuse = false;         // opens fail (no network)
  bool hang = false;           // opens never finish (a server that does not answer)
  std::deque<Bytes> toServer;
  std::optional<TimePoint> wake;
  std::vector<binary::Node> received;  // everything the server got, in order
  bool answerRemove = true;            // answer remove-companion-device at once
  int opens = 0;
  int closes = 0;
};

class FakeTransport final : public AccountTransport {
 public:
  FakeTransport(Link& link, Account& account) : link_(link) { link_.account = &account; }
  ~FakeTransport() override {
    link_.account = nullptr;
    link_.live = false;
    link_.openPending = false;
  }

  void open(const std::string& url) override {
    EXPECT_EQ(url, kUrl);
    EXPECT_FALSE(link_.live || link_.openPending) << "one connection at a time";
    ++link_.opens;
    link_.openPending = true;
  }
  void send(Bytes bytes) override {
    EXPECT_TRUE(link_.live) << "send without a connection";
    if (link_.live) link_.toServer.push_back(std::move(bytes));
  }
  void close() override {
    EXPECT_TRUE(link_.live || link_.openPending) << "close without a connection";
    ++link_.closes;
    link_.live = false;
    link_.openPending = false;
    link_.toServer.clear();
  }
  void wakeAt(std::optional<TimePoint> at) override { link_.wake = at; }

 private:
  Link& link_;
};

// Carries everything both ways until nothing moves. Reports come "later" (here, from the
// pump), never from inside a transport call.
inline void pump(Link& link) {
  for (int guard = 0; guard < 1000 && link.account != nullptr; ++guard) {
    if (link.openPending && link.hang) return;
    if (link.openPending) {
      link.openPending = false;
      if (link.refuse) {
        link.account->onTransportClosed();
      } else {
        link.server.accept();
        link.live = true;
        link.account->onTransportOpen();
      }
      continue;
    }
    if (link.live && !link.toServer.empty()) {
      const Bytes bytes = std::move(link.toServer.front());
      link.toServer.pop_front();
      const Bytes answer = link.server.onClientBytes(bytes);
      for (binary::Node& node : link.server.takeReceived()) {
        if (link.answerRemove && node.tag == "iq" && node.child("remove-companion-device")) {
          const std::string id = node.attrText("id").value_or("");
          link.received.push_back(std::move(node));
          if (link.account != nullptr && link.live) {
            link.account->onBytes(link.server.send(session::test::iqResult(id)));
          }
          continue;
        }
        link.received.push_back(std::move(node));
      }
      if (!answer.empty() && link.account != nullptr && link.live) link.account->onBytes(answer);
      continue;
    }
    return;
  }
}

// The server sends `node` on the live connection.
inline void deliver(Link& link, const binary::Node& node) {
  ASSERT_TRUE(link.live) << "no connection to deliver on";
  ASSERT_NE(link.account, nullptr);
  link.account->onBytes(link.server.send(node));
  pump(link);
}

// The socket dropped under the account.
inline void drop(Link& link) {
  link.live = false;
  link.toServer.clear();
  if (link.account != nullptr) link.account->onTransportClosed();
  pump(link);
}

// Moves the clock forward by `by`, firing the account's timers on the way.
inline void advance(Link& link, FakeClock& clock, Millis by) {
  const TimePoint target = clock.now() + by;
  for (int guard = 0; guard < 10'000; ++guard) {
    if (link.account == nullptr || !link.wake || *link.wake > target) break;
    clock.set(std::max(clock.now(), *link.wake));
    link.wake.reset();
    link.account->onTimer();
    pump(link);
  }
  clock.set(target);
}

inline const binary::Node* findNode(const std::vector<binary::Node>& nodes,
                                    std::string_view childTag) {
  for (const binary::Node& n : nodes) {
    if (n.child(childTag) != nullptr) return &n;
  }
  return nullptr;
}

// Everything an account reports, in order.
struct Recorder {
  std::vector<api::AccountEvent> events;

  AccountListener listener() {
    return [this](const api::AccountEvent& e) { events.push_back(e); };
  }
  template <class T>
  [[nodiscard]] std::vector<T> all() const {
    std::vector<T> out;
    for (const api::AccountEvent& e : events) {
      if (auto* t = std::get_if<T>(&e)) out.push_back(*t);
    }
    return out;
  }
  template <class T>
  [[nodiscard]] std::optional<T> last() const {
    auto found = all<T>();
    if (found.empty()) return std::nullopt;
    return found.back();
  }
  [[nodiscard]] std::vector<api::ConnectionState> states() const {
    std::vector<api::ConnectionState> out;
    for (const auto& s : all<api::AccountStatusEvent>()) out.push_back(s.change.status.state);
    return out;
  }
  [[nodiscard]] std::vector<std::string> problems() const {
    std::vector<std::string> out;
    for (const auto& p : all<api::AccountProblem>()) out.push_back(p.error + ": " + p.message);
    return out;
  }
};

// What an account's database holds, read on a connection of its own with the account's key.
struct Stored {
  store::DeviceCredentials credentials;
  store::DeviceIdentity identity;
  store::AccountMeta meta;
};

inline std::optional<Stored> readStored(const std::filesystem::path& folder,
                                        const api::AccountId& id, store::SecretStore& secrets) {
  std::optional<store::DataKey> key;
  store::readDataKey(secrets, id, [&](Result<store::DataKey> k) {
    if (k) key = std::move(*k);
  });
  if (!key) return std::nullopt;
  SeededRandom random(5);
  store::ColumnCipher cipher(std::move(*key), random);
  auto db = store::Database::open(folder / "chorus.db");
  if (!db) return std::nullopt;
  store::CredentialStore creds(**db, cipher);
  auto credentials = creds.load();
  auto identity = creds.loadIdentity();
  auto meta = store::AccountMetaStore(**db).load();
  EXPECT_TRUE(credentials.has_value()) << describe(credentials.error());
  EXPECT_TRUE(identity.has_value()) << describe(identity.error());
  EXPECT_TRUE(meta.has_value()) << describe(meta.error());
  if (!credentials || !identity || !meta) return std::nullopt;
  return Stored{std::move(*credentials), std::move(*identity), std::move(*meta)};
}

inline AccountOptions optionsFor(const FakeServer& server) {
  AccountOptions options;
  options.session.url = kUrl;
  options.session.wire.trustedRootKey = server.rootKey();
  return options;
}

}  // namespace chorus::core::account::test
