// The commands that read an account's message store without connecting (docs/cli.md):
//   chorus-cli chats ACCOUNT [--limit N]                         one line per chat
//   chorus-cli messages ACCOUNT CHAT [--before ID] [--limit N]   one line per message
// They open the accounts offline (CliEngine::Mode::Offline): nothing connects, so they answer at
// once, with or without a network, and print what this computer has stored.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runChatsCommand(std::span<const std::string_view> args, CommandIo io);
[[nodiscard]] int runMessagesCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
