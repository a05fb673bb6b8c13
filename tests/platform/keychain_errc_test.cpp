#include <gtest/gtest.h>
#include <qt6keychain/keychain.h>

#include "app/platform/keychain_secret_store.h"

namespace chorus::app {
namespace {

using core::Errc;

TEST(KeychainErrc, MapsEveryQtKeychainError) {
  EXPECT_EQ(keychainErrc(QKeychain::EntryNotFound), Errc::NotFound);
  EXPECT_EQ(keychainErrc(QKeychain::AccessDenied), Errc::Cancelled);
  EXPECT_EQ(keychainErrc(QKeychain::AccessDeniedByUser), Errc::Cancelled);
  EXPECT_EQ(keychainErrc(QKeychain::NoBackendAvailable), Errc::Unsupported);
  EXPECT_EQ(keychainErrc(QKeychain::NotImplemented), Errc::Unsupported);
  EXPECT_EQ(keychainErrc(QKeychain::CouldNotDeleteEntry), Errc::Io);
  EXPECT_EQ(keychainErrc(QKeychain::OtherError), Errc::Io);
  EXPECT_EQ(keychainErrc(12345), Errc::Io);
}

}  // namespace
}  // namespace chorus::app
