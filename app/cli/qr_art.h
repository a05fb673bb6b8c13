// QR codes as terminal art for `chorus-cli link`: libqrencode makes the matrix, and each text
// row shows two module rows with the Unicode half blocks ▀ ▄ █, a quiet zone around it.
//
// Light modules (and the quiet zone) are drawn as ink, dark modules as blank: on the usual
// light-on-dark terminal that gives dark modules on a light field, which is how a QR must
// look. With `forceColours` (stdout is a terminal) every row is wrapped in ANSI "bright white
// on black" so the code reads correctly on light themes too; piped output stays plain text,
// and scanners that accept inverted codes still read it on a light background.
#pragma once

#include <string>
#include <string_view>

#include "core/util/result.h"

namespace chorus::app::cli {

inline constexpr int kQrQuietZone = 2;  // modules of light margin on each side

// Errc::InvalidArgument for empty text, Errc::TooLarge when it does not fit in a QR code.
[[nodiscard]] core::Result<std::string> renderQr(std::string_view text, bool forceColours);

}  // namespace chorus::app::cli
