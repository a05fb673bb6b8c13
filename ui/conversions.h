// The conversions between core/api values and Qt that the interface makes everywhere: core's
// UTF-8 std::string to QString, and the wall clock as core/api's TimePoint (status "since"
// times and countdowns are compared with it).
#pragma once

#include <QString>
#include <chrono>
#include <string>

#include "core/api/account_events.h"

namespace chorus::ui {

[[nodiscard]] inline QString qs(const std::string& s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

[[nodiscard]] inline api::TimePoint systemNow() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace chorus::ui
