// The shape of a chorus-cli subcommand: main.cpp dispatches on the first argument through a
// table of these, so a new command (accounts, link, status, ...) is one entry and one file.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

namespace chorus::app::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;  // the input could not be used; one line on stderr says why
inline constexpr int kExitUsage = 2;     // wrong arguments; usage on stderr

// Options every command understands, before or after the command name (global_options.h).
struct GlobalOptions {
  std::string dataDir;         // --data DIR; empty: the platform's folder
  std::string serverFile;      // --server FILE (chorus-sim's server.json); empty: WhatsApp
  std::string passphraseFile;  // --passphrase-file FILE; empty: CHORUS_PASSPHRASE or keychain
  bool verbose = false;        // --verbose: logs on stderr
};

struct CommandIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  const GlobalOptions& global;
};

// args: everything after the command name, global options removed.
using CommandFn = int (*)(std::span<const std::string_view> args, CommandIo io);

struct Command {
  std::string_view name;
  std::string_view summary;
  CommandFn run;
};

}  // namespace chorus::app::cli
