#include "ui/window/message_delegate.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QTextLayout>
#include <algorithm>
#include <cmath>

#include "core/api/message_types.h"
#include "ui/message_list_model.h"
#include "ui/window/look.h"

namespace chorus::ui {

namespace {
constexpr std::size_t kMaxCachedHeights = 200'000;  // ~a few MB: every row of a long chat
}  // namespace

namespace {

constexpr int kPadH = 10;       // text to bubble edge, left and right
constexpr int kPadV = 6;        // text to bubble edge, top and bottom
constexpr int kSide = 14;       // bubble to view edge
constexpr int kGap = 2;         // above and below each bubble
constexpr int kFooterGap = 10;  // last text line to the time when they share a line

api::MessageStatus statusOf(const QModelIndex& index) {
  return static_cast<api::MessageStatus>(index.data(MessageListModel::StatusRole).toInt());
}
api::MessageKind kindOf(const QModelIndex& index) {
  return static_cast<api::MessageKind>(index.data(MessageListModel::KindRole).toInt());
}

int rowWidth(const QStyleOptionViewItem& option) {
  if (const auto* view = qobject_cast<const QAbstractItemView*>(option.widget)) {
    return view->viewport()->width();
  }
  return option.rect.width();
}

QString timeText(const QModelIndex& index) {
  const QDateTime utc = index.data(MessageListModel::TimestampRole).toDateTime();
  return look::clockText(utc.toLocalTime().time());
}

QString failureText(const QModelIndex& index) {
  const QString why = index.data(MessageListModel::FailureRole).toString();
  return why.isEmpty() ? MessageDelegate::tr("Not sent.")
                       : MessageDelegate::tr("Not sent: %1.").arg(why);
}

// Lays `layout` out in lines of at most `width`; returns the widest line and the last one's.
std::pair<int, int> layOut(QTextLayout& layout, int width) {
  QTextOption textOption;
  textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  layout.setTextOption(textOption);
  layout.beginLayout();
  qreal y = 0;
  qreal widest = 0;
  qreal last = 0;
  for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
    line.setLineWidth(width);
    line.setPosition(QPointF(0, y));
    y += line.height();
    widest = std::max(widest, line.naturalTextWidth());
    last = line.naturalTextWidth();
  }
  layout.endLayout();
  return {static_cast<int>(std::ceil(widest)), static_cast<int>(std::ceil(last))};
}

}  // namespace

struct MessageDelegate::Geometry {
  QRect day;      // the day separator, empty when none
  QRect bubble;   // empty for notices
  QRect sender;   // the author's name inside the bubble, empty when none
  QPoint text;    // where the text layout is drawn
  QRect footer;   // time and ticks
  QRect failure;  // the failure line under the bubble, empty unless failed
  QRect retry;    // the "Retry" link inside it
  int height = 0;
};

QString MessageDelegate::dayText(const QDate& day, const QDate& today) {
  if (day == today) return tr("Today");
  if (day.addDays(1) == today) return tr("Yesterday");
  return QLocale().toString(day, QLocale::LongFormat);
}

