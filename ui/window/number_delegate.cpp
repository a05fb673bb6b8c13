#include "ui/window/number_delegate.h"

#include <QPainter>

#include "ui/session_list_model.h"
#include "ui/window/look.h"

namespace chorus::ui {

namespace {

bool isAllRow(const QModelIndex& index) {
  return index.data(SessionListModel::AccountIdRole).toString().isEmpty();
}

}  // namespace

void paintRowBackground(QPainter& painter, const QStyleOptionViewItem& option) {
  const QPalette& palette = option.palette;
  const QColor base = palette.color(QPalette::Base);
  const QColor accent = palette.color(QPalette::Highlight);
  const bool selected = option.state.testFlag(QStyle::State_Selected);
  const bool hovered = option.state.testFlag(QStyle::State_MouseOver);
  if (!selected && !hovered) return;
  painter.save();
  painter.fillRect(option.rect, look::mix(base, accent, selected ? 0.2 : 0.07));
  if (selected && option.state.testFlag(QStyle::State_HasFocus)) {
    painter.fillRect(QRect(option.rect.left(), option.rect.top(), 3, option.rect.height()), accent);
  }
  painter.restore();
}

void NumberDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                           const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  paintRowBackground(*painter, opt);

  const QPalette& palette = opt.palette;
  const QRect inner =
      opt.rect.adjusted(look::kMargin + 4, look::kMargin, -look::kMargin - 2, -look::kMargin);
  QFont nameFont = opt.font;
  nameFont.setBold(true);
  const QFont smallFont = look::scaled(opt.font, 0.9);
  const QFontMetrics nameMetrics(nameFont);
  const QFontMetrics smallMetrics(smallFont);
  const auto severity = static_cast<Severity>(index.data(SessionListModel::SeverityRole).toInt());
  const bool all = isAllRow(index);

  // The dot, centred on the name line.
  const int textLeft = inner.left() + look::kDotSize + look::kMargin;
  const int nameTop = inner.top();
  if (!all) {
    painter->setPen(Qt::NoPen);
    painter->setBrush(look::severityColor(severity, palette));
    const int dotY = nameTop + (nameMetrics.height() - look::kDotSize) / 2;
    painter->drawEllipse(QRect(inner.left(), dotY, look::kDotSize, look::kDotSize));
  }

  // Unread count at the right of the name line.
  const int unread = index.data(SessionListModel::UnreadRole).toInt();
  const QRect nameLine(textLeft, nameTop, inner.right() - textLeft + 1, nameMetrics.height());
  const int pill = look::paintCountPill(*painter, nameLine, unread, palette, opt.font);
  const int nameWidth = nameLine.width() - (pill > 0 ? pill + look::kMargin : 0);

  painter->setFont(nameFont);
  painter->setPen(palette.color(QPalette::Text));
  const QString name = index.data(SessionListModel::NameRole).toString();
  painter->drawText(QRect(textLeft, nameTop, nameWidth, nameMetrics.height()),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    nameMetrics.elidedText(name, Qt::ElideRight, nameWidth));

  painter->setFont(smallFont);
  int y = nameTop + nameMetrics.height() + 2;
  const int lineWidth = inner.right() - textLeft + 1;
  const auto line = [&](const QString& text, const QColor& colour) {
    painter->setPen(colour);
    painter->drawText(QRect(textLeft, y, lineWidth, smallMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(text, Qt::ElideRight, lineWidth));
    y += smallMetrics.height() + 1;
  };
  const QString phone = index.data(SessionListModel::MaskedPhoneRole).toString();
  if (!all && !phone.isEmpty()) line(phone, look::secondaryText(palette));
  line(index.data(SessionListModel::StatusTextRole).toString(),
       all ? look::secondaryText(palette) : look::severityColor(severity, palette));
  painter->restore();
}

QSize NumberDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QFont nameFont = option.font;
  nameFont.setBold(true);
  const int small = QFontMetrics(look::scaled(option.font, 0.9)).height() + 1;
  const bool all = isAllRow(index);
  const bool phone = !index.data(SessionListModel::MaskedPhoneRole).toString().isEmpty();
  const int lines = all ? 1 : (phone ? 2 : 1);
  const int height = 2 * look::kMargin + QFontMetrics(nameFont).height() + 2 + lines * small;
  return {200, height};
}

}  // namespace chorus::ui
