// The shape of a chorus-cli subcommand: main.cpp dispatches on the first argument through a
// table of these, so a new command (accounts, link, status, ...) is one entry and one file.
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

namespace chorus::app::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;  // the input could not be used; one line on stderr says why
inline constexpr int kExitUsage = 2;     // wrong arguments; usage on stderr

struct CommandIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// args: everything after the command name.
using CommandFn = int (*)(std::span<const std::string_view> args, CommandIo io);

struct Command {
  std::string_view name;
  std::string_view summary;
  CommandFn run;
};

}  // namespace chorus::app::cli