MessageDelegate::Geometry MessageDelegate::geometry(const QStyleOptionViewItem& option,
                                                    const QModelIndex& index,
                                                    QTextLayout& layout) const {
  Geometry g;
  const int width = rowWidth(option);
  const QFont smallFont = look::scaled(option.font, 0.85);
  const QFontMetrics small(smallFont);
  const QFontMetrics metrics(option.font);
  int top = option.rect.top();
  const int left = option.rect.left();

  if (index.data(MessageListModel::StartsDayRole).toBool()) {
    g.day = QRect(left, top, width, small.height() + 20);
    top += g.day.height();
  }
  top += kGap;

  const api::MessageKind kind = kindOf(index);
  const bool outgoing = index.data(MessageListModel::OutgoingRole).toBool();
  QFont textFont = option.font;
  if (kind == api::MessageKind::Placeholder) textFont.setItalic(true);
  if (kind == api::MessageKind::System) textFont = smallFont;
  layout.setFont(textFont);
  layout.setText(index.data(MessageListModel::TextRole).toString());

  if (kind == api::MessageKind::System) {
    const int textWidth = std::max(40, width * 4 / 5);
    const auto [widest, last] = layOut(layout, textWidth);
    (void)last;
    const int height = static_cast<int>(std::ceil(layout.boundingRect().height()));
    g.text = QPoint(left + (width - widest) / 2, top + kPadV);
    g.height = top + height + 2 * kPadV + kGap - option.rect.top();
    return g;
  }

  const int maxBubble = std::max(80, std::min(width * 3 / 4, metrics.averageCharWidth() * 64));
  const int textWidth = maxBubble - 2 * kPadH;
  const auto [widest, last] = layOut(layout, textWidth);
  const int textHeight = static_cast<int>(std::ceil(layout.boundingRect().height()));

  const QString time = timeText(index);
  const int markSize = small.ascent();
  const int footerWidth = small.horizontalAdvance(time) +
                          (outgoing ? 4 + look::statusMarkWidth(markSize, statusOf(index)) : 0);
  const bool inlineFooter = last + kFooterGap + footerWidth <= textWidth;
  int contentWidth = inlineFooter ? std::max(widest, last + kFooterGap + footerWidth)
                                  : std::max(widest, footerWidth);
  int contentHeight = inlineFooter ? textHeight : textHeight + small.height();

  int senderHeight = 0;
  if (showSenders_ && !outgoing) {
    QFont senderFont = smallFont;
    senderFont.setBold(true);
    const QFontMetrics senderMetrics(senderFont);
    const QString sender = index.data(MessageListModel::SenderNameRole).toString();
    if (!sender.isEmpty()) {
      senderHeight = senderMetrics.height() + 2;
      contentWidth =
          std::max(contentWidth, std::min(textWidth, senderMetrics.horizontalAdvance(sender)));
    }
  }

  const int bubbleWidth = contentWidth + 2 * kPadH;
  const int bubbleHeight = senderHeight + contentHeight + 2 * kPadV;
  const int bubbleLeft = outgoing ? left + width - kSide - bubbleWidth : left + kSide;
  g.bubble = QRect(bubbleLeft, top, bubbleWidth, bubbleHeight);
  const int contentLeft = bubbleLeft + kPadH;
  if (senderHeight > 0) g.sender = QRect(contentLeft, top + kPadV, contentWidth, senderHeight - 2);
  g.text = QPoint(contentLeft, top + kPadV + senderHeight);
  g.footer = QRect(g.bubble.right() - kPadH - footerWidth + 1,
                   g.bubble.bottom() - kPadV - small.height() + 1, footerWidth, small.height());
  top = g.bubble.bottom() + 1;

  if (statusOf(index) == api::MessageStatus::Failed && outgoing) {
    const QString retry = tr("Retry");
    const int retryWidth = small.horizontalAdvance(retry) + 8;
    const int failWidth =
        std::min(width - 2 * kSide - retryWidth, small.horizontalAdvance(failureText(index)));
    const int lineTop = top + 3;
    g.retry = QRect(left + width - kSide - retryWidth, lineTop, retryWidth, small.height() + 2);
    g.failure = QRect(g.retry.left() - failWidth - 4, lineTop, failWidth + 4 + retryWidth,
                      small.height() + 2);
    top = g.failure.bottom() + 1;
  }
  g.height = top + kGap - option.rect.top();
  return g;
}

std::size_t MessageDelegate::HeightKeyHash::operator()(const HeightKey& k) const noexcept {
  std::size_t h = std::hash<qint64>()(k.localId);
  for (const qint64 part : {qint64{k.width}, qint64{k.status},
                            qint64{k.kind}, qint64{k.startsDay}, qint64{k.showSenders}, k.fontKey}) {
    h = h * 1'000'003u ^ std::hash<qint64>()(part);
  }
  return h;
}

MessageDelegate::HeightKey MessageDelegate::heightKey(const QStyleOptionViewItem& option,
                                                      const QModelIndex& index) const {
  HeightKey key;
  key.localId = index.data(MessageListModel::LocalIdRole).toLongLong();
  key.width = rowWidth(option);
  // A message's text does not change under its local id except when a placeholder gets its
  // content (its kind changes) or it fails (its status changes, with the reason): both are in
  // the key, so the text itself need not be read for it.
  key.status = index.data(MessageListModel::StatusRole).toInt();
  key.kind = index.data(MessageListModel::KindRole).toInt();
  key.startsDay = index.data(MessageListModel::StartsDayRole).toBool();
  key.showSenders = showSenders_;
  key.fontKey = static_cast<qint64>(qHash(option.font.key()));
  return key;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem& option,
                                const QModelIndex& index) const {
  const HeightKey key = heightKey(option, index);
  if (auto it = heights_.find(key); it != heights_.end()) {
    return {std::max(1, key.width), it->second};
  }
  QTextLayout layout;
  const Geometry g = geometry(option, index, layout);
  if (heights_.size() > kMaxCachedHeights) heights_.clear();
  heights_.emplace(key, g.height);
  return {std::max(1, rowWidth(option)), g.height};
}

QRect MessageDelegate::retryRect(const QStyleOptionViewItem& option,
                                 const QModelIndex& index) const {
  QTextLayout layout;
  return geometry(option, index, layout).retry;
}

void MessageDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
  QTextLayout layout;
  const Geometry g = geometry(option, index, layout);
  const QPalette& palette = option.palette;
  const QColor base = palette.color(QPalette::Base);
  const QColor text = palette.color(QPalette::Text);
  const QColor secondary = look::secondaryText(palette);
  const QFont smallFont = look::scaled(option.font, 0.85);
  const bool outgoing = index.data(MessageListModel::OutgoingRole).toBool();
  const api::MessageKind kind = kindOf(index);
  const api::MessageStatus status = statusOf(index);
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);

  // The keyboard's place in the conversation: a quiet band across the row.
  if (option.state.testFlag(QStyle::State_HasFocus) ||
      option.state.testFlag(QStyle::State_Selected)) {
    QRect band = option.rect;
    band.setTop(g.day.isEmpty() ? band.top() : g.day.bottom() + 1);
    painter->fillRect(band, look::mix(base, palette.color(QPalette::Highlight), 0.08));
  }

  if (!g.day.isEmpty()) {
    const QDate day = index.data(MessageListModel::TimestampRole).toDateTime().toLocalTime().date();
    const QString label = dayText(day, QDate::currentDate());
    painter->setFont(smallFont);
    const QFontMetrics small(smallFont);
    const int w = small.horizontalAdvance(label) + 20;
    const QRect pill(g.day.center().x() - w / 2, g.day.center().y() - small.height() / 2 - 2, w,
                     small.height() + 4);
    painter->setPen(Qt::NoPen);
    painter->setBrush(look::mix(base, text, 0.07));
    painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter->setPen(secondary);
    painter->drawText(pill, Qt::AlignCenter, label);
  }

  if (kind == api::MessageKind::System) {
    painter->setPen(secondary);
    layout.draw(painter, g.text);
    painter->restore();
    return;
  }

  const QColor fill = outgoing ? look::mix(base, palette.color(QPalette::Highlight),
                                           look::isDark(palette) ? 0.32 : 0.16)
                               : look::mix(base, text, look::isDark(palette) ? 0.1 : 0.055);
  painter->setPen(Qt::NoPen);
  painter->setBrush(fill);
  painter->drawRoundedRect(g.bubble, look::kRadius, look::kRadius);

  if (!g.sender.isEmpty()) {
    QFont senderFont = smallFont;
    senderFont.setBold(true);
    painter->setFont(senderFont);
    painter->setPen(look::readColour(palette));
    painter->drawText(g.sender, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(senderFont)
                          .elidedText(index.data(MessageListModel::SenderNameRole).toString(),
                                      Qt::ElideRight, g.sender.width()));
  }

  painter->setPen(kind == api::MessageKind::Placeholder ? secondary : text);
  layout.draw(painter, g.text);

  painter->setFont(smallFont);
  const QFontMetrics small(smallFont);
  const QString time = timeText(index);
  painter->setPen(secondary);
  painter->drawText(
      QRect(g.footer.left(), g.footer.top(), small.horizontalAdvance(time), g.footer.height()),
      Qt::AlignLeft | Qt::AlignVCenter, time);
  if (outgoing) {
    const int size = small.ascent();
    look::paintStatusMark(*painter,
                          QPoint(g.footer.right() + 1 - look::statusMarkWidth(size, status),
                                 g.footer.center().y() - size / 2),
                          size, status, secondary, look::readColour(palette), palette);
  }

  if (!g.failure.isEmpty()) {
    const QColor red = look::failureColor(palette);
    painter->setPen(red);
    const QRect reason(g.failure.left(), g.failure.top(), g.retry.left() - g.failure.left() - 4,
                       g.failure.height());
    painter->drawText(reason, Qt::AlignRight | Qt::AlignVCenter,
                      small.elidedText(failureText(index), Qt::ElideRight, reason.width()));
    QFont link = smallFont;
    link.setBold(true);
    link.setUnderline(true);
    painter->setFont(link);
    painter->setPen(palette.color(QPalette::Link));
    painter->drawText(g.retry, Qt::AlignCenter, tr("Retry"));
  }
  painter->restore();
}

bool MessageDelegate::editorEvent(QEvent* event, QAbstractItemModel* model,
                                  const QStyleOptionViewItem& option, const QModelIndex& index) {
  if (event->type() == QEvent::MouseButtonRelease) {
    const auto* mouse = static_cast<QMouseEvent*>(event);
    if (mouse->button() == Qt::LeftButton &&
        retryRect(option, index).contains(mouse->position().toPoint())) {
      Q_EMIT retryRequested(index);
      return true;
    }
  }
  return QStyledItemDelegate::editorEvent(event, model, option, index);
}

}  // namespace chorus::ui
