// gtest main for the platform tests: a QCoreApplication so Qt and QtKeychain (which needs the
// GLib event dispatcher for libsecret) have an event loop; tests spin it with waitUntil().
#include <QCoreApplication>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  QCoreApplication app(argc, argv);
  return RUN_ALL_TESTS();
}
