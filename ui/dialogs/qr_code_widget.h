// The QR code of the link dialog: the string the engine sends (api::QrCodeShown) encoded with
// libqrencode and painted as crisp black modules on white with the 4-module quiet zone the
// standard asks for, at a whole number of pixels per module so a phone camera reads it.
//
// The string is a secret for the screen only: never logged, and dropped by clear().
#pragma once

#include <QByteArray>
#include <QImage>
#include <QWidget>
#include <vector>

namespace chorus::ui {

// A QR symbol as libqrencode made it: `width` × `width` modules, row by row.
struct QrMatrix {
  int version = 0;  // 1..40; 0 when the text could not be encoded
  int width = 0;
  std::vector<bool> dark;

  [[nodiscard]] bool isNull() const { return width == 0; }
  [[nodiscard]] bool isDark(int x, int y) const {
    return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                static_cast<std::size_t>(x)];
  }
};

inline constexpr int kQrQuietZone = 4;  // modules of white around the symbol (ISO 18004)

// Encodes `text` as 8-bit data with error correction level L (what WhatsApp Web uses); a null
// matrix when libqrencode refuses it (too long, out of memory).
[[nodiscard]] QrMatrix encodeQr(const QByteArray& text);

// The symbol with its quiet zone, `moduleSize` pixels per module.
[[nodiscard]] QImage renderQr(const QrMatrix& matrix, int moduleSize);

class QrCodeWidget : public QWidget {
  Q_OBJECT

 public:
  explicit QrCodeWidget(QWidget* parent = nullptr);

  void setCode(const QString& code);
  void clear();
  [[nodiscard]] QString code() const { return code_; }
  [[nodiscard]] const QrMatrix& matrix() const { return matrix_; }

  [[nodiscard]] QSize sizeHint() const override;
  [[nodiscard]] QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  [[nodiscard]] int modulesAcross() const;

  QString code_;
  QrMatrix matrix_;
};

}  // namespace chorus::ui
