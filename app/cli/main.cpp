// chorus-cli: command-line tools around the Chorus core. Subcommands are a table; each lives in
// its own file (codec_command.cpp, ...).
#include <array>
#include <iostream>
#include <string_view>
#include <vector>

#include "app/cli/codec_command.h"
#include "app/cli/command.h"

namespace chorus::app::cli {
namespace {

constexpr std::array kCommands = {
    Command{"codec", "decode and encode WhatsApp binary nodes (hex <-> text form)",
            runCodecCommand},
};

void printUsage(std::ostream& os) {
  os << "usage: chorus-cli COMMAND [ARGS...]\n"
        "       chorus-cli COMMAND --help\n\ncommands:\n";
  for (const Command& c : kCommands) os << "  " << c.name << "\t" << c.summary << "\n";
}

int run(std::span<const std::string_view> args) {
  CommandIo io{std::cin, std::cout, std::cerr};
  if (args.empty()) {
    printUsage(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printUsage(std::cout);
    return kExitOk;
  }
  for (const Command& c : kCommands) {
    if (c.name == args[0]) return c.run(args.subspan(1), io);
  }
  std::cerr << "chorus-cli: unknown command '" << args[0] << "'\n";
  printUsage(std::cerr);
  return kExitUsage;
}

}  // namespace
}  // namespace chorus::app::cli

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  return chorus::app::cli::run(args);
}
