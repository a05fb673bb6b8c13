#include "app/sim/sim_faults.h"

#include <utility>

namespace chorus::sim {

SimFaults::SimFaults(Writer writer, QObject* parent)
    : QObject(parent), writer_(std::move(writer)), timer_(this) {
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &SimFaults::pump);
}

void SimFaults::configure(const Settings& settings) {
  settings_ = settings;
  if (!settings_.swap && swapFirst_) {  // a swap was cancelled: its first frame goes now
    enqueue(std::move(*swapFirst_));
    swapFirst_.reset();
  }
  pump();
}

std::size_t SimFaults::waiting() const noexcept {
  return queue_.size() + (swapFirst_ ? 1 : 0);
}

void SimFaults::send(core::Bytes frame) {
  if (settings_.swap && !swapFirst_) {
    swapFirst_ = std::move(frame);
    return;
  }
  if (swapFirst_) {
    settings_.swap = false;
    enqueue(std::move(frame));
    enqueue(std::move(*swapFirst_));
    swapFirst_.reset();
  } else {
    enqueue(std::move(frame));
  }
  pump();
}

void SimFaults::enqueue(core::Bytes frame) {
  const Clock::time_point due = Clock::now() + settings_.delay;
  if (settings_.duplicate > 0) {
    --settings_.duplicate;
    queue_.emplace_back(due, frame);
  }
  queue_.emplace_back(due, std::move(frame));
}

void SimFaults::hold() {
  held_ = true;
  timer_.stop();
}

void SimFaults::release() {
  held_ = false;
  pump();
}

void SimFaults::pump() {
  while (!held_ && !queue_.empty()) {
    const auto now = Clock::now();
    if (queue_.front().first > now) {
      timer_.start(std::chrono::ceil<std::chrono::milliseconds>(queue_.front().first - now));
      return;
    }
    core::Bytes frame = std::move(queue_.front().second);
    queue_.pop_front();
    writer_(frame);
  }
}

}  // namespace chorus::sim
