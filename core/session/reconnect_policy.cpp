#include "core/session/reconnect_policy.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace chorus::core::session {
namespace {

using State = api::ConnectionState;

constexpr int kMaxDoublings = 20;  // keeps base·2^n far from overflow whatever the options

}  // namespace

ReconnectPolicy::ReconnectPolicy(Random& random, ReconnectOptions options, State initial,
                                 TimePoint now)
    : random_(random), options_(options) {
  status_.state = initial;
  status_.since = now;
}

bool ReconnectPolicy::onUserConnect(TimePoint now) {
  if (status_.state == State::Banned && status_.bannedUntil && now < *status_.bannedUntil) {
    return false;
  }
  stopped_ = false;
  if (live_) return true;
  failures_ = 0;
  restarts_ = 0;
  api::ConnectionStatus next = status_;
  next.nextRetryAt = now;
  next.attempt = 0;
  update(std::move(next), now);
  return true;
}

void ReconnectPolicy::onUserDisconnect(TimePoint now) {
  stopped_ = true;
  live_ = false;
  failures_ = 0;
  restarts_ = 0;
  api::ConnectionStatus next = status_;
  next.nextRetryAt.reset();
  next.attempt = 0;
  if (!api::needsAction(status_.state)) {
    next.state = State::Disconnected;
    next.reasonCode = 0;
    next.reason = "stopped";
    next.downSince.reset();
    next.bannedUntil.reset();
  }
  update(std::move(next), now);
}

bool ReconnectPolicy::onConnectStarted(TimePoint now) {
  if (!shouldConnect(now)) return false;
  live_ = true;
  api::ConnectionStatus next = status_;
  next.state = State::Connecting;
  next.nextRetryAt.reset();
  next.bannedUntil.reset();
  update(std::move(next), now);
  return true;
}

void ReconnectPolicy::onConnected(TimePoint now) {
  live_ = true;
  stopped_ = false;
  failures_ = 0;
  restarts_ = 0;
  api::ConnectionStatus next;
  next.state = State::Ready;
  update(std::move(next), now);
}

bool ReconnectPolicy::onDisconnected(const DisconnectReason& reason, TimePoint now) {
  if (!live_) return false;
  live_ = false;

  api::ConnectionStatus next;
  next.reasonCode = reason.code;
  next.reason = reason.detail;
  next.downSince = status_.downSince.value_or(now);

  if (!reason.isTransient()) {
    failures_ = 0;
    restarts_ = 0;
    next.state = reason.state;
    if (reason.state == State::Banned && reason.banExpiry) {
      next.bannedUntil = reason.banExpiry;
      next.nextRetryAt = std::max(*reason.banExpiry, now);  // one attempt at the expiry
    }
    update(std::move(next), now);
    return true;
  }
  if (reason.retryImmediately && restarts_ < kMaxImmediateRestarts) {
    ++restarts_;
    next.state = State::Connecting;
    next.nextRetryAt = now;
    update(std::move(next), now);
    return true;
  }
  scheduleTransient(reason, now);
  return true;
}

void ReconnectPolicy::scheduleTransient(const DisconnectReason& reason, TimePoint now) {
  ++failures_;
  api::ConnectionStatus next;
  next.reasonCode = reason.code;
  next.reason = reason.detail;
  next.downSince = status_.downSince.value_or(now);
  if (failures_ <= options_.maxFastAttempts) {
    const int doublings = std::min(failures_ - 1, kMaxDoublings);
    next.state = State::Reconnecting;
    next.attempt = failures_;
    next.nextRetryAt = now + jittered(options_.baseDelay * (1LL << doublings));
  } else {
    next.state = State::Disconnected;
    next.nextRetryAt = now + jittered(options_.slowInterval);
  }
  update(std::move(next), now);
}

void ReconnectPolicy::onNetworkUp(TimePoint now) {
  if (stopped_ || live_ || api::needsAction(status_.state)) return;
  failures_ = 0;
  api::ConnectionStatus next = status_;
  next.nextRetryAt = now;
  update(std::move(next), now);
}

bool ReconnectPolicy::shouldConnect(TimePoint now) const noexcept {
  return !stopped_ && !live_ && status_.nextRetryAt && *status_.nextRetryAt <= now;
}

std::optional<TimePoint> ReconnectPolicy::nextDeadline() const noexcept {
  if (stopped_ || live_) return std::nullopt;
  return status_.nextRetryAt;
}

std::vector<api::ConnectionStatusChanged> ReconnectPolicy::takeEvents() {
  return std::exchange(events_, {});
}

Millis ReconnectPolicy::jittered(Millis delay) {
  const double factor = 1.0 + options_.jitter * (2.0 * random_.unit() - 1.0);
  const double ms = std::floor(static_cast<double>(delay.count()) * factor);
  return Millis(std::max<Millis::rep>(0, static_cast<Millis::rep>(ms)));
}

void ReconnectPolicy::update(api::ConnectionStatus next, TimePoint now) {
  next.since = next.state == status_.state ? status_.since : now;
  if (next == status_) return;
  events_.push_back(api::ConnectionStatusChanged{status_.state, next});
  status_ = std::move(next);
}

}  // namespace chorus::core::session
