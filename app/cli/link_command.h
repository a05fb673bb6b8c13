// `chorus-cli link ACCOUNT [--phone NUMBER] [--json]`: links a number by QR code (shown as
// terminal art, refreshed on rotation) or by the 8-character pairing code, and waits until
// the account is linked and ready.
#pragma once

#include "app/cli/command.h"

namespace chorus::app::cli {

[[nodiscard]] int runLinkCommand(std::span<const std::string_view> args, CommandIo io);

}  // namespace chorus::app::cli
