// `chorus-cli read ACCOUNT CHAT [--timeout S]`: the person has read CHAT — connects, waits until
// ready, marks it read (unread count to zero, read receipts to the senders of its unread
// messages), and exits once the connection is closed politely, so the receipts have left.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runReadCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
