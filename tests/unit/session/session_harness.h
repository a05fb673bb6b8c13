// The Session test driver (used by session_test.cpp, session_link_code_test.cpp and
// session_logout_test.cpp): carries out effects against the in-process FakeServer with a fake
// clock and records what the session emits.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/session/pairing.h"
#include "core/session/session.h"
#include "tests/unit/session/fake_server.h"

namespace chorus::core::session::test {

using State = api::ConnectionState;

// The driver: carries out effects against the fake server and records what the session emits.
class Harness {
 public:
  explicit Harness(bool paired, std::uint64_t seed = 7)
      : random_(seed), serverRandom_(seed + 1000), server_(serverRandom_) {
    store::DeviceCredentials creds = generateCredentials(random_).value();
    if (paired) {
      creds.deviceJid = phone_.deviceJid;
      creds.lid = phone_.lid;
    }
    SessionConfig config;
    config.wire.trustedRootKey = server_.rootKey();
    config.url = "ws://127.0.0.1:1/ws/chat";
    session_.emplace(std::move(config), std::move(creds), random_, now);
  }
  Harness(bool paired, SessionConfig config)
      : random_(7), serverRandom_(1007), server_(serverRandom_) {
    store::DeviceCredentials creds = generateCredentials(random_).value();
    if (paired) creds.deviceJid = phone_.deviceJid;
    session_.emplace(std::move(config), std::move(creds), random_, now);
  }

  Session& session() { return *session_; }
  FakeServer& server() { return server_; }
  const Phone& phone() const { return phone_; }
  Random& phoneRandom() { return serverRandom_; }

  void run(Effects effects) {
    std::deque<Effect> queue(std::make_move_iterator(effects.begin()),
                             std::make_move_iterator(effects.end()));
    auto push = [&](Effects more) {
      for (Effect& e : more) queue.push_back(std::move(e));
    };
    while (!queue.empty()) {
      Effect effect = std::move(queue.front());
      queue.pop_front();
      if (auto* open = std::get_if<OpenTransport>(&effect)) {
        EXPECT_FALSE(open_) << "one transport at a time";
        EXPECT_EQ(open->url, "ws://127.0.0.1:1/ws/chat");
        ++opens;
        open_ = true;
        server_.accept();
        if (autoOpen) push(session_->onTransportOpen(now));
      } else if (auto* send = std::get_if<Send>(&effect)) {
        EXPECT_TRUE(open_) << "send without a transport";
        const Bytes answer = server_.onClientBytes(send->bytes);
        if (!answer.empty()) push(session_->onBytes(answer, now));
      } else if (std::holds_alternative<CloseTransport>(effect)) {
        EXPECT_TRUE(open_) << "close without a transport";
        ++closes;
        open_ = false;
      } else {
        events.push_back(std::move(std::get<Emit>(effect).event));
      }
    }
  }

  // The driver saw the socket close under it.
  void dropTransport() {
    open_ = false;
    run(session_->onTransportClosed(now));
  }

  void deliver(const binary::Node& node) { run(session_->onBytes(server_.send(node), now)); }

  // Moves the clock to now + by, firing every deadline on the way.
  void advance(Millis by) {
    const TimePoint target = now + by;
    for (int guard = 0; guard < 10'000; ++guard) {
      const std::optional<TimePoint> due = session_->nextDeadline();
      if (!due || *due > target) break;
      now = std::max(now, *due);
      run(session_->onTimer(now));
    }
    now = target;
  }

  std::vector<State> states() const {
    std::vector<State> out;
    for (const SessionEvent& e : events) {
      if (auto* s = std::get_if<api::ConnectionStatusChanged>(&e)) out.push_back(s->status.state);
    }
    return out;
  }
  std::vector<QrCode> qrCodes() const {
    std::vector<QrCode> out;
    for (const SessionEvent& e : events) {
      if (auto* q = std::get_if<QrCodeEvent>(&e)) out.push_back(q->qr);
    }
    return out;
  }
  std::vector<Errc> errors() const {
    std::vector<Errc> out;
    for (const SessionEvent& e : events) {
      if (auto* err = std::get_if<ErrorEvent>(&e)) out.push_back(err->error.code);
    }
    return out;
  }
  const PairedEvent* paired() const {
    for (const SessionEvent& e : events) {
      if (auto* p = std::get_if<PairedEvent>(&e)) return p;
    }
    return nullptr;
  }
  std::vector<std::string> linkCodes() const {
    std::vector<std::string> out;
    for (const SessionEvent& e : events) {
      if (auto* c = std::get_if<LinkCodeEvent>(&e)) out.push_back(c->code);
    }
    return out;
  }
  std::vector<bool> loggedOuts() const {  // serverConfirmed of each LoggedOutEvent
    std::vector<bool> out;
    for (const SessionEvent& e : events) {
      if (auto* l = std::get_if<LoggedOutEvent>(&e)) out.push_back(l->serverConfirmed);
    }
    return out;
  }
  bool revoked() const {
    for (const SessionEvent& e : events) {
      if (std::holds_alternative<CredentialsRevokedEvent>(e)) return true;
    }
    return false;
  }

  // Login flow up to Ready for paired credentials.
  void loginToReady() {
    run(session_->start(now));
    ASSERT_TRUE(server_.established());
    deliver(test::success(phone_.lid));
    ASSERT_EQ(session_->status().state, State::Ready);
  }

  TimePoint now = fromUnixSeconds(1'700'000'000);
  int opens = 0;
  int closes = 0;
  bool autoOpen = true;
  std::vector<SessionEvent> events;

 private:
  SeededRandom random_;
  SeededRandom serverRandom_;
  FakeServer server_;
  Phone phone_{fixedKeyPair(0x99)};
  std::optional<Session> session_;
  bool open_ = false;
};

inline const binary::Node* findIq(const std::vector<binary::Node>& nodes, std::string_view type,
                                  std::string_view xmlns = {}) {
  for (const binary::Node& n : nodes) {
    if (n.tag == "iq" && n.attrText("type") == type &&
        (xmlns.empty() || n.attrText("xmlns") == xmlns)) {
      return &n;
    }
  }
  return nullptr;
}

}  // namespace chorus::core::session::test
