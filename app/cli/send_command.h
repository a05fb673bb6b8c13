// `chorus-cli send ACCOUNT JID TEXT [--timeout S]`: stores a text for a 1:1 chat (queued, its id
// chosen first), connects, and waits for the server's acknowledgement (status sent); prints
// {"event":"sent","id"} then. A message not acknowledged in time stays queued and goes out on
// the next connection.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runSendCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
