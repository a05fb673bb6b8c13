// `chorus-cli send ACCOUNT JID TEXT|--stdin [--timeout S] [--wait sent|delivered|read]`: stores
// one text (or one per line of standard input) for a 1:1 or group chat as queued, its id chosen
// first, and prints {"event":"queued","chat","id"} for each at once; connects and waits until
// every message reached the wanted status (default sent: the server's acknowledgement), printing
// {"event":"sent"|"delivered"|"read","chat","id"} per message. Messages not sent in time stay
// queued and go out on the next connection.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runSendCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
