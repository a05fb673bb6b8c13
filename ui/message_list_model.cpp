#include "ui/message_list_model.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <chrono>
#include <variant>

namespace chorus::ui {

namespace {

QString qs(const std::string& s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

qint64 msOf(api::MessageTime t) {
  return static_cast<qint64>(t.time_since_epoch().count());
}

QDate localDay(api::MessageTime t) {
  return QDateTime::fromMSecsSinceEpoch(msOf(t), QTimeZone::utc()).toLocalTime().date();
}

QString senderOf(const api::MessageView& m) {
  if (!m.senderName.empty()) return qs(m.senderName);
  const std::string user = m.senderJid.substr(0, m.senderJid.find('@'));
  return user.empty() ? QString() : QStringLiteral("+") + qs(user);
}

}  // namespace

MessageListModel::MessageListModel(Backend& backend, QObject* parent)
    : QAbstractListModel(parent), backend_(backend) {
  connect(&backend, &Backend::messagesLoaded, this, &MessageListModel::onPage);
  connect(&backend, &Backend::accountEvent, this, &MessageListModel::onEvent);
}

void MessageListModel::open(const api::AccountId& account, const std::string& chatJid) {
  beginResetModel();
  account_ = account;
  chat_ = chatJid;
  rows_.clear();
  reachedStart_ = false;
  firstPage_ = true;
  // Asked before the reset ends, so a view reacting to the reset does not ask again.
  pending_ = backend_.loadMessages(account_, chat_, 0, kPageSize);
  endResetModel();
}

void MessageListModel::close() {
  beginResetModel();
  account_.clear();
  chat_.clear();
  rows_.clear();
  pending_ = 0;
  reachedStart_ = true;
  endResetModel();
}

const api::MessageView* MessageListModel::message(int row) const {
  if (row < 0 || row >= rowCount()) return nullptr;
  return &rows_[static_cast<std::size_t>(row)];
}

int MessageListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

bool MessageListModel::startsDay(std::size_t row) const {
  if (row == 0) return true;
  return localDay(rows_[row].timestamp) != localDay(rows_[row - 1].timestamp);
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const auto row = static_cast<std::size_t>(index.row());
  const api::MessageView& m = rows_[row];
  switch (role) {
    case Qt::DisplayRole:
    case TextRole:
      return m.kind == api::MessageKind::Placeholder ? tr("Waiting for this message…")
                                                     : qs(m.text);
    case IdRole: return qs(m.id);
    case LocalIdRole: return static_cast<qlonglong>(m.localId);
    case OutgoingRole: return m.direction == api::MessageDirection::Outgoing;
    case StatusRole: return static_cast<int>(m.status);
    case KindRole: return static_cast<int>(m.kind);
    case TimestampRole: return QDateTime::fromMSecsSinceEpoch(msOf(m.timestamp), QTimeZone::utc());
    case SenderNameRole: return senderOf(m);
    case FailureRole: return qs(m.failureReason);
    case StartsDayRole: return startsDay(row);
    default: return {};
  }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names.insert(TextRole, "text");
  names.insert(IdRole, "id");
  names.insert(LocalIdRole, "localId");
  names.insert(OutgoingRole, "outgoing");
  names.insert(StatusRole, "status");
  names.insert(KindRole, "kind");
  names.insert(TimestampRole, "timestamp");
  names.insert(SenderNameRole, "senderName");
  names.insert(FailureRole, "failure");
  names.insert(StartsDayRole, "startsDay");
  return names;
}

bool MessageListModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !chat_.empty() && !reachedStart_ && pending_ == 0;
}

void MessageListModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  const std::int64_t before = rows_.empty() ? 0 : rows_.front().localId;
  pending_ = backend_.loadMessages(account_, chat_, before, kPageSize);
}

void MessageListModel::onPage(const MessagePage& page) {
  if (page.request != pending_ || page.account != account_ || page.chatJid != chat_) return;
  // Messages that arrived (appended) while the page was on its way are not inserted twice.
  std::vector<api::MessageView> older;
  for (const api::MessageView& m : page.messages) {
    const bool known = std::any_of(rows_.begin(), rows_.end(),
                                   [&](const api::MessageView& r) { return r.localId == m.localId; });
    if (!known) older.push_back(m);
  }
  const bool first = firstPage_;
  firstPage_ = false;
  if (!older.empty()) {
    beginInsertRows({}, 0, static_cast<int>(older.size()) - 1);
    rows_.insert(rows_.begin(), older.begin(), older.end());
    endInsertRows();
    // The row that used to be first may no longer start a day.
    const QModelIndex was = index(static_cast<int>(older.size()));
    if (was.isValid()) Q_EMIT dataChanged(was, was, {StartsDayRole});
  }
  // Only now: a view that reacts to the insertion by asking for more asks for the next page.
  pending_ = 0;
  reachedStart_ = page.reachedStart;
  Q_EMIT pageLoaded(static_cast<int>(older.size()), first);
}

int MessageListModel::rowOfId(const std::string& id) const {
  // Receipts are for recent messages: look from the end.
  for (std::size_t i = rows_.size(); i-- > 0;) {
    if (rows_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

void MessageListModel::onEvent(const api::AccountEvent& event) {
  if (const auto* added = std::get_if<api::MessageAdded>(&event)) {
    if (added->id != account_ || added->chatJid != chat_) return;
    const int at = static_cast<int>(rows_.size());
    beginInsertRows({}, at, at);
    rows_.push_back(added->message);
    endInsertRows();
  } else if (const auto* updated = std::get_if<api::MessageUpdated>(&event)) {
    if (updated->id != account_ || updated->chatJid != chat_) return;
    const int row = rowOfId(updated->messageId);
    if (row < 0) return;
    api::MessageView& m = rows_[static_cast<std::size_t>(row)];
    if (updated->hasMessage) {
      m = updated->message;
    } else {
      m.status = updated->status;
    }
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at);
  }
}

}  // namespace chorus::ui
