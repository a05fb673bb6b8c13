// The left column: the numbers, with "All numbers" on top, "Add number" above them and the
// selected number's actions below (buttons and a context menu sharing the window's actions).
#pragma once

#include <QList>
#include <QWidget>
#include <vector>

#include "core/api/account_events.h"

class QAction;
class QConcatenateTablesProxyModel;
class QListView;
class QStandardItem;
class QStandardItemModel;
class QToolButton;
class QHBoxLayout;

namespace chorus::ui {

class SessionListModel;

class NumberPanel : public QWidget {
  Q_OBJECT

 public:
  explicit NumberPanel(SessionListModel& sessions, QWidget* parent = nullptr);

  // `add` goes in the header; `primary` become buttons under the list; `more` a menu button.
  // All of them make up the context menu of a number.
  void setActions(QAction* add, const QList<QAction*>& primary, const QList<QAction*>& more);

  [[nodiscard]] QListView* view() const { return view_; }
  // The number selected, or empty for "All numbers".
  [[nodiscard]] api::AccountId selectedAccount() const;
  // The numbers whose chats are shown: the selected one, or every number.
  [[nodiscard]] std::vector<api::AccountId> shownAccounts() const;
  void selectAccount(const api::AccountId& id);
  void selectAll();

 Q_SIGNALS:
  // Another number (or "All numbers") was chosen, or the list of numbers under "All" changed.
  void shownAccountsChanged();
  // The selected number's state or name changed (actions may need enabling or disabling).
  void selectedNumberChanged();

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void updateAllRow();
  void onNumbersChanged();

  SessionListModel& sessions_;
  QStandardItemModel* allModel_;
  QStandardItem* allItem_;
  QConcatenateTablesProxyModel* model_;
  QListView* view_;
  QHBoxLayout* header_;
  QHBoxLayout* buttons_;
  QList<QAction*> contextActions_;
  std::vector<api::AccountId> lastShown_;
};

}  // namespace chorus::ui
