// `chorus-cli accounts add|list|rename|remove`: the numbers of a data folder. Only `remove`
// connects (to log the device out on the server before the folder is deleted).
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runAccountsCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
