#include "app/platform/account_event_text.h"

#include <chrono>
#include <cstdio>
#include <type_traits>

namespace chorus::app {
namespace {

constexpr std::size_t kShortId = 8;

std::string shortId(const api::AccountId& id) {
  return id.size() > kShortId ? id.substr(0, kShortId) : id;
}

std::string timeText(api::TimePoint t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::hh_mm_ss hms(secs - day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02dZ", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

std::string describeAccountEvent(const api::AccountEvent& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, api::AccountStatusEvent>) {
          const api::ConnectionStatus& s = e.change.status;
          std::string line = shortId(e.id) + ": " + std::string(api::stateName(s.state));
          if (!s.reason.empty()) line += " (" + s.reason + ")";
          if (s.reasonCode != 0) line += " code " + std::to_string(s.reasonCode);
          if (s.attempt != 0) line += ", attempt " + std::to_string(s.attempt);
          if (s.nextRetryAt) line += ", next try " + timeText(*s.nextRetryAt);
          if (s.bannedUntil) line += ", banned until " + timeText(*s.bannedUntil);
          return line;
        } else if constexpr (std::is_same_v<T, api::QrCodeShown>) {
          return shortId(e.id) + ": QR code shown (hidden), valid until " + timeText(e.expiresAt);
        } else if constexpr (std::is_same_v<T, api::LinkCodeShown>) {
          return shortId(e.id) + ": pairing code shown (hidden)";
        } else if constexpr (std::is_same_v<T, api::AccountLinked>) {
          return shortId(e.id) + ": linked to " + e.maskedPhone;
        } else if constexpr (std::is_same_v<T, api::AccountLoggedOut>) {
          return shortId(e.id) + ": logged out" + (e.userInitiated ? " by the user" : " (removed by the phone or refused by the server)") +
                 (e.serverConfirmed ? " (server confirmed)" : "");
        } else if constexpr (std::is_same_v<T, api::AccountProblem>) {
          return shortId(e.id) + ": problem " + e.error + ": " + e.message;
        } else if constexpr (std::is_same_v<T, api::MessageAdded>) {
          // Never the text or the chat's number: these lines go to logs.
          const bool placeholder = e.message.kind == api::MessageKind::Placeholder;
          return shortId(e.id) + ": message stored (" + (placeholder ? "placeholder" : "content") +
                 ")";
        } else if constexpr (std::is_same_v<T, api::MessageUpdated>) {
          return shortId(e.id) + ": message updated";
        } else if constexpr (std::is_same_v<T, api::ChatUpdated>) {
          return shortId(e.id) + ": chat updated, " + std::to_string(e.totalUnread) + " unread";
        } else {
          static_assert(std::is_same_v<T, api::AccountsChanged>);
          return "accounts changed";
        }
      },
      event);
}

}  // namespace chorus::app
