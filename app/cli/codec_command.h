// `chorus-cli codec`: decode binary nodes to the canonical text form and encode them back.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runCodecCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
