// Logger with categories and a pluggable sink. Core logs through a Logger& it is given; the app
// installs a sink (stderr, a file, the Qt message handler). Callers must mask what they log:
// never keys, message text, QR payloads or full phone numbers (see the mask helpers below).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace chorus::core {

enum class LogLevel { Trace, Debug, Info, Warn, Error, Off };

[[nodiscard]] const char* logLevelName(LogLevel level) noexcept;
[[nodiscard]] bool parseLogLevel(std::string_view text, LogLevel& out) noexcept;

struct LogRecord {
  LogLevel level;
  std::string_view category;  // e.g. "noise", "binary", "session"
  std::string_view message;
};

using LogSink = std::function<void(const LogRecord&)>;

class Logger {
 public:
  Logger() = default;
  explicit Logger(LogSink sink, LogLevel threshold = LogLevel::Info)
      : sink_(std::move(sink)), threshold_(threshold) {}

  void setSink(LogSink sink);
  void setThreshold(LogLevel level) noexcept { threshold_ = level; }
  [[nodiscard]] bool enabled(LogLevel level) const noexcept {
    return sink_ && level >= threshold_ && level != LogLevel::Off;
  }

  void log(LogLevel level, std::string_view category, std::string_view message) const;
  void debug(std::string_view cat, std::string_view msg) const { log(LogLevel::Debug, cat, msg); }
  void info(std::string_view cat, std::string_view msg) const { log(LogLevel::Info, cat, msg); }
  void warn(std::string_view cat, std::string_view msg) const { log(LogLevel::Warn, cat, msg); }
  void error(std::string_view cat, std::string_view msg) const { log(LogLevel::Error, cat, msg); }

  // A logger that drops everything: the default for components given none.
  [[nodiscard]] static Logger& null();

 private:
  LogSink sink_;
  LogLevel threshold_ = LogLevel::Info;
  mutable std::mutex mutex_;  // sinks are called one at a time
};

// A sink printing "LEVEL [category] message" lines to stderr.
[[nodiscard]] LogSink stderrSink();

// Masking helpers for log lines.
// "+441234567123" / "441234567123" -> "+44••••••123" (country-ish prefix and last 3 digits).
[[nodiscard]] std::string maskPhone(std::string_view number);
// "441234567123:2@s.whatsapp.net" -> "+44••••••123:2@s.whatsapp.net"; groups and servers kept.
[[nodiscard]] std::string maskJid(std::string_view jid);
// Secrets and payloads are never shown, only their size: "<32 bytes>".
[[nodiscard]] std::string maskBytes(std::size_t size);

}  // namespace chorus::core
