#include "core/util/logger.h"

#include <cstdio>

namespace chorus::core {
namespace {
constexpr std::string_view kMaskDots = "••••••";
constexpr std::size_t kPhoneHead = 2;
constexpr std::size_t kPhoneTail = 3;
}  // namespace

const char* logLevelName(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Trace: return "trace";
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
    case LogLevel::Off: return "off";
  }
  return "?";
}

bool parseLogLevel(std::string_view text, LogLevel& out) noexcept {
  for (LogLevel l : {LogLevel::Trace, LogLevel::Debug, LogLevel::Info, LogLevel::Warn,
                     LogLevel::Error, LogLevel::Off}) {
    if (text == logLevelName(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void Logger::setSink(LogSink sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

void Logger::log(LogLevel level, std::string_view category, std::string_view message) const {
  if (!enabled(level)) return;
  std::lock_guard lock(mutex_);
  sink_(LogRecord{level, category, message});
}

Logger& Logger::null() {
  static Logger nothing;  // no sink: enabled() is always false
  return nothing;
}

LogSink stderrSink() {
  return [](const LogRecord& r) {
    std::fprintf(stderr, "%-5s [%.*s] %.*s\n", logLevelName(r.level),
                 static_cast<int>(r.category.size()), r.category.data(),
                 static_cast<int>(r.message.size()), r.message.data());
  };
}

std::string maskPhone(std::string_view number) {
  std::string_view digits = number;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  // Built with append: gcc 12 raises a false -Wrestrict on chained operator+ here.
  std::string out("+");
  if (digits.size() <= kPhoneHead + kPhoneTail) return out.append(kMaskDots);
  out.append(digits.substr(0, kPhoneHead));
  out.append(kMaskDots);
  out.append(digits.substr(digits.size() - kPhoneTail));
  return out;
}

std::string maskJid(std::string_view jid) {
  const auto at = jid.find('@');
  if (at == std::string_view::npos) {
    // A server-only JID ("s.whatsapp.net") is public; anything else may be a bare number.
    return jid.find('.') != std::string_view::npos ? std::string(jid) : maskPhone(jid);
  }
  const std::string_view server = jid.substr(at);
  std::string_view user = jid.substr(0, at);
  std::string_view suffix;  // ":device" or "_agent:device" kept as is
  if (const auto cut = user.find_first_of(":_."); cut != std::string_view::npos) {
    suffix = user.substr(cut);
    user = user.substr(0, cut);
  }
  // Only personal addresses are masked; group, broadcast and server ids are not personal.
  const bool personal = server == "@s.whatsapp.net" || server == "@c.us" || server == "@lid" ||
                        server == "@hosted" || server == "@hosted.lid";
  if (!personal || user.empty()) return std::string(jid);
  std::string out = maskPhone(user);
  out.append(suffix);
  out.append(server);
  return out;
}

std::string maskBytes(std::size_t size) {
  std::string out("<");
  out.append(std::to_string(size));
  out.append(" bytes>");
  return out;
}

}  // namespace chorus::core
