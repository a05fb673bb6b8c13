// ResumeWatch: the decision (wall clock ran ahead of monotonic time by more than the
// threshold) and a live watch that stays quiet while the machine is awake.
#include "app/platform/resume_watch.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <gtest/gtest.h>

namespace chorus::app {
namespace {

using std::chrono::milliseconds;

TEST(ResumeWatch, DecidesOnTheGapBetweenWallAndMonotonicTime) {
  // Awake: both clocks moved alike, even when the timer fired late on a busy machine.
  EXPECT_FALSE(looksLikeResume(milliseconds(5'000), milliseconds(5'000)));
  EXPECT_FALSE(looksLikeResume(milliseconds(9'000), milliseconds(9'000)));
  // Small NTP slews and jitter stay under the threshold.
  EXPECT_FALSE(looksLikeResume(milliseconds(5'800), milliseconds(5'000)));
  EXPECT_FALSE(looksLikeResume(milliseconds(20'000), milliseconds(5'000)));  // exactly 15 s
  // Suspended for a minute: monotonic time stood still, the wall clock did not.
  EXPECT_TRUE(looksLikeResume(milliseconds(65'000), milliseconds(5'000)));
  EXPECT_TRUE(looksLikeResume(milliseconds(20'001), milliseconds(5'000)));
  // The wall clock set back is not a resume.
  EXPECT_FALSE(looksLikeResume(milliseconds(-3'600'000), milliseconds(5'000)));
  // A custom threshold.
  EXPECT_TRUE(looksLikeResume(milliseconds(3'000), milliseconds(1'000), milliseconds(1'000)));
}

TEST(ResumeWatch, StaysQuietWhileAwake) {
  int resumes = 0;
  ResumeWatch watch([&] { ++resumes; }, nullptr, nullptr, milliseconds(10));
  QElapsedTimer elapsed;
  elapsed.start();
  while (elapsed.elapsed() < 300) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  EXPECT_EQ(resumes, 0);
}

}  // namespace
}  // namespace chorus::app
