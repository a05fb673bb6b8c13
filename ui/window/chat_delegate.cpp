#include "ui/window/chat_delegate.h"

#include <QLocale>
#include <QPainter>
#include <QTimeZone>
#include <algorithm>

#include "ui/chat_list_model.h"
#include "ui/settings.h"
#include "ui/window/look.h"
#include "ui/window/number_delegate.h"

namespace chorus::ui {

namespace {

constexpr int kAvatar = 36;

QString numberOfJid(const QString& jid) {
  return QStringLiteral("+") + jid.left(jid.indexOf(QLatin1Char('@')));
}

// A quiet colour per chat (from its id), the same in every session.
QColor avatarColour(const QString& key, const QPalette& palette) {
  const auto hue = static_cast<int>(qHash(key) % 360U);
  QColor colour = QColor::fromHsl(hue, 90, look::isDark(palette) ? 95 : 170);
  return colour;
}

QString initialOf(const QString& title) {
  for (QChar c : title) {
    if (c.isLetter()) return QString(c).toUpper();
  }
  return title.startsWith(QLatin1Char('+')) ? QStringLiteral("#") : QStringLiteral("?");
}

}  // namespace

QString chatTitle(const QModelIndex& chatIndex, const Settings& settings) {
  const QString title = chatIndex.data(ChatListModel::TitleRole).toString();
  if (chatIndex.data(ChatListModel::IsGroupRole).toBool()) return title;
  const QString jid = chatIndex.data(ChatListModel::ChatJidRole).toString();
  return title == numberOfJid(jid) ? settings.displayNumber(title) : title;
}

QString shortWhen(const QDateTime& utc, const QDateTime& now) {
  if (!utc.isValid()) return {};
  const QDateTime local = utc.toLocalTime();
  const QDate today = now.toLocalTime().date();
  const QLocale locale;
  const qint64 days = local.date().daysTo(today);
  if (days == 0) return look::clockText(local.time());
  if (days == 1) return ChatDelegate::tr("Yesterday");
  if (days > 1 && days < 7) return locale.dayName(local.date().dayOfWeek(), QLocale::ShortFormat);
  return locale.toString(local.date(), QLocale::ShortFormat);
}

ChatDelegate::ChatDelegate(const Settings& settings, AccountName accountName, QObject* parent)
    : QStyledItemDelegate(parent), settings_(settings), accountName_(std::move(accountName)) {}

void ChatDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                         const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  paintRowBackground(*painter, opt);
  const QPalette& palette = opt.palette;
  const QRect inner =
      opt.rect.adjusted(look::kMargin + 4, look::kMargin, -look::kMargin - 4, -look::kMargin);
  const QString title = chatTitle(index, settings_);
  const int unread = index.data(ChatListModel::UnreadRole).toInt();

  // Avatar: an initial on a quiet colour.
  const QRect avatar(inner.left(), inner.center().y() - kAvatar / 2, kAvatar, kAvatar);
  painter->setPen(Qt::NoPen);
  painter->setBrush(avatarColour(index.data(ChatListModel::ChatJidRole).toString(), palette));
  painter->drawEllipse(avatar);
  QFont avatarFont = look::scaled(opt.font, 1.1);
  avatarFont.setBold(true);
  painter->setFont(avatarFont);
  painter->setPen(look::isDark(palette) ? QColor(Qt::white) : QColor(0x20, 0x20, 0x20));
  painter->drawText(avatar, Qt::AlignCenter, initialOf(title));

  const int left = avatar.right() + 1 + look::kMargin + 2;
  const int width = inner.right() - left + 1;
  QFont titleFont = opt.font;
  titleFont.setBold(unread > 0);
  const QFont smallFont = look::scaled(opt.font, 0.9);
  const QFontMetrics titleMetrics(titleFont);
  const QFontMetrics smallMetrics(smallFont);
  const QRect line1(
      left, inner.top() + (inner.height() - titleMetrics.height() - smallMetrics.height() - 3) / 2,
      width, titleMetrics.height());
  const QRect line2(left, line1.bottom() + 4, width, smallMetrics.height());

  // Line 1, from the right: the time, the number's name (all numbers), the title.
  int right = line1.right();
  painter->setFont(smallFont);
  const QString when = shortWhen(index.data(ChatListModel::LastActivityRole).toDateTime(),
                                 QDateTime::currentDateTimeUtc());
  if (!when.isEmpty()) {
    const int w = smallMetrics.horizontalAdvance(when);
    painter->setPen(unread > 0 ? palette.color(QPalette::Highlight) : look::secondaryText(palette));
    painter->drawText(QRect(right - w + 1, line1.top(), w, line1.height()),
                      Qt::AlignRight | Qt::AlignVCenter, when);
    right -= w + look::kMargin;
  }
  if (showAccounts_ && accountName_) {
    const QString name = accountName_(index.data(ChatListModel::AccountIdRole).toString());
    if (!name.isEmpty()) {
      const QString shown = smallMetrics.elidedText(name, Qt::ElideRight, width / 3);
      const int w = smallMetrics.horizontalAdvance(shown) + 10;
      const QRect tag(right - w + 1, line1.center().y() - smallMetrics.height() / 2 - 1, w,
                      smallMetrics.height() + 2);
      painter->setPen(Qt::NoPen);
      painter->setBrush(
          look::mix(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.09));
      painter->drawRoundedRect(tag, 4, 4);
      painter->setPen(look::secondaryText(palette));
      painter->drawText(tag, Qt::AlignCenter, shown);
      right -= w + look::kMargin;
    }
  }
  painter->setFont(titleFont);
  painter->setPen(palette.color(QPalette::Text));
  const int titleWidth = std::max(0, right - left + 1);
  painter->drawText(QRect(left, line1.top(), titleWidth, line1.height()),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    titleMetrics.elidedText(title, Qt::ElideRight, titleWidth));

  // Line 2: our last message's status, the preview, the unread count.
  int previewLeft = left;
  const int status = index.data(ChatListModel::LastStatusRole).toInt();
  if (status >= 0) {
    const int size = smallMetrics.ascent();
    const QColor readColour = look::readColour(palette);
    previewLeft += look::paintStatusMark(*painter, QPoint(left, line2.center().y() - size / 2),
                                         size, static_cast<api::MessageStatus>(status),
                                         look::secondaryText(palette), readColour, palette) +
                   4;
  }
  const int pill = look::paintCountPill(*painter, line2, unread, palette, opt.font);
  const int previewWidth =
      std::max(0, line2.right() - previewLeft + 1 - (pill > 0 ? pill + look::kMargin : 0));
  painter->setFont(smallFont);
  painter->setPen(look::secondaryText(palette));
  painter->drawText(QRect(previewLeft, line2.top(), previewWidth, line2.height()),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    smallMetrics.elidedText(index.data(ChatListModel::PreviewRole).toString(),
                                            Qt::ElideRight, previewWidth));
  painter->restore();
}

QSize ChatDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
  QFont bold = option.font;
  bold.setBold(true);
  const int text =
      QFontMetrics(bold).height() + 4 + QFontMetrics(look::scaled(option.font, 0.9)).height();
  return {240, 2 * look::kMargin + std::max(kAvatar, text) + 4};
}

}  // namespace chorus::ui
