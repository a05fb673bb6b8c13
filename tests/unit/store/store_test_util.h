// Helpers for the store tests: a temporary folder per test and error-code extraction.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::store::test {

// A fresh folder under the system temp dir, removed with everything in it afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "chorus-store-test-XXXXXX").string();
    const char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline Bytes readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeFile(const std::filesystem::path& file, BytesView data) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

inline bool contains(BytesView haystack, BytesView needle) {
  if (needle.empty() || haystack.size() < needle.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (std::equal(needle.begin(), needle.end(),
                   haystack.begin() + static_cast<std::ptrdiff_t>(i))) {
      return true;
    }
  }
  return false;
}

template <class T>
Errc errorOf(const Result<T>& result) {
  EXPECT_FALSE(result.has_value());
  return result.has_value() ? Errc::Internal : result.error().code;
}

}  // namespace chorus::core::store::test

// ASSERT that a Result holds a value, printing its error otherwise.
#define ASSERT_OK(expr)                                                                            \
  do {                                                                                             \
    const auto& chorus_assert_r = (expr);                                                          \
    ASSERT_TRUE(chorus_assert_r.has_value()) << ::chorus::core::describe(chorus_assert_r.error()); \
  } while (0)
