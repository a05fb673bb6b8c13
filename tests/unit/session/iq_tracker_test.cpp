#include "core/session/iq_tracker.h"

#include <chrono>
#include <set>

#include <gtest/gtest.h>

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = fromUnixSeconds(1'700'000'000);

binary::Node response(const std::string& id, const char* type) {
  binary::Node n;
  n.tag = "iq";
  n.set("id", id);
  n.set("type", std::string(type));
  return n;
}

binary::Node errorResponse(const std::string& id, const char* code, const char* text) {
  binary::Node n = response(id, "error");
  binary::Node error;
  error.tag = "error";
  error.set("code", std::string(code));
  error.set("text", std::string(text));
  n.content = binary::Children{error};
  return n;
}

TEST(IqTracker, IdsArePrefixDotCounterAndUnique) {
  SeededRandom random(1);
  IqTracker t(random);
  EXPECT_FALSE(t.prefix().empty());
  std::set<std::string> ids;
  for (int i = 1; i <= 1000; ++i) {
    const std::string id = t.add(0, kT0);
    EXPECT_EQ(id, t.prefix() + "." + std::to_string(i));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_EQ(t.pendingCount(), 1000u);

  SeededRandom other(2);
  EXPECT_NE(IqTracker(other).prefix(), t.prefix()) << "the prefix comes from the Random";
}

TEST(IqTracker, MatchesResultsAndErrorsByIdAmongManyInFlight) {
  SeededRandom random(3);
  IqTracker t(random);
  const std::string a = t.add(7, kT0);
  const std::string b = t.add(8, kT0 + 1s);
  const std::string c = t.add(9, kT0 + 2s);

  const std::optional<IqResponse> rb = t.onResponse(response(b, "result"));
  ASSERT_TRUE(rb.has_value());
  EXPECT_EQ(rb->outcome, IqOutcome::Result);
  ASSERT_TRUE(rb->request.has_value());
  EXPECT_EQ(rb->request->kind, 8u);
  EXPECT_EQ(rb->request->sentAt, kT0 + 1s);
  EXPECT_EQ(rb->request->deadline, kT0 + 61s);

  const std::optional<IqResponse> ra = t.onResponse(errorResponse(a, "404", "item-not-found"));
  ASSERT_TRUE(ra.has_value());
  EXPECT_EQ(ra->outcome, IqOutcome::Error);
  EXPECT_EQ(ra->request->kind, 7u);
  EXPECT_EQ(ra->errorCode, 404);
  EXPECT_EQ(ra->errorText, "item-not-found");

  EXPECT_EQ(t.pendingCount(), 1u);
  EXPECT_TRUE(t.isPending(c));
  EXPECT_FALSE(t.isPending(a));
  EXPECT_EQ(t.nextDeadline(), kT0 + 62s);
}

TEST(IqTracker, ErrorWithoutDetailsOrWithJunkCode) {
  SeededRandom random(4);
  IqTracker t(random);
  const std::string a = t.add(0, kT0);
  const std::string b = t.add(0, kT0);
  const std::optional<IqResponse> ra = t.onResponse(response(a, "error"));
  EXPECT_EQ(ra->outcome, IqOutcome::Error);
  EXPECT_EQ(ra->errorCode, 0);
  const std::optional<IqResponse> rb = t.onResponse(errorResponse(b, "4x4", ""));
  EXPECT_EQ(rb->outcome, IqOutcome::Error);
  EXPECT_EQ(rb->errorCode, 0);
}

TEST(IqTracker, TimeoutsAreReportedByExpireInDeadlineOrder) {
  SeededRandom random(5);
  IqTracker t(random);
  const std::string slow = t.add(1, kT0, 120s);
  const std::string first = t.add(2, kT0);  // default 60 s
  const std::string quick = t.add(3, kT0, 10s);
  EXPECT_EQ(t.nextDeadline(), kT0 + 10s);

  EXPECT_TRUE(t.expire(kT0 + 10s - 1ms).empty());
  std::vector<PendingIq> expired = t.expire(kT0 + 60s);
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(expired[0].id, quick);
  EXPECT_EQ(expired[1].id, first);
  EXPECT_EQ(t.nextDeadline(), kT0 + 120s);
  EXPECT_TRUE(t.isPending(slow));

  expired = t.expire(kT0 + 1h);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].id, slow);
  EXPECT_FALSE(t.nextDeadline().has_value());
  EXPECT_EQ(t.pendingCount(), 0u);
}

