#include "ui/message_list_model.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <chrono>
#include <variant>

#include "ui/conversions.h"

namespace chorus::ui {

namespace {

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
  days_.clear();
  reachedStart_ = false;
  reachedEnd_ = true;
  firstPage_ = true;
  // Asked before the reset ends, so a view reacting to the reset does not ask again.
  pendingNewer_ = false;
  pending_ = backend_.loadMessages(account_, chat_, 0, kPageSize);
  endResetModel();
}

void MessageListModel::close() {
  beginResetModel();
  account_.clear();
  chat_.clear();
  rows_.clear();
  days_.clear();
  pending_ = 0;
  reachedStart_ = true;
  reachedEnd_ = true;
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
  return days_[row] != days_[row - 1];
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
  pendingNewer_ = false;
  pending_ = backend_.loadMessages(account_, chat_, before, kPageSize);
}

bool MessageListModel::canFetchNewer() const {
  return !chat_.empty() && !reachedEnd_ && pending_ == 0 && !rows_.empty();
}

void MessageListModel::fetchNewer() {
  if (!canFetchNewer()) return;
  pendingNewer_ = true;
  pending_ = backend_.loadNewerMessages(account_, chat_, rows_.back().localId, kPageSize);
}

// Rows beyond the window go from the newest end (after an older page: the view is at the top).
void MessageListModel::trimNewest() {
  const int over = rowCount() - kMaxRows;
  if (over <= 0) return;
  beginRemoveRows({}, kMaxRows, rowCount() - 1);
  rows_.erase(rows_.begin() + kMaxRows, rows_.end());
  days_.erase(days_.begin() + kMaxRows, days_.end());
  endRemoveRows();
  reachedEnd_ = false;
}

// ... or from the oldest end (after a newer page: the view is at the bottom).
void MessageListModel::trimOldest() {
  const int over = rowCount() - kMaxRows;
  if (over <= 0) return;
  beginRemoveRows({}, 0, over - 1);
  rows_.erase(rows_.begin(), rows_.begin() + over);
  days_.erase(days_.begin(), days_.begin() + over);
  endRemoveRows();
  reachedStart_ = false;
  // The row that is first now starts the window: it shows its day.
  const QModelIndex first = index(0);
  if (first.isValid()) Q_EMIT dataChanged(first, first, {StartsDayRole});
}

void MessageListModel::onNewerPage(const MessagePage& page) {
  std::vector<api::MessageView> newer;
  for (const api::MessageView& m : page.messages) {
    const bool known = std::any_of(rows_.begin(), rows_.end(),
                                   [&](const api::MessageView& r) { return r.localId == m.localId; });
    if (!known) newer.push_back(m);
  }
  if (!newer.empty()) {
    const int at = rowCount();
    beginInsertRows({}, at, at + static_cast<int>(newer.size()) - 1);
    rows_.insert(rows_.end(), newer.begin(), newer.end());
    for (const api::MessageView& m : newer) days_.push_back(localDay(m.timestamp));
    endInsertRows();
  }
  pending_ = 0;
  pendingNewer_ = false;
  reachedEnd_ = page.reachedEnd;
  trimOldest();
  Q_EMIT pageLoaded(static_cast<int>(newer.size()), false);
}

void MessageListModel::onPage(const MessagePage& page) {
  if (page.request != pending_ || page.account != account_ || page.chatJid != chat_) return;
  if (page.newer) return onNewerPage(page);
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
    std::vector<QDate> olderDays;
    for (const api::MessageView& m : older) olderDays.push_back(localDay(m.timestamp));
    days_.insert(days_.begin(), olderDays.begin(), olderDays.end());
    endInsertRows();
    // The row that used to be first may no longer start a day.
    const QModelIndex was = index(static_cast<int>(older.size()));
    if (was.isValid()) Q_EMIT dataChanged(was, was, {StartsDayRole});
  }
  // Only now: a view that reacts to the insertion by asking for more asks for the next page.
  pending_ = 0;
  reachedStart_ = page.reachedStart;
  trimNewest();
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
    if (!reachedEnd_) return;  // the window is further back: it comes with the newer pages
    const int at = static_cast<int>(rows_.size());
    beginInsertRows({}, at, at);
    rows_.push_back(added->message);
    days_.push_back(localDay(added->message.timestamp));
    endInsertRows();
  } else if (const auto* updated = std::get_if<api::MessageUpdated>(&event)) {
    if (updated->id != account_ || updated->chatJid != chat_) return;
    const int row = rowOfId(updated->messageId);
    if (row < 0) return;
    api::MessageView& m = rows_[static_cast<std::size_t>(row)];
    if (updated->hasMessage) {
      m = updated->message;
      days_[static_cast<std::size_t>(row)] = localDay(m.timestamp);
    } else {
      m.status = updated->status;
    }
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at);
  }
}

}  // namespace chorus::ui
