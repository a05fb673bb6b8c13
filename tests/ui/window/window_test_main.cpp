// gtest main for the window tests: a QApplication on the offscreen platform unless the
// environment names another (test discovery runs without ctest's environment).
#include <QApplication>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setStyle(QStringLiteral("Fusion"));  // the same look on every machine
  return RUN_ALL_TESTS();
}
