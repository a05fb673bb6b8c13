#include "core/session/disconnect_classifier.h"

#include <initializer_list>
#include <utility>

#include <gtest/gtest.h>

namespace chorus::core::session {
namespace {

using State = api::ConnectionState;
using binary::Node;

const TimePoint kNow = fromUnixSeconds(1'700'000'000);

Node node(std::string tag, std::initializer_list<std::pair<const char*, const char*>> attrs = {},
          std::optional<Node> child = std::nullopt) {
  Node n;
  n.tag = std::move(tag);
  for (const auto& [k, v] : attrs) n.set(k, std::string(v));
  if (child) n.content = binary::Children{std::move(*child)};
  return n;
}

DisconnectReason classify(const Node& n) {
  const std::optional<DisconnectReason> r = classifyNode(n, kNow);
  EXPECT_TRUE(r.has_value()) << n.tag;
  return r.value_or(DisconnectReason{});
}

// One row per entry of the <failure reason> table (§4.7).
struct FailureRow {
  const char* reason;
  State state;
  bool revoked;
};

TEST(DisconnectClassifier, FailureTable) {
  const FailureRow rows[] = {
      {"400", State::Reconnecting, false}, {"401", State::LoggedOut, true},
      {"402", State::Banned, false},       {"403", State::Banned, true},
      {"405", State::Outdated, false},     {"406", State::Banned, true},
      {"409", State::Outdated, false},     {"413", State::Reconnecting, false},
      {"415", State::Reconnecting, false}, {"418", State::Reconnecting, false},
      {"500", State::Reconnecting, false}, {"503", State::Reconnecting, false},
      {"999", State::Reconnecting, false},
  };
  for (const FailureRow& row : rows) {
    SCOPED_TRACE(row.reason);
    const DisconnectReason r = classify(node("failure", {{"reason", row.reason}}));
    EXPECT_EQ(r.state, row.state);
    EXPECT_EQ(r.source, DisconnectSource::LoginFailure);
    EXPECT_EQ(r.code, std::stoi(row.reason));
    EXPECT_EQ(r.credentialsRevoked, row.revoked);
    EXPECT_FALSE(r.restartRequired);
    EXPECT_FALSE(r.retryImmediately);
    EXPECT_FALSE(r.detail.empty());
    EXPECT_EQ(r.isTransient(), row.state == State::Reconnecting);
  }
}

TEST(DisconnectClassifier, TemporaryBanCarriesCodeAndExpiry) {
  for (int code = 101; code <= 106; ++code) {
    const std::string c = std::to_string(code);
    const DisconnectReason r =
        classify(node("failure", {{"reason", "402"}, {"code", c.c_str()}, {"expire", "3600"}}));
    EXPECT_EQ(r.state, State::Banned);
    EXPECT_EQ(r.banCode, code);
    EXPECT_EQ(r.banExpiry, kNow + std::chrono::seconds(3600));
    EXPECT_FALSE(r.credentialsRevoked);
  }
}

TEST(DisconnectClassifier, TemporaryBanWithoutOrWithJunkExpiry) {
  const DisconnectReason bare = classify(node("failure", {{"reason", "402"}}));
  EXPECT_EQ(bare.state, State::Banned);
  EXPECT_FALSE(bare.banCode.has_value());
  EXPECT_FALSE(bare.banExpiry.has_value());

  for (const char* junk : {"", "-5", "12x", "0x10", "99999999999999999999999"}) {
    SCOPED_TRACE(junk);
    const DisconnectReason r =
        classify(node("failure", {{"reason", "402"}, {"code", junk}, {"expire", junk}}));
    EXPECT_EQ(r.state, State::Banned);
    EXPECT_FALSE(r.banCode.has_value());
    EXPECT_FALSE(r.banExpiry.has_value());
  }
  const DisconnectReason huge =
      classify(node("failure", {{"reason", "402"}, {"expire", "999999999999"}}));
  EXPECT_EQ(huge.banExpiry, kNow + std::chrono::seconds(kMaxBanExpireSeconds));
}

TEST(DisconnectClassifier, FailureWithoutUsableReasonIsTransient) {
  for (const Node& n :
       {node("failure"), node("failure", {{"reason", "abc"}}), node("failure", {{"reason", ""}})}) {
    const DisconnectReason r = classify(n);
    EXPECT_TRUE(r.isTransient());
    EXPECT_EQ(r.code, 0);
    EXPECT_FALSE(r.detail.empty());
  }
}

TEST(DisconnectClassifier, StreamError515IsRestartRequired) {
  const DisconnectReason r = classify(node("stream:error", {{"code", "515"}}));
  EXPECT_TRUE(r.isTransient());
  EXPECT_EQ(r.source, DisconnectSource::StreamError);
  EXPECT_EQ(r.code, 515);
  EXPECT_TRUE(r.restartRequired);
  EXPECT_TRUE(r.retryImmediately);
}

TEST(DisconnectClassifier, StreamErrorDeviceRemovedIsLoggedOut) {
  const DisconnectReason r = classify(
      node("stream:error", {{"code", "401"}}, node("conflict", {{"type", "device_removed"}})));
  EXPECT_EQ(r.state, State::LoggedOut);
  EXPECT_EQ(r.code, 401);
  EXPECT_TRUE(r.credentialsRevoked);

  const DisconnectReason noChild = classify(node("stream:error", {{"code", "401"}}));
  EXPECT_EQ(noChild.state, State::LoggedOut);
  const DisconnectReason noCode =
      classify(node("stream:error", {}, node("conflict", {{"type", "device_removed"}})));
  EXPECT_EQ(noCode.state, State::LoggedOut);
}

TEST(DisconnectClassifier, ConflictReplacedWithoutCodeIsReplaced) {
  const DisconnectReason r =
      classify(node("stream:error", {}, node("conflict", {{"type", "replaced"}})));
  EXPECT_EQ(r.state, State::Replaced);
  EXPECT_EQ(r.code, 0);
  EXPECT_FALSE(r.credentialsRevoked);
  EXPECT_FALSE(r.retryImmediately);

  // Any other conflict is another holder of the device too: never fought with reconnects.
  EXPECT_EQ(classify(node("stream:error", {}, node("conflict"))).state, State::Replaced);
  EXPECT_EQ(classify(node("stream:error", {}, node("conflict", {{"type", "x"}}))).state,
            State::Replaced);
}

TEST(DisconnectClassifier, OtherStreamErrorsAreTransient) {
  for (const char* code : {"503", "500", "516", "abc"}) {
    SCOPED_TRACE(code);
    const DisconnectReason r = classify(node("stream:error", {{"code", code}}));
    EXPECT_TRUE(r.isTransient());
    EXPECT_FALSE(r.restartRequired);
    EXPECT_FALSE(r.retryImmediately);
    EXPECT_FALSE(r.detail.empty());
  }
  const DisconnectReason bare = classify(node("stream:error"));
  EXPECT_TRUE(bare.isTransient());
  EXPECT_EQ(bare.code, 0);
  EXPECT_EQ(classify(node("stream:error", {{"code", "503"}})).code, 503);
}

TEST(DisconnectClassifier, StreamEndIsTransient) {
  const DisconnectReason r = classify(node("xmlstreamend"));
  EXPECT_TRUE(r.isTransient());
  EXPECT_EQ(r.source, DisconnectSource::StreamEnd);
  EXPECT_FALSE(r.retryImmediately);
}

TEST(DisconnectClassifier, OrdinaryNodesAreNotDisconnects) {
  for (const char* tag : {"success", "iq", "message", "ib", "ack", ""}) {
    EXPECT_FALSE(classifyNode(node(tag), kNow).has_value()) << tag;
  }
}

TEST(DisconnectClassifier, TransportEvents) {
  const DisconnectReason closed = transportClosed("EOF");
  EXPECT_TRUE(closed.isTransient());
  EXPECT_EQ(closed.source, DisconnectSource::TransportClosed);
  EXPECT_NE(closed.detail.find("EOF"), std::string::npos);
  EXPECT_TRUE(transportClosed().isTransient());

  const DisconnectReason lost = keepaliveTimeout();
  EXPECT_TRUE(lost.isTransient());
  EXPECT_EQ(lost.source, DisconnectSource::KeepaliveTimeout);
  EXPECT_FALSE(lost.retryImmediately);
}

}  // namespace
}  // namespace chorus::core::session
