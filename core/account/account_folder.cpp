#include "core/account/account_folder.h"

#include <fstream>
#include <string>
#include <system_error>
#include <vector>

namespace chorus::core::account {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxLeftoversNamed = 5;

Status ioError(std::string_view what, const fs::path& path, const std::error_code& ec) {
  return fail(Errc::Io, std::string(what) + " " + path.string() + ": " + ec.message());
}

Status restrict(const fs::path& path, fs::perms perms) {
  std::error_code ec;
  fs::permissions(path, perms, fs::perm_options::replace, ec);
  if (ec) return ioError("cannot restrict the permissions of", path, ec);
  return ok();
}

}  // namespace

Status makePrivateFolder(const fs::path& folder) {
  std::error_code ec;
  if (fs::exists(folder, ec)) {
    return fail(Errc::InvalidArgument, "the folder " + folder.string() + " exists already");
  }
  if (!fs::create_directory(folder, ec) || ec) {
    if (!ec) ec = std::make_error_code(std::errc::file_exists);
    return ioError("cannot create the folder", folder, ec);
  }
  return restrict(folder, fs::perms::owner_all);
}

Status ensurePrivateFolder(const fs::path& folder) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) {
    fs::create_directories(folder, ec);
    if (ec) return ioError("cannot create the folder", folder, ec);
    CHORUS_CHECK(restrict(folder, fs::perms::owner_all));
  } else if (!fs::is_directory(folder, ec)) {
    return fail(Errc::Io, "not a folder: " + folder.string());
  }
  fs::directory_iterator probe(folder, ec);
  if (ec) return ioError("cannot read the folder", folder, ec);
  return ok();
}

Status makePrivateFile(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    std::ofstream create(file, std::ios::binary | std::ios::app);
    if (!create) {
      return fail(Errc::Io, "cannot create the file " + file.string());
    }
  }
  return restrict(file, fs::perms::owner_read | fs::perms::owner_write);
}

void restrictIfPresent(const fs::path& file) noexcept {
  std::error_code ec;
  if (fs::exists(file, ec)) {
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
  }
}

Status removeFolder(const fs::path& folder) {
  std::error_code ec;
  fs::remove_all(folder, ec);
  std::error_code exists;
  if (!ec && !fs::exists(folder, exists)) return ok();

  // Name what is left: the folder itself and a few of the entries still in it.
  std::vector<std::string> left;
  std::error_code walk;
  for (fs::recursive_directory_iterator it(folder, walk), end; !walk && it != end;
       it.increment(walk)) {
    if (left.size() == kMaxLeftoversNamed) {
      left.emplace_back("…");
      break;
    }
    left.push_back(fs::relative(it->path(), folder, exists).string());
  }
  std::string detail = "could not delete " + folder.string();
  if (ec) detail += " (" + ec.message() + ")";
  detail += left.empty() ? "; the empty folder is left" : "; left in it:";
  for (std::size_t i = 0; i < left.size(); ++i) detail += (i == 0 ? " " : ", ") + left[i];
  return fail(Errc::Io, detail);
}

}  // namespace chorus::core::account
