#include "ui/dialogs/tray_icon.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

#include "ui/status_text.h"

namespace chorus::ui {

namespace {

constexpr int kIconSizes[] = {16, 22, 24, 32, 48, 64, 128};
constexpr long long kMaxShownUnread = 99;
constexpr int kMinSizeForDigits = 32;

int rank(TrayState s) {
  switch (s) {
    case TrayState::Idle: return 0;
    case TrayState::AllReady: return 1;
    case TrayState::Working: return 2;
    case TrayState::NeedsAction: return 3;
  }
  return 0;
}

// A speech bubble in the middle of the badge: the app's mark, readable at 16 px.
void paintBubble(QPainter& p, const QRectF& badge) {
  const qreal w = badge.width();
  const QRectF body(badge.left() + w * 0.22, badge.top() + w * 0.24, w * 0.56, w * 0.42);
  QPainterPath bubble;
  bubble.addRoundedRect(body, w * 0.12, w * 0.12);
  QPainterPath tail;
  tail.moveTo(body.left() + w * 0.12, body.bottom() - w * 0.02);
  tail.lineTo(body.left() + w * 0.08, body.bottom() + w * 0.14);
  tail.lineTo(body.left() + w * 0.26, body.bottom() - w * 0.02);
  tail.closeSubpath();
  p.fillPath(bubble.united(tail), Qt::white);
}

void paintUnread(QPainter& p, long long unread, int size) {
  if (size < kMinSizeForDigits) {
    // Digits would be a smudge: a dark dot with a white ring says "unread" at tray sizes.
    const qreal d = size * 0.5;
    p.setPen(QPen(Qt::white, std::max<qreal>(1.0, size / 16.0)));
    p.setBrush(QColor(0x1f, 0x29, 0x33));
    p.drawEllipse(QRectF(size - d - 0.5, 0.5, d, d));
    return;
  }
  const QString text = unread > kMaxShownUnread ? QStringLiteral("99+") : QString::number(unread);
  QFont font = p.font();
  font.setBold(true);
  font.setPixelSize(std::max(7, size * (text.size() > 2 ? 30 : 38) / 100));
  p.setFont(font);
  const QFontMetricsF metrics(font);
  const qreal height = std::max<qreal>(metrics.height() * 0.95, size * 0.44);
  const qreal width = std::max(height, metrics.horizontalAdvance(text) + height * 0.45);
  const QRectF pill(size - width, 0, width, height);
  const qreal outline = std::max<qreal>(1.0, size / 32.0);
  QPainterPath shape;
  shape.addRoundedRect(pill, height / 2, height / 2);
  p.fillPath(shape, Qt::white);
  QPainterPath inner;
  inner.addRoundedRect(pill.adjusted(outline, outline, -outline, -outline), height / 2 - outline,
                       height / 2 - outline);
  p.fillPath(inner, QColor(0x1f, 0x29, 0x33));
  p.setPen(Qt::white);
  p.drawText(pill, Qt::AlignCenter, text);
}

}  // namespace

TrayState trayStateOf(const api::AccountSummary& account) {
  if (!account.problem.empty()) return TrayState::NeedsAction;
  const api::ConnectionState state = account.status.state;
  if (state == api::ConnectionState::Disconnected) {
    // Fast retries spent, slow ones still due: the connection is lost, not switched off.
    return account.status.nextRetryAt ? TrayState::Working : TrayState::Idle;
  }
  switch (severityOf(state)) {
    case Severity::Fine: return TrayState::AllReady;
    case Severity::Working: return TrayState::Working;
    case Severity::Stopped: return TrayState::Idle;
    case Severity::NeedsAction: return TrayState::NeedsAction;
  }
  return TrayState::Idle;
}

TrayState aggregateState(const std::vector<api::AccountSummary>& accounts) {
  TrayState worst = TrayState::Idle;
  for (const api::AccountSummary& a : accounts) {
    const TrayState s = trayStateOf(a);
    if (rank(s) > rank(worst)) worst = s;
  }
  return worst;
}

QColor trayColour(TrayState state) {
  switch (state) {
    case TrayState::Idle: return {0x8a, 0x8f, 0x98};
    case TrayState::AllReady: return {0x1e, 0x9e, 0x4a};
    case TrayState::Working: return {0xf0, 0xa2, 0x02};
    case TrayState::NeedsAction: return {0xd9, 0x30, 0x25};
  }
  return {0x8a, 0x8f, 0x98};
}

QImage trayImage(TrayState state, long long unread, int size) {
  QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  const qreal margin = size / 16.0;
  const QRectF badge(margin, margin, size - 2 * margin, size - 2 * margin);
  QPainterPath rounded;
  rounded.addRoundedRect(badge, badge.width() * 0.24, badge.width() * 0.24);
  p.fillPath(rounded, trayColour(state));
  paintBubble(p, badge);
  if (unread > 0) paintUnread(p, unread, size);
  return image;
}

QIcon trayIcon(TrayState state, long long unread) {
  QIcon icon;
  for (int size : kIconSizes) icon.addPixmap(QPixmap::fromImage(trayImage(state, unread, size)));
  return icon;
}

}  // namespace chorus::ui
