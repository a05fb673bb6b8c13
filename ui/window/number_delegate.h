// Paints one row of the numbers list: a state dot, the name, the masked phone and the state in
// words in its colour ("Reconnecting, attempt 3, next try in 18 s"), and the unread count. The
// "All numbers" row (no account id) shows a summary line instead of a phone and state.
#pragma once

#include <QStyledItemDelegate>

namespace chorus::ui {

class NumberDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem& option,
                               const QModelIndex& index) const override;
};

// The row background the window's lists share: a quiet tint for hover and selection, an accent
// bar at the left of the selected row while its list has the focus.
void paintRowBackground(QPainter& painter, const QStyleOptionViewItem& option);

}  // namespace chorus::ui
