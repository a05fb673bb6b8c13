// The QR code: a real-length WhatsApp linking string becomes a symbol a camera can read (the
// version and size libqrencode chose, every module painted where the matrix says, with a quiet
// zone), hostile input gives a null matrix rather than a crash; and the phone number rules.
#include <QImage>

#include <gtest/gtest.h>

#include "tests/ui/dialogs/dialogs_test_support.h"
#include "ui/dialogs/phone_number.h"
#include "ui/dialogs/qr_code_widget.h"

namespace chorus::ui {
namespace {

// Reads the symbol back from a rendering: the colour at the centre of every module.
QrMatrix readBack(const QImage& image, int width, int moduleSize) {
  QrMatrix m;
  m.width = width;
  m.dark.resize(static_cast<std::size_t>(width * width));
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      const QColor c = image.pixelColor((x + kQrQuietZone) * moduleSize + moduleSize / 2,
                                        (y + kQrQuietZone) * moduleSize + moduleSize / 2);
      m.dark[static_cast<std::size_t>(y * width + x)] = c.lightness() < 128;
    }
  }
  return m;
}

TEST(QrCode, ARealLinkingStringMakesAScannableSymbol) {
  const QByteArray code = test::realLengthQr(1).toUtf8();
  ASSERT_GE(code.size(), 200);
  const QrMatrix m = encodeQr(code);
  // ~240 bytes at level L: version 10 (57 modules) — dense but well inside what phones read.
  EXPECT_GE(m.version, 8);
  EXPECT_LE(m.version, 12);
  EXPECT_EQ(m.width, 17 + 4 * m.version);
  ASSERT_EQ(m.dark.size(), static_cast<std::size_t>(m.width * m.width));
  // The finder pattern's corner modules are dark (top left, top right, bottom left).
  EXPECT_TRUE(m.isDark(0, 0));
  EXPECT_TRUE(m.isDark(m.width - 1, 0));
  EXPECT_TRUE(m.isDark(0, m.width - 1));

  constexpr int kModule = 4;
  const QImage image = renderQr(m, kModule);
  EXPECT_EQ(image.width(), (m.width + 2 * kQrQuietZone) * kModule);
  const double dark = test::darkShare(image);
  EXPECT_GT(dark, 0.25);  // not blank
  EXPECT_LT(dark, 0.60);  // not a black square
  // The quiet zone is white all round.
  for (int i = 0; i < image.width(); ++i) {
    ASSERT_EQ(image.pixelColor(i, 1), QColor(Qt::white));
    ASSERT_EQ(image.pixelColor(1, i), QColor(Qt::white));
  }
  EXPECT_EQ(readBack(image, m.width, kModule).dark, m.dark);
}

TEST(QrCode, TheWidgetPaintsWholePixelModules) {
  QrCodeWidget widget;
  widget.setCode(test::realLengthQr(1));
  const int width = widget.matrix().width;
  const int across = width + 2 * kQrQuietZone;
  EXPECT_GE(widget.minimumSizeHint().width(), across * 3);
  constexpr int kModule = 5;
  widget.resize(across * kModule, across * kModule);
  const QImage shot = widget.grab().toImage();
  EXPECT_GT(test::darkShare(shot), 0.25);
  EXPECT_EQ(readBack(shot, width, kModule).dark, widget.matrix().dark);
}

TEST(QrCode, UnencodableInputGivesNoSymbol) {
  EXPECT_TRUE(encodeQr({}).isNull());
  // Beyond version 40's 2953 bytes.
  EXPECT_TRUE(encodeQr(QByteArray(4000, 'x')).isNull());
  // NUL bytes are data, not an end.
  EXPECT_FALSE(encodeQr(QByteArray("2@ab\0cd", 7)).isNull());
  QrCodeWidget widget;
  widget.setCode(QString(4000, u'x'));
  widget.resize(300, 300);
  EXPECT_TRUE(widget.matrix().isNull());
  EXPECT_FALSE(widget.grab().isNull());  // paints a sentence instead
}

TEST(PhoneNumber, AcceptsNumbersWithCountryCodeAsPeopleWriteThem) {
  EXPECT_EQ(checkPhoneNumber(QStringLiteral("+44 7700 900123")).digits, "447700900123");
  EXPECT_EQ(checkPhoneNumber(QStringLiteral("(+1) 555-123-4567")).digits, "15551234567");
  EXPECT_EQ(checkPhoneNumber(QStringLiteral(" 4915112345678 ")).digits, "4915112345678");
  EXPECT_EQ(checkPhoneNumber(QStringLiteral("+1234567")).digits, "1234567");  // 7
  EXPECT_EQ(checkPhoneNumber(QStringLiteral("123456789012345")).digits,
            "123456789012345");  // 15
  EXPECT_TRUE(checkPhoneNumber(QStringLiteral("+44 7700 900123")).isValid());
}

TEST(PhoneNumber, RefusesOthersWithAReason) {
  for (const char* bad :
       {"", "   ", "123456", "1234567890123456", "+44 7700 9001x3", "44+7700900123", "07700 900123",
        "0044 7700 900123", "++447700900123", "+44.7700.900123"}) {
    const PhoneNumberCheck check = checkPhoneNumber(QString::fromUtf8(bad));
    EXPECT_FALSE(check.isValid()) << bad;
    EXPECT_TRUE(check.digits.isEmpty()) << bad;
    EXPECT_FALSE(check.error.isEmpty()) << bad;
  }
  EXPECT_TRUE(checkPhoneNumber(QStringLiteral("123456")).error.contains(u"too short"));
  EXPECT_TRUE(checkPhoneNumber(QStringLiteral("07700 900123")).error.contains(u"country code"));
}

}  // namespace
}  // namespace chorus::ui
