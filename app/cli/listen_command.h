// `chorus-cli listen ACCOUNT`: connects the number and prints JSON lines for what arrives —
// incoming messages (stored first, then acknowledged), message updates and state changes —
// until Ctrl-C / SIGTERM.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runListenCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
