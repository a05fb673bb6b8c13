#include "ui/window/chat_filter_model.h"

#include "ui/chat_list_model.h"
#include "ui/window/chat_delegate.h"

namespace chorus::ui {

void ChatFilterModel::setSearch(const QString& text) {
  const QString trimmed = text.simplified();
  if (trimmed == search_) return;
  search_ = trimmed;
  digits_.clear();
  bool numeric = !trimmed.isEmpty();
  for (QChar c : trimmed) {
    if (c.isDigit()) {
      digits_ += c;
    } else if (c != QLatin1Char('+') && c != QLatin1Char(' ') && c != QLatin1Char('-') &&
               c != QLatin1Char('(') && c != QLatin1Char(')')) {
      numeric = false;
    }
  }
  if (!numeric) digits_.clear();
  invalidateFilter();
}

QVariant ChatFilterModel::data(const QModelIndex& index, int role) const {
  if (settings_ != nullptr && (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)) {
    const QString title = chatTitle(index, *settings_);
    const int unread = index.data(ChatListModel::UnreadRole).toInt();
    if (role == Qt::DisplayRole || unread <= 0) return title;
    return tr("%1, %n unread", nullptr, unread).arg(title);
  }
  return QSortFilterProxyModel::data(index, role);
}

bool ChatFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (search_.isEmpty()) return true;
  const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  if (index.data(ChatListModel::TitleRole).toString().contains(search_, Qt::CaseInsensitive)) {
    return true;
  }
  if (digits_.isEmpty() || index.data(ChatListModel::IsGroupRole).toBool()) return false;
  const QString jid = index.data(ChatListModel::ChatJidRole).toString();
  return jid.left(jid.indexOf(QLatin1Char('@'))).contains(digits_);
}

}  // namespace chorus::ui
