// The app/desktop tests: gtest under one QApplication — on the X display when there is one
// (xvfb-run), else offscreen (test discovery runs without ctest's environment) — chorus-sim's
// path from --sim PATH or the one built beside the test.
#include <QApplication>

#include <gtest/gtest.h>

#include "tests/desktop/desktop_test_support.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
  const QStringList args = QApplication::arguments();
  const qsizetype at = args.indexOf(QStringLiteral("--sim"));
  if (at >= 0 && at + 1 < args.size()) chorus::testing::setSimProgram(args[at + 1]);
  return RUN_ALL_TESTS();
}
