#include "ui/window/number_panel.h"

#include <QAction>
#include <QConcatenateTablesProxyModel>
#include <QContextMenuEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/session_list_model.h"
#include "ui/status_text.h"
#include "ui/window/number_delegate.h"

namespace chorus::ui {

namespace {

QToolButton* buttonFor(QAction* action, QWidget* parent) {
  auto* button = new QToolButton(parent);
  button->setDefaultAction(action);
  button->setToolButtonStyle(Qt::ToolButtonTextOnly);
  button->setAutoRaise(false);
  button->setFocusPolicy(Qt::StrongFocus);
  return button;
}

}  // namespace

NumberPanel::NumberPanel(SessionListModel& sessions, QWidget* parent)
    : QWidget(parent),
      sessions_(sessions),
      allModel_(new QStandardItemModel(this)),
      allItem_(new QStandardItem),
      model_(new QConcatenateTablesProxyModel(this)),
      view_(new QListView(this)),
      header_(new QHBoxLayout),
      buttons_(new QHBoxLayout) {
  setObjectName(QStringLiteral("numberPanel"));
  allItem_->setData(QString(), SessionListModel::AccountIdRole);
  allItem_->setData(tr("All numbers"), SessionListModel::NameRole);
  allItem_->setData(tr("All numbers"), Qt::DisplayRole);
  allItem_->setEditable(false);
  allModel_->appendRow(allItem_);
  model_->addSourceModel(allModel_);
  model_->addSourceModel(&sessions_);

  auto* title = new QLabel(tr("Numbers"), this);
  QFont bold = title->font();
  bold.setBold(true);
  title->setFont(bold);
  header_->setContentsMargins(8, 6, 6, 2);
  header_->addWidget(title);
  header_->addStretch();

  view_->setObjectName(QStringLiteral("numberList"));
  view_->setAccessibleName(tr("Numbers"));
  view_->setAccessibleDescription(
      tr("Choose a number to see its chats; the context menu "
         "(Shift+F10) has the number's actions"));
  view_->setModel(model_);
  view_->setItemDelegate(new NumberDelegate(view_));
  view_->setFrameShape(QFrame::NoFrame);
  view_->setMouseTracking(true);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  view_->setContextMenuPolicy(Qt::NoContextMenu);  // handled by the panel (keyboard too)

  buttons_->setContentsMargins(6, 4, 6, 6);
  buttons_->setSpacing(4);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(header_);
  layout->addWidget(view_, 1);
  layout->addLayout(buttons_);

  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid())
              view_->selectionModel()->select(current, QItemSelectionModel::ClearAndSelect);
            onNumbersChanged();
            Q_EMIT selectedNumberChanged();
          });
  connect(&sessions_, &QAbstractItemModel::rowsInserted, this, &NumberPanel::onNumbersChanged);
  connect(&sessions_, &QAbstractItemModel::rowsRemoved, this, &NumberPanel::onNumbersChanged);
  connect(&sessions_, &QAbstractItemModel::modelReset, this, &NumberPanel::onNumbersChanged);
  connect(&sessions_, &QAbstractItemModel::dataChanged, this,
          [this](const QModelIndex& from, const QModelIndex& to) {
            updateAllRow();
            const int selected = sessions_.rowOf(selectedAccount());
            if (selected >= from.row() && selected <= to.row()) Q_EMIT selectedNumberChanged();
          });
  updateAllRow();
  view_->setCurrentIndex(model_->index(0, 0));
}

void NumberPanel::setActions(QAction* add, const QList<QAction*>& primary,
                             const QList<QAction*>& more) {
  auto* addButton = buttonFor(add, this);
  addButton->setObjectName(QStringLiteral("addNumberButton"));
  header_->addWidget(addButton);
  for (QAction* action : primary) buttons_->addWidget(buttonFor(action, this));
  buttons_->addStretch();
  if (!more.isEmpty()) {
    auto* menuButton = new QToolButton(this);
    menuButton->setText(tr("More"));
    menuButton->setAccessibleName(tr("More actions for this number"));
    menuButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(menuButton);
    menu->addActions(more);
    menuButton->setMenu(menu);
    buttons_->addWidget(menuButton);
  }
  contextActions_ = primary + more;
}

api::AccountId NumberPanel::selectedAccount() const {
  return view_->currentIndex().data(SessionListModel::AccountIdRole).toString().toStdString();
}

std::vector<api::AccountId> NumberPanel::shownAccounts() const {
  const api::AccountId selected = selectedAccount();
  if (!selected.empty()) return {selected};
  std::vector<api::AccountId> all;
  for (int row = 0; row < sessions_.rowCount(); ++row) all.push_back(sessions_.account(row)->id);
  return all;
}

void NumberPanel::selectAccount(const api::AccountId& id) {
  const int row = sessions_.rowOf(id);
  if (row >= 0) view_->setCurrentIndex(model_->index(row + 1, 0));
}

void NumberPanel::selectAll() {
  view_->setCurrentIndex(model_->index(0, 0));
}

void NumberPanel::contextMenuEvent(QContextMenuEvent* event) {
  if (event->reason() == QContextMenuEvent::Mouse) {
    const QModelIndex at = view_->indexAt(view_->viewport()->mapFrom(this, event->pos()));
    if (!at.isValid()) return;
    view_->setCurrentIndex(at);
  }
  if (selectedAccount().empty() || contextActions_.isEmpty()) return;
  QMenu menu(this);
  menu.addActions(contextActions_);
  menu.exec(event->globalPos());
}

void NumberPanel::updateAllRow() {
  const int count = sessions_.rowCount();
  int attention = 0;
  for (int row = 0; row < count; ++row) {
    const auto severity = static_cast<Severity>(
        sessions_.data(sessions_.index(row), SessionListModel::SeverityRole).toInt());
    if (severity == Severity::NeedsAction) ++attention;
  }
  QString summary = count == 0   ? tr("No numbers yet")
                    : count == 1 ? tr("1 number")
                                 : tr("%1 numbers").arg(count);
  if (attention > 0) {
    summary +=
        attention == 1 ? tr(" · 1 needs attention") : tr(" · %1 need attention").arg(attention);
  }
  const auto unread = static_cast<int>(sessions_.totalUnread());
  allItem_->setData(summary, SessionListModel::StatusTextRole);
  allItem_->setData(summary, Qt::ToolTipRole);
  allItem_->setData(unread, SessionListModel::UnreadRole);
  allItem_->setData(static_cast<int>(Severity::Fine), SessionListModel::SeverityRole);
  allItem_->setData(unread > 0 ? tr("All numbers, %1, %n unread", nullptr, unread).arg(summary)
                               : tr("All numbers, %1").arg(summary),
                    Qt::AccessibleTextRole);
}

void NumberPanel::onNumbersChanged() {
  updateAllRow();
  if (!view_->currentIndex().isValid()) {
    selectAll();  // the selected number was removed: back to every number (re-enters)
    return;
  }
  std::vector<api::AccountId> shown = shownAccounts();
  if (shown == lastShown_) return;
  lastShown_ = std::move(shown);
  Q_EMIT shownAccountsChanged();
}

}  // namespace chorus::ui