TEST(IqTracker, LateDuplicateAndUnknownAnswersAreReported) {
  SeededRandom random(6);
  IqTracker t(random);
  const std::string answered = t.add(0, kT0);
  const std::string timedOut = t.add(0, kT0, 5s);

  EXPECT_EQ(t.onResponse(response(answered, "result"))->outcome, IqOutcome::Result);
  EXPECT_EQ(t.onResponse(response(answered, "result"))->outcome, IqOutcome::Duplicate);
  EXPECT_EQ(t.onResponse(response(answered, "error"))->outcome, IqOutcome::Duplicate);

  ASSERT_EQ(t.expire(kT0 + 5s).size(), 1u);
  const std::optional<IqResponse> late = t.onResponse(response(timedOut, "result"));
  EXPECT_EQ(late->outcome, IqOutcome::Late);
  EXPECT_FALSE(late->request.has_value());
  EXPECT_EQ(t.onResponse(response(timedOut, "result"))->outcome, IqOutcome::Duplicate);

  const std::optional<IqResponse> unknown = t.onResponse(response("nope.1", "result"));
  EXPECT_EQ(unknown->outcome, IqOutcome::Unknown);
  EXPECT_EQ(unknown->id, "nope.1");
}

TEST(IqTracker, ForgetsOldFinishedIdsBeyondTheLimit) {
  SeededRandom random(7);
  IqTracker t(random, IqTrackerOptions{60s, 2});
  const std::string a = t.add(0, kT0);
  const std::string b = t.add(0, kT0);
  const std::string c = t.add(0, kT0);
  for (const std::string& id : {a, b, c}) (void)t.onResponse(response(id, "result"));
  EXPECT_EQ(t.onResponse(response(a, "result"))->outcome, IqOutcome::Unknown);
  EXPECT_EQ(t.onResponse(response(c, "result"))->outcome, IqOutcome::Duplicate);
}

TEST(IqTracker, NonResponsesAreIgnored) {
  SeededRandom random(8);
  IqTracker t(random);
  const std::string id = t.add(0, kT0);
  EXPECT_FALSE(t.onResponse(response(id, "get")).has_value()) << "a server request";
  EXPECT_FALSE(t.onResponse(response(id, "set")).has_value());
  binary::Node noType = response(id, "result");
  noType.attrs.erase(noType.attrs.begin() + 1);
  EXPECT_FALSE(t.onResponse(noType).has_value());
  binary::Node noId;
  noId.tag = "iq";
  noId.set("type", std::string("result"));
  EXPECT_FALSE(t.onResponse(noId).has_value());
  binary::Node ack = response(id, "result");
  ack.tag = "ack";
  EXPECT_FALSE(t.onResponse(ack).has_value());
  EXPECT_TRUE(t.isPending(id));
}

TEST(IqTracker, CancelAllEmptiesAndLaterAnswersAreLate) {
  SeededRandom random(9);
  IqTracker t(random);
  const std::string a = t.add(1, kT0, 30s);
  const std::string b = t.add(2, kT0, 10s);
  const std::vector<PendingIq> cancelled = t.cancelAll();
  ASSERT_EQ(cancelled.size(), 2u);
  EXPECT_EQ(cancelled[0].id, b);
  EXPECT_EQ(cancelled[1].id, a);
  EXPECT_EQ(t.pendingCount(), 0u);
  EXPECT_FALSE(t.nextDeadline().has_value());
  EXPECT_EQ(t.onResponse(response(a, "result"))->outcome, IqOutcome::Late);
  // Ids keep counting after a cancel: never reused within the tracker.
  EXPECT_EQ(t.add(0, kT0), t.prefix() + ".3");
}

}  // namespace
}  // namespace chorus::core::session
