#include "core/session/keepalive.h"

#include <algorithm>
#include <utility>

#include "core/protocol/jid/jid.h"

namespace chorus::core::session {

Keepalive::Keepalive(Random& random, KeepaliveOptions options)
    : random_(random), options_(options) {
  options_.maxInterval = std::max(options_.maxInterval, options_.minInterval);
}

void Keepalive::start(TimePoint now) {
  running_ = true;
  pingDeadline_.reset();
  nextPingAt_ = now + nextInterval();
}

void Keepalive::stop() noexcept {
  running_ = false;
  pingDeadline_.reset();
}

void Keepalive::onFrameReceived(TimePoint now) noexcept {
  if (running_ && pingDeadline_ && now <= *pingDeadline_) pingDeadline_.reset();
}

KeepaliveAction Keepalive::onTimer(TimePoint now) {
  if (!running_) return KeepaliveAction::None;
  if (pingDeadline_ && now >= *pingDeadline_) {
    stop();
    return KeepaliveAction::Dead;
  }
  if (!pingDeadline_ && now >= nextPingAt_) {
    pingDeadline_ = now + options_.responseTimeout;
    nextPingAt_ = now + nextInterval();
    return KeepaliveAction::SendPing;
  }
  return KeepaliveAction::None;
}

std::optional<TimePoint> Keepalive::nextDeadline() const noexcept {
  if (!running_) return std::nullopt;
  if (pingDeadline_) return *pingDeadline_;  // no new ping while one is outstanding
  return nextPingAt_;
}

Millis Keepalive::nextInterval() {
  const auto span =
      static_cast<std::uint64_t>((options_.maxInterval - options_.minInterval).count());
  const auto bound = static_cast<std::uint32_t>(std::min<std::uint64_t>(span, UINT32_MAX - 1) + 1);
  return options_.minInterval + Millis(random_.uniform(bound));
}

binary::Node buildPing(std::string id) {
  binary::Node ping;
  ping.tag = "iq";
  ping.set("id", std::move(id));
  jid::Jid server;
  server.server = std::string(jid::kUserServer);
  ping.set("to", std::move(server));
  ping.set("type", std::string("get"));
  ping.set("xmlns", std::string("w:p"));
  binary::Node child;
  child.tag = "ping";
  ping.content = binary::Children{std::move(child)};
  return ping;
}

}  // namespace chorus::core::session
