#include "core/session/disconnect_classifier.h"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace chorus::core::session {
namespace {

constexpr std::string_view kFailureTag = "failure";
constexpr std::string_view kStreamErrorTag = "stream:error";
constexpr std::string_view kStreamEndTag = "xmlstreamend";
constexpr std::string_view kConflictTag = "conflict";
constexpr std::string_view kConflictReplaced = "replaced";
constexpr std::string_view kConflictDeviceRemoved = "device_removed";

constexpr int kLoggedOut = 401;
constexpr int kTempBanned = 402;
constexpr int kLocked = 403;
constexpr int kOutdated = 405;
constexpr int kUnknownLogout = 406;
constexpr int kBadUserAgent = 409;
constexpr int kInternalError = 500;
constexpr int kServiceUnavailable = 503;
constexpr int kRestartRequired = 515;

using State = api::ConnectionState;

// A non-negative decimal integer attribute; nullopt when absent or not a plain number.
std::optional<std::int64_t> numberAttr(const binary::Node& node, std::string_view key) {
  const std::optional<std::string> text = node.attrText(key);
  if (!text || text->empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* first = text->data();
  const char* last = first + text->size();
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc{} || ptr != last || value < 0) return std::nullopt;
  return value;
}

std::optional<int> codeAttr(const binary::Node& node, std::string_view key) {
  const std::optional<std::int64_t> v = numberAttr(node, key);
  if (!v || *v > 99'999) return std::nullopt;  // wire codes are 3 digits; anything else is junk
  return static_cast<int>(*v);
}

DisconnectReason make(State state, DisconnectSource source, int code, std::string detail) {
  DisconnectReason r;
  r.state = state;
  r.source = source;
  r.code = code;
  r.detail = std::move(detail);
  return r;
}

DisconnectReason classifyFailure(const binary::Node& node, TimePoint now) {
  constexpr auto src = DisconnectSource::LoginFailure;
  const std::optional<int> reason = codeAttr(node, "reason");
  if (!reason) return make(State::Reconnecting, src, 0, "login failure without a reason");
  const int code = *reason;
  switch (code) {
    case kLoggedOut: {
      DisconnectReason r = make(State::LoggedOut, src, code, "logged out: this device was removed");
      r.credentialsRevoked = true;
      return r;
    }
    case kTempBanned: {
      DisconnectReason r = make(State::Banned, src, code, "temporarily banned");
      r.banCode = codeAttr(node, "code");
      if (const std::optional<std::int64_t> expire = numberAttr(node, "expire")) {
        const std::int64_t seconds = std::min(*expire, kMaxBanExpireSeconds);
        r.banExpiry = now + std::chrono::seconds(seconds);
      }
      return r;
    }
    case kLocked: {
      DisconnectReason r =
          make(State::Banned, src, code, "account locked (main device gone or banned)");
      r.credentialsRevoked = true;
      return r;
    }
    case kUnknownLogout: {
      DisconnectReason r = make(State::Banned, src, code, "banned");
      r.credentialsRevoked = true;
      return r;
    }
    case kOutdated: return make(State::Outdated, src, code, "client version refused");
    case kBadUserAgent:
      // The server refuses what this build says it is: retrying cannot help, an update can.
      return make(State::Outdated, src, code, "client user agent refused");
    case kInternalError: return make(State::Reconnecting, src, code, "server internal error");
    case kServiceUnavailable: return make(State::Reconnecting, src, code, "service unavailable");
    default: return make(State::Reconnecting, src, code, "login failure " + std::to_string(code));
  }
}

DisconnectReason classifyStreamError(const binary::Node& node) {
  constexpr auto src = DisconnectSource::StreamError;
  const std::optional<int> code = codeAttr(node, "code");
  const int wireCode = code.value_or(0);

  // A <conflict> child decides first: it names who ended the connection.
  if (const binary::Node* conflict = node.child(kConflictTag)) {
    const std::string type = conflict->attrText("type").value_or("");
    if (type == kConflictDeviceRemoved) {
      DisconnectReason r =
          make(State::LoggedOut, src, wireCode, "logged out: this device was removed");
      r.credentialsRevoked = true;
      return r;
    }
    // "replaced" and any other conflict: another connection holds this device. Fighting it
    // with reconnects would knock it off in turn, so a person decides.
    return make(State::Replaced, src, wireCode,
                type == kConflictReplaced ? "replaced by another connection"
                                          : "conflict (" + (type.empty() ? "no type" : type) + ")");
  }
  if (!code) return make(State::Reconnecting, src, 0, "stream error without a code");
  switch (*code) {
    case kRestartRequired: {
      DisconnectReason r = make(State::Reconnecting, src, wireCode, "restart required");
      r.restartRequired = true;
      r.retryImmediately = true;
      return r;
    }
    case kLoggedOut: {
      DisconnectReason r = make(State::LoggedOut, src, wireCode, "logged out");
      r.credentialsRevoked = true;
      return r;
    }
    case kServiceUnavailable:
      return make(State::Reconnecting, src, wireCode, "service unavailable");
    default:
      return make(State::Reconnecting, src, wireCode, "stream error " + std::to_string(wireCode));
  }
}

}  // namespace

std::optional<DisconnectReason> classifyNode(const binary::Node& node, TimePoint now) {
  if (node.tag == kFailureTag) return classifyFailure(node, now);
  if (node.tag == kStreamErrorTag) return classifyStreamError(node);
  if (node.tag == kStreamEndTag) {
    return make(State::Reconnecting, DisconnectSource::StreamEnd, 0, "server ended the stream");
  }
  return std::nullopt;
}

DisconnectReason transportClosed(std::string_view detail) {
  std::string text = "connection closed";
  if (!detail.empty()) {
    text += ": ";
    text += detail;
  }
  return make(State::Reconnecting, DisconnectSource::TransportClosed, 0, std::move(text));
}

DisconnectReason keepaliveTimeout() {
  return make(State::Reconnecting, DisconnectSource::KeepaliveTimeout, 0,
              "connection lost (keepalive timeout)");
}

}  // namespace chorus::core::session
