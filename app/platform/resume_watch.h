// ResumeWatch: notices that the computer slept and woke up (architecture §3: "immediate retries
// on network-up or resume"), the same way on every platform and without a system service:
// a coarse timer compares how far the wall clock moved with how far the monotonic clock moved.
// Monotonic time (QElapsedTimer: CLOCK_MONOTONIC on Linux, mach_absolute_time on macOS) stops
// while the machine is suspended and the wall clock does not, so after a resume the wall clock
// has moved by far more. A wall clock set forward by hand looks the same; a reconnect attempt
// is harmless then. Sockets usually die in a suspend, and waiting for the backoff or the
// keepalive would leave numbers down for up to a minute after the lid opens.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

#include "core/util/logger.h"

namespace chorus::app {

// How often the watch looks, and how much more the wall clock must have moved to count as a
// resume (well above timer lateness on a busy machine).
inline constexpr std::chrono::milliseconds kResumeCheckInterval{5'000};
inline constexpr std::chrono::milliseconds kResumeThreshold{15'000};

// The decision, pure: over one check, the wall clock moved `wall`, the monotonic clock
// `monotonic`.
[[nodiscard]] bool looksLikeResume(std::chrono::milliseconds wall,
                                   std::chrono::milliseconds monotonic,
                                   std::chrono::milliseconds threshold = kResumeThreshold) noexcept;

class ResumeWatch final : public QObject {
  Q_OBJECT

 public:
  // `logger` may be nullptr; it must outlive the watch otherwise.
  ResumeWatch(std::function<void()> onResume, core::Logger* logger, QObject* parent,
              std::chrono::milliseconds interval = kResumeCheckInterval);

 private:
  void check();

  std::function<void()> onResume_;
  core::Logger* logger_;
  QTimer timer_;
  QElapsedTimer monotonic_;
  std::chrono::milliseconds lastWall_{};
  std::chrono::milliseconds lastMonotonic_{};
};

}  // namespace chorus::app
