#include "app/platform/resume_watch.h"

#include <QDateTime>
#include <string>

namespace chorus::app {
namespace {

constexpr std::string_view kCategory = "engine";

std::chrono::milliseconds wallNow() {
  return std::chrono::milliseconds(QDateTime::currentMSecsSinceEpoch());
}

}  // namespace

bool looksLikeResume(std::chrono::milliseconds wall, std::chrono::milliseconds monotonic,
                     std::chrono::milliseconds threshold) noexcept {
  return wall - monotonic > threshold;
}

ResumeWatch::ResumeWatch(std::function<void()> onResume, core::Logger* logger, QObject* parent,
                         std::chrono::milliseconds interval)
    : QObject(parent), onResume_(std::move(onResume)), logger_(logger) {
  monotonic_.start();
  lastWall_ = wallNow();
  lastMonotonic_ = std::chrono::milliseconds(monotonic_.elapsed());
  timer_.setTimerType(Qt::CoarseTimer);
  connect(&timer_, &QTimer::timeout, this, &ResumeWatch::check);
  timer_.start(interval);
}

void ResumeWatch::check() {
  const std::chrono::milliseconds wall = wallNow();
  const std::chrono::milliseconds mono(monotonic_.elapsed());
  const bool resumed = looksLikeResume(wall - lastWall_, mono - lastMonotonic_);
  if (resumed && logger_ != nullptr) {
    logger_->info(kCategory, "the computer resumed after about " +
                                 std::to_string((wall - lastWall_ - (mono - lastMonotonic_)).count() / 1000) +
                                 " s: reconnecting at once");
  }
  lastWall_ = wall;
  lastMonotonic_ = mono;
  if (resumed) onResume_();
}

}  // namespace chorus::app
