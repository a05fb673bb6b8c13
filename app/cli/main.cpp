// chorus-cli: command-line tools around the Chorus core. Subcommands are a table; each lives in
// its own file (codec_command.cpp, accounts_command.cpp, ...). The global options
// (global_options.h) may stand anywhere on the command line.
#include <array>
#include <iostream>
#include <string_view>
#include <vector>

#include "app/cli/accounts_command.h"
#include "app/cli/codec_command.h"
#include "app/cli/command.h"
#include "app/cli/connection_commands.h"
#include "app/cli/global_options.h"
#include "app/cli/group_command.h"
#include "app/cli/link_command.h"
#include "app/cli/listen_command.h"
#include "app/cli/read_command.h"
#include "app/cli/send_command.h"
#include "app/cli/status_command.h"
#include "app/cli/store_commands.h"

namespace chorus::app::cli {
namespace {

constexpr std::array kCommands = {
    Command{"accounts", "add, list, rename and remove the numbers of the data folder",
            runAccountsCommand},
    Command{"link", "link a number by QR code or pairing code and wait until it is ready",
            runLinkCommand},
    Command{"status", "connect and print each number's connection state (--watch: follow it)",
            runStatusCommand},
    Command{"listen",
            "connect a number and print messages, receipts and state changes until Ctrl-C",
            runListenCommand},
    Command{"send", "send texts to a chat or group and wait until sent (or delivered, read)",
            runSendCommand},
    Command{"chats", "print the stored chats with unread counts (does not connect)",
            runChatsCommand},
    Command{"messages", "print a page of a chat's stored messages (does not connect)",
            runMessagesCommand},
    Command{"read", "mark a chat read: send read receipts for its unread messages",
            runReadCommand},
    Command{"group", "create a group, show it, add or remove participants", runGroupCommand},
    Command{"connect", "turn auto-connect on for a number and connect it", runConnectCommand},
    Command{"disconnect", "turn auto-connect off for a number", runDisconnectCommand},
    Command{"logout", "remove this device from a number and forget its keys", runLogoutCommand},
    Command{"codec", "decode and encode WhatsApp binary nodes (hex <-> text form)",
            runCodecCommand},
};

void printUsage(std::ostream& os) {
  os << "usage: chorus-cli [GLOBAL OPTIONS] COMMAND [ARGS...]\n"
        "       chorus-cli COMMAND --help\n\ncommands:\n";
  for (const Command& c : kCommands) os << "  " << c.name << "\t" << c.summary << "\n";
  os << "\n" << kGlobalOptionsUsage;
}

int run(std::span<const std::string_view> all) {
  const ParsedCommandLine line = parseGlobalOptions(all);
  if (!line.error.empty()) {
    std::cerr << "chorus-cli: " << line.error << "\n";
    printUsage(std::cerr);
    return kExitUsage;
  }
  CommandIo io{std::cin, std::cout, std::cerr, line.global};
  const std::span<const std::string_view> args(line.rest);
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
