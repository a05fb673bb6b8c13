#include "core/protocol/jid/jid.h"

#include <charconv>

namespace chorus::core::jid {
namespace {

constexpr std::uint16_t kMaxAdDevice = 255;  // AD_JID carries the device in one byte
constexpr std::uint8_t kMaxAgent = 255;

// Users and servers never contain spaces or control characters; refusing them keeps a
// mistyped or hostile JID from reaching logs and the wire looking like something else.
bool plainText(std::string_view s) noexcept {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7f || c == '@' || c == ':') return false;
  }
  return true;
}

bool allDigits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Decimal number up to `max`; no sign, no spaces, at most 5 digits.
bool parseNumber(std::string_view s, unsigned max, unsigned& out) noexcept {
  if (!allDigits(s) || s.size() > 5) return false;
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value > max) return false;
  out = value;
  return true;
}

}  // namespace

Jid Jid::toNonDevice() const {
  Jid out;
  out.user = user;
  out.server = server;
  return out;
}

bool sameAddress(const Jid& a, const Jid& b) noexcept {
  return a.user == b.user && a.server == b.server && a.device == b.device && a.agent == b.agent &&
         a.integrator == b.integrator;
}

Result<Jid> parse(std::string_view text) {
  if (text.empty()) return fail(Errc::Malformed, "empty JID");
  const auto at = text.find('@');
  if (at != std::string_view::npos && text.find('@', at + 1) != std::string_view::npos) {
    return fail(Errc::Malformed, "JID with two '@'");
  }
  Jid out;
  if (at == std::string_view::npos) {  // server only: "s.whatsapp.net"
    if (!plainText(text)) return fail(Errc::Malformed, "bad JID server");
    out.server = std::string(text);
    return out;
  }
  const std::string_view server = text.substr(at + 1);
  std::string_view user = text.substr(0, at);
  if (server.empty() || !plainText(server)) return fail(Errc::Malformed, "bad JID server");

  bool addressed = false;  // a device or agent suffix was written
  unsigned device = 0;
  unsigned agent = 0;
  if (const auto colon = user.find(':'); colon != std::string_view::npos) {
    if (!parseNumber(user.substr(colon + 1), 0xffff, device)) {
      return fail(Errc::Malformed, "bad JID device");
    }
    user = user.substr(0, colon);
    addressed = true;
  }
  // "user.agent": only a purely numeric tail is an agent, so dotted user names stay intact.
  if (const auto dot = user.rfind('.');
      dot != std::string_view::npos && allDigits(user.substr(dot + 1))) {
    if (!parseNumber(user.substr(dot + 1), kMaxAgent, agent))
      return fail(Errc::Malformed, "bad JID agent");
    user = user.substr(0, dot);
    addressed = true;
  }
  if (!plainText(user) || (addressed && user.empty())) return fail(Errc::Malformed, "bad JID user");

  out.user = std::string(user);
  out.server = std::string(server);
  out.device = static_cast<std::uint16_t>(device);
  out.agent = static_cast<std::uint8_t>(agent);
  if (!addressed) return out;
  if (server == kMessengerServer || server == kInteropServer) {
    if (agent != 0) return fail(Errc::Malformed, "agent on a messenger/interop JID");
    out.form = server == kMessengerServer ? JidForm::FB : JidForm::Interop;
  } else {
    if (device > kMaxAdDevice) return fail(Errc::Malformed, "JID device over 255");
    out.form = JidForm::AD;
  }
  return out;
}

std::string format(const Jid& jid) {
  const bool serverOnly =
      jid.user.empty() && jid.form == JidForm::Pair && jid.device == 0 && jid.agent == 0;
  if (serverOnly) return jid.server;
  std::string out;
  out.reserve(jid.user.size() + jid.server.size() + 12);
  out += jid.user;
  if (jid.agent != 0) {
    out += '.';
    out += std::to_string(jid.agent);
  }
  if (jid.form != JidForm::Pair || jid.device != 0) {
    out += ':';
    out += std::to_string(jid.device);
  }
  out += '@';
  out += jid.server;
  return out;
}

}  // namespace chorus::core::jid
