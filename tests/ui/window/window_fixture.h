// What the window tests share: a FakeBackend, settings in a temporary file, and values for
// numbers, chats and messages.
#pragma once

#include <QTemporaryDir>
#include <chrono>
#include <string>
#include <vector>

#include "core/api/account_events.h"
#include "tests/ui/fake_backend.h"
#include "ui/settings.h"

namespace chorus::ui::test {

inline api::TimePoint wallNow() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

inline api::AccountSummary number(std::string id, std::string name, api::ConnectionState state,
                                  std::string maskedPhone = "+44••••••123") {
  api::AccountSummary a;
  a.id = std::move(id);
  a.name = std::move(name);
  a.maskedPhone = std::move(maskedPhone);
  a.status.state = state;
  a.status.since = wallNow();
  return a;
}

// `count` messages, two a day, alternating incoming and ours.
inline std::vector<api::MessageView> history(int count, long long start = 1'700'000'000) {
  std::vector<api::MessageView> out;
  for (int i = 1; i <= count; ++i) {
    auto m = textMessage(i, start + (i / 2) * 86'400 + i * 60, "message " + std::to_string(i),
                         i % 2 == 0);
    if (m.direction == api::MessageDirection::Outgoing) m.status = api::MessageStatus::Read;
    out.push_back(std::move(m));
  }
  return out;
}

struct SettingsFile {
  QTemporaryDir dir;
  Settings settings{dir.filePath(QStringLiteral("settings.ini"))};
};

}  // namespace chorus::ui::test
