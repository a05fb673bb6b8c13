#include "ui/session_list_model.h"

#include <algorithm>
#include <chrono>
#include <variant>

#include "ui/conversions.h"
#include "ui/status_text.h"

namespace chorus::ui {

SessionListModel::SessionListModel(Backend& backend, Now now, QObject* parent)
    : QAbstractListModel(parent), now_(now ? std::move(now) : Now(systemNow)) {
  connect(&backend, &Backend::accountsLoaded, this, &SessionListModel::onAccountsLoaded);
  connect(&backend, &Backend::accountEvent, this, &SessionListModel::onEvent);
}

int SessionListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant SessionListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  const api::AccountSummary& a = row.summary;
  switch (role) {
    case Qt::DisplayRole:
    case NameRole: return qs(a.name);
    case AccountIdRole: return qs(a.id);
    case MaskedPhoneRole: return qs(a.maskedPhone);
    case StateRole: return static_cast<int>(a.status.state);
    case Qt::ToolTipRole:
    case StatusTextRole:
      return a.problem.empty() ? statusText(a.status, now_()) : qs(a.problem);
    case SeverityRole:
      return static_cast<int>(a.problem.empty() ? severityOf(a.status.state)
                                                : Severity::NeedsAction);
    case UnreadRole: return row.unread;
    case ProblemRole: return qs(a.problem);
    case Qt::AccessibleTextRole:
      return qs(a.name) + QStringLiteral(", ") + statusText(a.status, now_());
    default: return {};
  }
}

QHash<int, QByteArray> SessionListModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names.insert(AccountIdRole, "accountId");
  names.insert(NameRole, "name");
  names.insert(MaskedPhoneRole, "maskedPhone");
  names.insert(StateRole, "state");
  names.insert(StatusTextRole, "statusText");
  names.insert(SeverityRole, "severity");
  names.insert(UnreadRole, "unread");
  names.insert(ProblemRole, "problem");
  return names;
}

int SessionListModel::rowOf(const api::AccountId& id) const {
  const auto it = std::find_if(rows_.begin(), rows_.end(),
                               [&](const Row& r) { return r.summary.id == id; });
  return it == rows_.end() ? -1 : static_cast<int>(it - rows_.begin());
}

const api::AccountSummary* SessionListModel::account(int row) const {
  if (row < 0 || row >= rowCount()) return nullptr;
  return &rows_[static_cast<std::size_t>(row)].summary;
}

long long SessionListModel::totalUnread() const {
  long long total = 0;
  for (const Row& r : rows_) total += r.unread;
  return total;
}

void SessionListModel::refreshCountdowns() {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].summary.status.nextRetryAt) changed(static_cast<int>(i));
  }
}

void SessionListModel::changed(int row) {
  const QModelIndex at = index(row);
  Q_EMIT dataChanged(at, at);
}

// The new list in the engine's order: rows that went away are removed, new ones inserted where
// they belong, the others updated in place.
void SessionListModel::onAccountsLoaded(const std::vector<api::AccountSummary>& accounts) {
  for (int i = rowCount() - 1; i >= 0; --i) {
    const auto& id = rows_[static_cast<std::size_t>(i)].summary.id;
    const bool kept = std::any_of(accounts.begin(), accounts.end(),
                                  [&](const api::AccountSummary& a) { return a.id == id; });
    if (kept) continue;
    beginRemoveRows({}, i, i);
    rows_.erase(rows_.begin() + i);
    endRemoveRows();
  }
  for (std::size_t target = 0; target < accounts.size(); ++target) {
    const api::AccountSummary& a = accounts[target];
    const int at = rowOf(a.id);
    const int want = static_cast<int>(target);
    if (at < 0) {
      beginInsertRows({}, want, want);
      rows_.insert(rows_.begin() + want, Row{a, 0});
      endInsertRows();
      continue;
    }
    if (at != want) {
      beginMoveRows({}, at, at, {}, want);
      Row moved = std::move(rows_[static_cast<std::size_t>(at)]);
      rows_.erase(rows_.begin() + at);
      rows_.insert(rows_.begin() + want, std::move(moved));
      endMoveRows();
    }
    Row& row = rows_[target];
    if (!(row.summary == a)) {
      const api::ConnectionState previous = row.summary.status.state;
      const bool stateMoved = previous != a.status.state;
      row.summary = a;
      changed(want);
      if (stateMoved) Q_EMIT stateChanged(a.id, previous, a.status);
    }
  }
}

void SessionListModel::onEvent(const api::AccountEvent& event) {
  if (const auto* status = std::get_if<api::AccountStatusEvent>(&event)) {
    const int row = rowOf(status->id);
    if (row < 0) return;
    Row& r = rows_[static_cast<std::size_t>(row)];
    r.summary.status = status->change.status;
    changed(row);
    if (status->change.previous != status->change.status.state) {
      Q_EMIT stateChanged(status->id, status->change.previous, status->change.status);
    }
  } else if (const auto* linked = std::get_if<api::AccountLinked>(&event)) {
    const int row = rowOf(linked->id);
    if (row < 0) return;
    rows_[static_cast<std::size_t>(row)].summary.maskedPhone = linked->maskedPhone;
    changed(row);
  } else if (const auto* chat = std::get_if<api::ChatUpdated>(&event)) {
    const int row = rowOf(chat->id);
    if (row < 0) return;
    Row& r = rows_[static_cast<std::size_t>(row)];
    const int unread = static_cast<int>(chat->totalUnread);
    if (r.unread == unread) return;
    r.unread = unread;
    changed(row);
    Q_EMIT totalUnreadChanged(totalUnread());
  }
}

}  // namespace chorus::ui
