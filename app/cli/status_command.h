// `chorus-cli status [ACCOUNT...] [--watch]`: the connection state of each number as JSON
// lines, after connecting the accounts that auto-connect; --watch keeps printing changes.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runStatusCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
