// File-system helpers for account folders: private folders (0700) and files (0600), and the
// deletion of a folder that says what it could not delete. Errors are Errc::Io naming the path;
// std::filesystem's exceptions never leave these functions.
#pragma once

#include <filesystem>

#include "core/util/result.h"

namespace chorus::core::account {

// Creates `folder` (not its parents), readable by the owner only. Errc::InvalidArgument when
// it exists already, Errc::Io when it cannot be made.
[[nodiscard]] Status makePrivateFolder(const std::filesystem::path& folder);
// Creates `folder` and its parents when missing (the last one owner-only) and checks that it
// can be listed.
[[nodiscard]] Status ensurePrivateFolder(const std::filesystem::path& folder);
// Creates an empty `file` readable and writable by the owner only, or restricts an existing
// one.
[[nodiscard]] Status makePrivateFile(const std::filesystem::path& file);
// Restricts `file` to its owner when it exists (the SQLite -wal and -shm companions).
void restrictIfPresent(const std::filesystem::path& file) noexcept;
// Deletes `folder` with everything in it. Errc::Io naming what is left when that fails; not an
// error when it does not exist.
[[nodiscard]] Status removeFolder(const std::filesystem::path& folder);

}  // namespace chorus::core::account
