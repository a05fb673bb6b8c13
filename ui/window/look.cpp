#include "ui/window/look.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetrics>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <algorithm>

namespace chorus::ui::look {

QColor mix(const QColor& a, const QColor& b, double t) {
  const auto channel = [t](double x, double y) {
    return static_cast<int>(std::clamp(x * (1.0 - t) + y * t, 0.0, 1.0) * 255.0 + 0.5);
  };
  return QColor(channel(a.redF(), b.redF()), channel(a.greenF(), b.greenF()),
                channel(a.blueF(), b.blueF()));
}

bool isDark(const QPalette& palette) {
  return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor severityColor(Severity severity, const QPalette& palette) {
  const bool dark = isDark(palette);
  switch (severity) {
    case Severity::Fine: return dark ? QColor(0x5c, 0xc9, 0x7b) : QColor(0x1e, 0x8e, 0x3e);
    case Severity::Working: return dark ? QColor(0xf2, 0xb3, 0x4b) : QColor(0xb0, 0x6a, 0x00);
    case Severity::Stopped: return secondaryText(palette);
    case Severity::NeedsAction: return failureColor(palette);
  }
  return secondaryText(palette);
}

QColor secondaryText(const QPalette& palette) {
  return mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.4);
}

QColor failureColor(const QPalette& palette) {
  return isDark(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xc6, 0x28, 0x28);
}

QColor readColour(const QPalette& palette) {
  const QColor accent = palette.color(QPalette::Highlight);
  return isDark(palette) ? accent.lighter(135) : accent.darker(115);
}

QString clockText(const QTime& time) {
  const QLocale locale;
  QString format = locale.timeFormat(QLocale::ShortFormat);
  static const QRegularExpression kSeconds(QStringLiteral("[:.]ss?"));
  format.remove(kSeconds);
  return locale.toString(time, format);
}

QString countText(int count) {
  return count > 99 ? QStringLiteral("99+") : QString::number(count);
}

int paintCountPill(QPainter& painter, const QRect& rect, int count, const QPalette& palette,
                   const QFont& font) {
  if (count <= 0) return 0;
  QFont bold = scaled(font, 0.85);
  bold.setBold(true);
  const QFontMetrics metrics(bold);
  const QString text = countText(count);
  const int height = metrics.height() + 2;
  const int width = std::max(height, metrics.horizontalAdvance(text) + height / 2 + 4);
  const QRect pill(rect.right() - width + 1, rect.center().y() - height / 2, width, height);
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(palette.color(QPalette::Highlight));
  painter.drawRoundedRect(pill, height / 2.0, height / 2.0);
  painter.setPen(palette.color(QPalette::HighlightedText));
  painter.setFont(bold);
  painter.drawText(pill, Qt::AlignCenter, text);
  painter.restore();
  return width;
}

QFont scaled(const QFont& base, double factor) {
  QFont font = base;
  if (font.pointSizeF() > 0) {
    font.setPointSizeF(font.pointSizeF() * factor);
  } else {
    font.setPixelSize(std::max(1, static_cast<int>(font.pixelSize() * factor + 0.5)));
  }
  return font;
}

int statusMarkWidth(int size, api::MessageStatus status) {
  switch (status) {
    case api::MessageStatus::Delivered:
    case api::MessageStatus::Read: return size * 13 / 10;
    default: return size;
  }
}

int paintStatusMark(QPainter& painter, QPoint topLeft, int size, api::MessageStatus status,
                    const QColor& colour, const QColor& readColour, const QPalette& palette) {
  const double h = size;
  const double x = topLeft.x();
  const double y = topLeft.y();
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setBrush(Qt::NoBrush);
  QPen pen(colour, std::max(1.2, h / 9.0), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
  const auto check = [&](double dx) {
    QPainterPath path;
    path.moveTo(x + dx + 0.08 * h, y + 0.55 * h);
    path.lineTo(x + dx + 0.36 * h, y + 0.82 * h);
    path.lineTo(x + dx + 0.9 * h, y + 0.22 * h);
    painter.drawPath(path);
  };
  switch (status) {
    case api::MessageStatus::Queued: {
      painter.setPen(pen);
      const QRectF face(x + 0.12 * h, y + 0.17 * h, 0.72 * h, 0.72 * h);
      painter.drawEllipse(face);
      painter.drawLine(face.center(), face.center() - QPointF(0, 0.24 * h));
      painter.drawLine(face.center(), face.center() + QPointF(0.18 * h, 0));
      break;
    }
    case api::MessageStatus::Sent:
      painter.setPen(pen);
      check(0);
      break;
    case api::MessageStatus::Delivered:
    case api::MessageStatus::Read:
      if (status == api::MessageStatus::Read) pen.setColor(readColour);
      painter.setPen(pen);
      check(0);
      check(0.36 * h);
      break;
    case api::MessageStatus::Failed: {
      const QColor red = failureColor(palette);
      painter.setPen(Qt::NoPen);
      painter.setBrush(red);
      const QRectF face(x + 0.08 * h, y + 0.1 * h, 0.82 * h, 0.82 * h);
      painter.drawEllipse(face);
      painter.setPen(
          QPen(palette.color(QPalette::Base), std::max(1.2, h / 8.0), Qt::SolidLine, Qt::RoundCap));
      painter.drawLine(QPointF(face.center().x(), face.top() + 0.2 * h),
                       QPointF(face.center().x(), face.center().y() + 0.08 * h));
      painter.drawPoint(QPointF(face.center().x(), face.bottom() - 0.18 * h));
      break;
    }
  }
  painter.restore();
  return statusMarkWidth(size, status);
}

QString statusWords(api::MessageStatus status) {
  switch (status) {
    case api::MessageStatus::Queued: return QCoreApplication::translate("look", "waiting to send");
    case api::MessageStatus::Sent: return QCoreApplication::translate("look", "sent");
    case api::MessageStatus::Delivered: return QCoreApplication::translate("look", "delivered");
    case api::MessageStatus::Read: return QCoreApplication::translate("look", "read");
    case api::MessageStatus::Failed: return QCoreApplication::translate("look", "not sent");
  }
  return {};
}

}  // namespace chorus::ui::look
