#include "core/store/column_cipher.h"

#include <gtest/gtest.h>

#include "core/store/data_key.h"
#include "core/store/secret_store.h"
#include "core/util/random.h"
#include "tests/unit/store/store_test_util.h"

namespace chorus::core::store {
namespace {

using test::errorOf;

DataKey keyFrom(std::uint64_t seed) {
  SeededRandom random(seed);
  return DataKey::generate(random);
}

TEST(ColumnCipher, RoundTripWithVersionByte) {
  SeededRandom random(1);
  ColumnCipher cipher(keyFrom(7), random);
  const RowId row{"messages", "body", "abc"};
  auto sealed = cipher.seal(row, asBytes("hello"));
  ASSERT_OK(sealed);
  EXPECT_EQ(sealed->size(), 5 + kColumnCipherOverhead);
  EXPECT_EQ((*sealed)[0], kColumnCipherVersion);
  auto opened = cipher.open(row, *sealed);
  ASSERT_OK(opened);
  EXPECT_EQ(asString(opened->view()), "hello");

  auto empty = cipher.seal(row, BytesView{});
  ASSERT_OK(empty);
  auto openedEmpty = cipher.open(row, *empty);
  ASSERT_OK(openedEmpty);
  EXPECT_TRUE(openedEmpty->empty());
}

TEST(ColumnCipher, FreshNonceEachTime) {
  SeededRandom random(1);
  ColumnCipher cipher(keyFrom(7), random);
  const RowId row{"t", "c", "1"};
  auto a = cipher.seal(row, asBytes("same"));
  auto b = cipher.seal(row, asBytes("same"));
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_NE(*a, *b);
}

TEST(ColumnCipher, WrongKeyIsCrypto) {
  SeededRandom random(1);
  ColumnCipher mine(keyFrom(7), random);
  ColumnCipher other(keyFrom(8), random);
  const RowId row{"t", "c", "1"};
  auto sealed = mine.seal(row, asBytes("secret"));
  ASSERT_OK(sealed);
  EXPECT_EQ(errorOf(other.open(row, *sealed)), Errc::Crypto);
}

TEST(ColumnCipher, ValueBoundToTableColumnAndRow) {
  SeededRandom random(1);
  ColumnCipher cipher(keyFrom(7), random);
  auto sealed = cipher.seal({"t", "c", "1"}, asBytes("secret"));
  ASSERT_OK(sealed);
  EXPECT_EQ(errorOf(cipher.open({"t", "c", "2"}, *sealed)), Errc::Crypto);
  EXPECT_EQ(errorOf(cipher.open({"t", "d", "1"}, *sealed)), Errc::Crypto);
  EXPECT_EQ(errorOf(cipher.open({"u", "c", "1"}, *sealed)), Errc::Crypto);
  // Length prefixes keep the parts apart: ("t","c1","") is not ("t","c","1").
  EXPECT_EQ(errorOf(cipher.open({"t", "c1", ""}, *sealed)), Errc::Crypto);
  ASSERT_OK(cipher.open({"t", "c", "1"}, *sealed));
}

TEST(ColumnCipher, MalformedAndUnknownVersion) {
  SeededRandom random(1);
  ColumnCipher cipher(keyFrom(7), random);
  const RowId row{"t", "c", "1"};
  EXPECT_EQ(errorOf(cipher.open(row, Bytes(kColumnCipherOverhead - 1, 1))), Errc::Malformed);
  auto sealed = cipher.seal(row, asBytes("x"));
  ASSERT_OK(sealed);
  Bytes future = *sealed;
  future[0] = 2;
  EXPECT_EQ(errorOf(cipher.open(row, future)), Errc::Unsupported);
  Bytes flipped = *sealed;
  flipped.back() ^= 1;
  EXPECT_EQ(errorOf(cipher.open(row, flipped)), Errc::Crypto);
  EXPECT_EQ(errorOf(cipher.seal({"", "c", "1"}, asBytes("x"))), Errc::InvalidArgument);
}

TEST(DataKey, SizeIsChecked) {
  EXPECT_EQ(errorOf(DataKey::fromBytes(SecretBytes(31))), Errc::Crypto);
  ASSERT_OK(DataKey::fromBytes(SecretBytes(32)));
  EXPECT_EQ(dataKeySecretName("u-1"), "chorus/account/u-1/data-key");
}

TEST(DataKey, CreateThenReadThroughTheSecretStore) {
  MemorySecretStore secrets;
  SeededRandom random(3);
  int calls = 0;
  readDataKey(secrets, "acc", [&](Result<DataKey> key) {
    ++calls;
    EXPECT_EQ(errorOf(key), Errc::NotFound);
  });
  Bytes created;
  createDataKey(secrets, "acc", random, [&](Result<DataKey> key) {
    ++calls;
    ASSERT_OK(key);
    created = toBytes(key->view());
  });
  EXPECT_TRUE(secrets.contains(dataKeySecretName("acc")));
  readDataKey(secrets, "acc", [&](Result<DataKey> key) {
    ++calls;
    ASSERT_OK(key);
    EXPECT_EQ(toBytes(key->view()), created);
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(created.size(), kDataKeySize);

  secrets.remove(dataKeySecretName("acc"), [&](Status s) { EXPECT_TRUE(s.has_value()); });
  secrets.remove(dataKeySecretName("acc"),
                 [&](Status s) { EXPECT_EQ(errorOf(s), Errc::NotFound); });
}

// A keychain that refuses: the error reaches the caller and no key is handed out.
class RefusingSecretStore final : public SecretStore {
 public:
  void read(const std::string&, ReadDone done) override {
    done(fail(Errc::Cancelled, "prompt dismissed"));
  }
  void write(const std::string&, SecretBytes, Done done) override {
    done(fail(Errc::Io, "locked"));
  }
  void remove(const std::string&, Done done) override { done(fail(Errc::Io, "locked")); }
};

TEST(DataKey, KeychainErrorsPassThrough) {
  RefusingSecretStore secrets;
  SeededRandom random(3);
  bool called = false;
  createDataKey(secrets, "acc", random, [&](Result<DataKey> key) {
    called = true;
    EXPECT_EQ(errorOf(key), Errc::Io);
  });
  readDataKey(secrets, "acc",
              [&](Result<DataKey> key) { EXPECT_EQ(errorOf(key), Errc::Cancelled); });
  EXPECT_TRUE(called);
}

}  // namespace
}  // namespace chorus::core::store
