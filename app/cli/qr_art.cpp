#include "app/cli/qr_art.h"

#include <memory>

#include <qrencode.h>

namespace chorus::app::cli {
namespace {

constexpr std::string_view kUpper = "\u2580";  // ▀
constexpr std::string_view kLower = "\u2584";  // ▄
constexpr std::string_view kFull = "\u2588";   // █
constexpr std::string_view kColoursOn = "\x1b[40;97m";
constexpr std::string_view kColoursOff = "\x1b[0m";

struct QrFree {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

}  // namespace

core::Result<std::string> renderQr(std::string_view text, bool forceColours) {
  if (text.empty()) return core::fail(core::Errc::InvalidArgument, "empty QR text");
  const std::string copy(text);  // libqrencode wants a NUL-terminated string
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeString8bit(copy.c_str(), 0, QR_ECLEVEL_L));
  if (!code) return core::fail(core::Errc::TooLarge, "the text does not fit in a QR code");

  const int width = code->width;
  const int size = width + 2 * kQrQuietZone;
  // Light: the quiet zone and every module whose lowest bit (dark) is clear.
  const auto light = [&](int row, int col) {
    const int r = row - kQrQuietZone;
    const int c = col - kQrQuietZone;
    if (r < 0 || c < 0 || r >= width || c >= width) return true;
    return (code->data[r * width + c] & 1) == 0;
  };

  std::string art;
  for (int row = 0; row < size; row += 2) {
    if (forceColours) art += kColoursOn;
    for (int col = 0; col < size; ++col) {
      const bool top = light(row, col);
      const bool bottom = row + 1 < size ? light(row + 1, col) : false;
      if (top && bottom) {
        art += kFull;
      } else if (top) {
        art += kUpper;
      } else if (bottom) {
        art += kLower;
      } else {
        art += ' ';
      }
    }
    if (forceColours) art += kColoursOff;
    art += '\n';
  }
  return art;
}

}  // namespace chorus::app::cli
