#include "ui/dialogs/qr_code_widget.h"

#include <QPainter>
#include <algorithm>
#include <memory>

#include <qrencode.h>

namespace chorus::ui {

namespace {

// Pixels per module: at least 3 (small screens), 5 preferred (a comfortable camera target).
constexpr int kMinModulePixels = 3;
constexpr int kPreferredModulePixels = 5;
// Modules across a version 10 symbol with its quiet zone, for the size before a code arrives.
constexpr int kPlaceholderModules = 57 + 2 * kQrQuietZone;

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

QrMatrix encodeQr(const QByteArray& text) {
  QrMatrix out;
  if (text.isEmpty()) return out;
  // QRcode_encodeData takes the length, so NUL bytes in hostile input cannot truncate it.
  std::unique_ptr<QRcode, QrCodeFree> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.constData()), 0, QR_ECLEVEL_L));
  if (!code || code->width <= 0) return out;
  out.version = code->version;
  out.width = code->width;
  const auto cells = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  out.dark.resize(cells);
  for (std::size_t i = 0; i < cells; ++i) out.dark[i] = (code->data[i] & 1U) != 0;
  return out;
}

QImage renderQr(const QrMatrix& matrix, int moduleSize) {
  if (matrix.isNull() || moduleSize <= 0) return {};
  const int side = (matrix.width + 2 * kQrQuietZone) * moduleSize;
  QImage image(side, side, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  for (int y = 0; y < matrix.width; ++y) {
    for (int x = 0; x < matrix.width; ++x) {
      if (!matrix.isDark(x, y)) continue;
      painter.fillRect((x + kQrQuietZone) * moduleSize, (y + kQrQuietZone) * moduleSize, moduleSize,
                       moduleSize, Qt::black);
    }
  }
  return image;
}

QrCodeWidget::QrCodeWidget(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setAccessibleName(tr("QR code to scan with WhatsApp on the phone"));
}

void QrCodeWidget::setCode(const QString& code) {
  if (code == code_) return;
  code_ = code;
  matrix_ = encodeQr(code.toUtf8());
  updateGeometry();
  update();
}

void QrCodeWidget::clear() {
  code_.clear();
  matrix_ = {};
  update();
}

int QrCodeWidget::modulesAcross() const {
  return matrix_.isNull() ? kPlaceholderModules : matrix_.width + 2 * kQrQuietZone;
}

QSize QrCodeWidget::sizeHint() const {
  const int side = modulesAcross() * kPreferredModulePixels;
  return {side, side};
}

QSize QrCodeWidget::minimumSizeHint() const {
  const int side = modulesAcross() * kMinModulePixels;
  return {side, side};
}

void QrCodeWidget::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  const int across = modulesAcross();
  // Whole pixels per module: a scaled image with fractional modules blurs the edges cameras use.
  const int module = std::max(1, std::min(width(), height()) / across);
  const int side = module * across;
  const QRect square((width() - side) / 2, (height() - side) / 2, side, side);
  if (matrix_.isNull()) {
    painter.fillRect(square, palette().color(QPalette::Base));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(
        square, Qt::AlignCenter | Qt::TextWordWrap,
        code_.isEmpty() ? tr("Asking WhatsApp for a code…") : tr("This code could not be drawn."));
    return;
  }
  painter.drawImage(square.topLeft(), renderQr(matrix_, module));
}

}  // namespace chorus::ui
