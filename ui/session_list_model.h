// The list of numbers for the main window and the tray: one row per account, in the order the
// engine lists them. Kept up to date one row at a time — a status change, a rename or an
// unread count changes one row's data; an added or removed number inserts or removes one row —
// so views keep their selection and scroll position (no model reset after the first load).
#pragma once

#include <QAbstractListModel>

#include <functional>
#include <vector>

#include "core/api/account_events.h"
#include "ui/backend.h"

namespace chorus::ui {

class SessionListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    AccountIdRole = Qt::UserRole + 1,  // QString
    NameRole,                          // QString
    MaskedPhoneRole,                   // QString ("+44••••••123", empty until linked)
    StateRole,                         // int (api::ConnectionState)
    StatusTextRole,                    // QString (statusText)
    SeverityRole,                      // int (ui::Severity)
    UnreadRole,                        // int: unread messages over all chats of the number
    ProblemRole,                       // QString: why the number cannot be used at all
  };
  using Now = std::function<api::TimePoint()>;

  explicit SessionListModel(Backend& backend, Now now = {}, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

  [[nodiscard]] int rowOf(const api::AccountId& id) const;
  [[nodiscard]] const api::AccountSummary* account(int row) const;
  [[nodiscard]] long long totalUnread() const;

  // Countdowns ("next try in 18 s") move with the clock: call every second while shown.
  void refreshCountdowns();

 Q_SIGNALS:
  // A number's state changed (previous state first): the tray decides about notifications.
  void stateChanged(const chorus::api::AccountId& id, chorus::api::ConnectionState previous,
                    const chorus::api::ConnectionStatus& now);
  void totalUnreadChanged(long long total);

 private:
  struct Row {
    api::AccountSummary summary;
    int unread = 0;
  };
  void onAccountsLoaded(const std::vector<api::AccountSummary>& accounts);
  void onEvent(const api::AccountEvent& event);
  void changed(int row);

  Now now_;
  std::vector<Row> rows_;
};

}  // namespace chorus::ui
