// `chorus-cli connect|disconnect|logout ACCOUNT`: a person's "reconnect", "stop" and "log out"
// of one number. connect/disconnect persist the account's auto-connect choice.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runConnectCommand(std::span<const std::string_view> args, CommandIo io);
[[nodiscard]] int runDisconnectCommand(std::span<const std::string_view> args, CommandIo io);
[[nodiscard]] int runLogoutCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
