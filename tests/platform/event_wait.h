// Spins the Qt event loop until a condition holds or a timeout passes.
#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>
#include <functional>

namespace chorus::app::test {

// True when `condition` became true before `timeoutMs`.
inline bool waitUntil(const std::function<bool()>& condition, int timeoutMs = 20000) {
  QDeadlineTimer deadline(timeoutMs);
  QTimer tick;  // wakes WaitForMoreEvents so the deadline is checked
  tick.start(20);
  while (!condition()) {
    if (deadline.hasExpired()) return false;
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
  }
  return true;
}

}  // namespace chorus::app::test
