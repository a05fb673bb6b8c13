// Time as core sees it. Core never reads a clock: `now` is passed in with every input, and the
// components that need "the current time" take a Clock& (SystemClock in apps, FakeClock in tests).
#pragma once

#include <chrono>
#include <cstdint>

namespace chorus::core {

using Millis = std::chrono::milliseconds;
// Wall-clock instant with millisecond resolution (Unix epoch).
using TimePoint = std::chrono::sys_time<Millis>;

[[nodiscard]] inline std::int64_t toUnixSeconds(TimePoint t) noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
[[nodiscard]] inline TimePoint fromUnixSeconds(std::int64_t s) noexcept {
  return TimePoint(std::chrono::duration_cast<Millis>(std::chrono::seconds(s)));
}

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override {
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = fromUnixSeconds(1'700'000'000)) : now_(start) {}
  [[nodiscard]] TimePoint now() const override { return now_; }
  void advance(Millis by) noexcept { now_ += by; }
  void set(TimePoint t) noexcept { now_ = t; }

 private:
  TimePoint now_;
};

}  // namespace chorus::core
