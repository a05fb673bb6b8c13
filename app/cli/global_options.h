// The options every chorus-cli command shares (--data, --server, --passphrase-file, --verbose).
// They may stand before or after the command name, so main.cpp takes them out of the whole
// command line before it dispatches; "--" ends option parsing (what follows is passed on).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/cli/command.h"

namespace chorus::app::cli {

struct ParsedCommandLine {
  GlobalOptions global;
  std::vector<std::string_view> rest;  // the command and its own arguments, in order
  std::string error;                   // non-empty: a usage error ("--data needs a value")
};

[[nodiscard]] ParsedCommandLine parseGlobalOptions(std::span<const std::string_view> args);

// The usage text of the global options, for every command's --help.
inline constexpr std::string_view kGlobalOptionsUsage =
    "global options (before or after the command):\n"
    "  --data DIR              data folder (default: the platform's app-data folder)\n"
    "  --server FILE           a chorus-sim server.json instead of WhatsApp\n"
    "  --passphrase-file FILE  protect the account keys with the passphrase in FILE instead of\n"
    "                          the keychain (or set CHORUS_PASSPHRASE)\n"
    "  --verbose               logs on stderr\n";

}  // namespace chorus::app::cli
