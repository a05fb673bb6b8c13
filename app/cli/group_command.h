// `chorus-cli group create|info|add|remove ...`: groups on the server (w:g2). Each connects the
// number, waits until it is ready, asks, and prints the group as one JSON line
// {"group","subject","creator","created","participants":[{"jid","admin","super_admin"}]}.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runGroupCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
