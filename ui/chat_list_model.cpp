#include "ui/chat_list_model.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <variant>

#include "ui/conversions.h"

namespace chorus::ui {

namespace {

QString titleOf(const api::ChatSummary& chat) {
  if (!chat.name.empty()) return qs(chat.name);
  const std::string user = chat.jid.substr(0, chat.jid.find('@'));
  return chat.kind == api::ChatKind::Group ? qs(user) : QStringLiteral("+") + qs(user);
}

QString previewOf(const api::ChatSummary& chat) {
  if (!chat.hasLastMessage) return {};
  if (chat.lastMessage.kind == api::MessageKind::Placeholder) {
    return QObject::tr("Waiting for this message…");
  }
  QString text = qs(chat.lastMessage.text);
  text.replace(QLatin1Char('\n'), QLatin1Char(' '));
  return text.left(200);
}

}  // namespace

ChatListModel::ChatListModel(Backend& backend, QObject* parent)
    : QAbstractListModel(parent), backend_(backend) {
  connect(&backend, &Backend::chatsLoaded, this, &ChatListModel::onChats);
  connect(&backend, &Backend::accountEvent, this, &ChatListModel::onEvent);
}

void ChatListModel::showAccounts(std::vector<api::AccountId> accounts) {
  beginResetModel();
  accounts_ = std::move(accounts);
  rows_.clear();
  endResetModel();
  for (const api::AccountId& id : accounts_) backend_.loadChats(id);
}

bool ChatListModel::shows(const api::AccountId& account) const {
  return std::find(accounts_.begin(), accounts_.end(), account) != accounts_.end();
}

int ChatListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ChatListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  const api::ChatSummary& c = row.chat;
  switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return titleOf(c);
    case AccountIdRole: return qs(row.account);
    case ChatJidRole: return qs(c.jid);
    case PreviewRole: return previewOf(c);
    case UnreadRole: return c.unreadCount;
    case LastActivityRole:
      if (!c.hasLastMessage) return QDateTime();
      return QDateTime::fromMSecsSinceEpoch(
          static_cast<qint64>(c.lastActivity.time_since_epoch().count()), QTimeZone::utc());
    case IsGroupRole: return c.kind == api::ChatKind::Group;
    case LastStatusRole:
      return c.hasLastMessage && c.lastMessage.direction == api::MessageDirection::Outgoing
                 ? static_cast<int>(c.lastMessage.status)
                 : -1;
    case Qt::AccessibleTextRole:
      return c.unreadCount > 0 ? tr("%1, %n unread", nullptr, c.unreadCount).arg(titleOf(c))
                               : titleOf(c);
    default: return {};
  }
}

QHash<int, QByteArray> ChatListModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names.insert(AccountIdRole, "accountId");
  names.insert(ChatJidRole, "chatJid");
  names.insert(TitleRole, "title");
  names.insert(PreviewRole, "preview");
  names.insert(UnreadRole, "unread");
  names.insert(LastActivityRole, "lastActivity");
  names.insert(IsGroupRole, "isGroup");
  names.insert(LastStatusRole, "lastStatus");
  return names;
}

int ChatListModel::rowOf(const api::AccountId& account, const std::string& chatJid) const {
  const auto it = std::find_if(rows_.begin(), rows_.end(), [&](const Row& r) {
    return r.account == account && r.chat.jid == chatJid;
  });
  return it == rows_.end() ? -1 : static_cast<int>(it - rows_.begin());
}

int ChatListModel::placeFor(api::MessageTime activity, int ignoring) const {
  int place = 0;
  for (int i = 0; i < rowCount(); ++i) {
    if (i == ignoring) continue;
    if (rows_[static_cast<std::size_t>(i)].chat.lastActivity <= activity) break;
    ++place;
  }
  return place;
}

void ChatListModel::moveTo(int from, int to) {
  if (from == to) return;
  // beginMoveRows names the destination in the list before the move.
  beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
  Row moved = std::move(rows_[static_cast<std::size_t>(from)]);
  rows_.erase(rows_.begin() + from);
  rows_.insert(rows_.begin() + to, std::move(moved));
  endMoveRows();
}

// One number's list: its old rows go, its chats are merged in by activity.
void ChatListModel::onChats(const api::AccountId& account,
                            const std::vector<api::ChatSummary>& chats) {
  if (!shows(account)) return;
  for (int i = rowCount() - 1; i >= 0; --i) {
    if (rows_[static_cast<std::size_t>(i)].account != account) continue;
    beginRemoveRows({}, i, i);
    rows_.erase(rows_.begin() + i);
    endRemoveRows();
  }
  for (const api::ChatSummary& chat : chats) {
    const int at = placeFor(chat.lastActivity, -1);
    beginInsertRows({}, at, at);
    rows_.insert(rows_.begin() + at, Row{account, chat});
    endInsertRows();
  }
}

void ChatListModel::onEvent(const api::AccountEvent& event) {
  if (const auto* added = std::get_if<api::MessageAdded>(&event)) {
    if (!shows(added->id)) return;
    int row = rowOf(added->id, added->chatJid);
    if (row < 0) {
      api::ChatSummary chat;
      chat.jid = added->chatJid;
      chat.kind = added->chatJid.ends_with("@g.us") ? api::ChatKind::Group : api::ChatKind::Direct;
      const int at = placeFor(added->message.timestamp, -1);
      beginInsertRows({}, at, at);
      rows_.insert(rows_.begin() + at, Row{added->id, std::move(chat)});
      endInsertRows();
      row = at;
    }
    api::ChatSummary& chat = rows_[static_cast<std::size_t>(row)].chat;
    if (added->message.timestamp >= chat.lastActivity) {
      chat.lastActivity = added->message.timestamp;
      chat.hasLastMessage = true;
      chat.lastMessage = added->message;
      if (chat.name.empty() && !added->message.senderName.empty() &&
          chat.kind == api::ChatKind::Direct) {
        chat.name = added->message.senderName;
      }
      const QModelIndex at = index(row);
      Q_EMIT dataChanged(at, at);
      moveTo(row, placeFor(chat.lastActivity, row));
    }
  } else if (const auto* updated = std::get_if<api::MessageUpdated>(&event)) {
    const int row = rowOf(updated->id, updated->chatJid);
    if (row < 0) return;
    api::ChatSummary& chat = rows_[static_cast<std::size_t>(row)].chat;
    if (!chat.hasLastMessage || chat.lastMessage.id != updated->messageId) return;
    if (updated->hasMessage) {
      chat.lastMessage = updated->message;
    } else {
      chat.lastMessage.status = updated->status;
    }
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at);
  } else if (const auto* unread = std::get_if<api::ChatUpdated>(&event)) {
    const int row = rowOf(unread->id, unread->chatJid);
    if (row < 0) return;
    api::ChatSummary& chat = rows_[static_cast<std::size_t>(row)].chat;
    if (chat.unreadCount == unread->unreadCount) return;
    chat.unreadCount = unread->unreadCount;
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at, {UnreadRole, Qt::AccessibleTextRole});
  }
}

}  // namespace chorus::ui
