#include "ui/window/chat_panel.h"

#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

#include "ui/chat_list_model.h"
#include "ui/settings.h"
#include "ui/window/chat_filter_model.h"

namespace chorus::ui {

ChatPanel::ChatPanel(ChatListModel& chats, const Settings& settings,
                     ChatDelegate::AccountName accountName, QWidget* parent)
    : QWidget(parent),
      chats_(chats),
      filter_(new ChatFilterModel(this)),
      delegate_(new ChatDelegate(settings, std::move(accountName), this)),
      search_(new QLineEdit(this)),
      view_(new QListView(this)),
      empty_(new QLabel(this)) {
  setObjectName(QStringLiteral("chatPanel"));
  filter_->setSourceModel(&chats_);
  filter_->setSettings(&settings);

  search_->setObjectName(QStringLiteral("chatSearch"));
  search_->setPlaceholderText(tr("Search chats by name or number (Ctrl+F)"));
  search_->setAccessibleName(tr("Search chats"));
  search_->setClearButtonEnabled(true);
  search_->installEventFilter(this);
  connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
    filter_->setSearch(text);
    updateEmptyText();
  });

  view_->setObjectName(QStringLiteral("chatList"));
  view_->setAccessibleName(tr("Chats"));
  view_->setModel(filter_);
  view_->setItemDelegate(delegate_);
  view_->setFrameShape(QFrame::NoFrame);
  view_->setMouseTracking(true);
  view_->setUniformItemSizes(true);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) {
              view_->selectionModel()->select(current, QItemSelectionModel::ClearAndSelect);
            }
            Q_EMIT currentChatChanged(filter_->mapToSource(current));
          });

  empty_->setObjectName(QStringLiteral("chatListEmpty"));
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setEnabled(false);  // secondary text colour from the palette
  connect(filter_, &QAbstractItemModel::rowsInserted, this, &ChatPanel::updateEmptyText);
  connect(filter_, &QAbstractItemModel::rowsRemoved, this, &ChatPanel::updateEmptyText);
  connect(filter_, &QAbstractItemModel::modelReset, this, &ChatPanel::updateEmptyText);
  connect(filter_, &QAbstractItemModel::layoutChanged, this, &ChatPanel::updateEmptyText);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  auto* searchRow = new QVBoxLayout;
  searchRow->setContentsMargins(8, 8, 8, 6);
  searchRow->addWidget(search_);
  layout->addLayout(searchRow);
  layout->addWidget(view_, 1);
  layout->addWidget(empty_);
  updateEmptyText();
}

void ChatPanel::setShowAccounts(bool on) {
  delegate_->setShowAccounts(on);
  view_->viewport()->update();
}

QModelIndex ChatPanel::currentChat() const {
  return filter_->mapToSource(view_->currentIndex());
}

void ChatPanel::selectChat(int chatListRow) {
  view_->setCurrentIndex(filter_->mapFromSource(chats_.index(chatListRow)));
}

void ChatPanel::focusSearch() {
  search_->setFocus(Qt::ShortcutFocusReason);
  search_->selectAll();
}

bool ChatPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == search_ && event->type() == QEvent::KeyPress) {
    const auto* key = static_cast<QKeyEvent*>(event);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if ((key->key() == Qt::Key_Down || enter) && filter_->rowCount() > 0) {
      if (enter || !view_->currentIndex().isValid()) view_->setCurrentIndex(filter_->index(0, 0));
      view_->setFocus(Qt::TabFocusReason);
      return true;
    }
    if (key->key() == Qt::Key_Escape && !search_->text().isEmpty()) {
      search_->clear();
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void ChatPanel::updateEmptyText() {
  QString text;
  if (filter_->rowCount() == 0) {
    text = filter_->search().isEmpty() ? tr("No chats yet")
                                       : tr("No chat matches “%1”").arg(filter_->search());
  }
  empty_->setText(text);
  empty_->setVisible(!text.isEmpty());
  view_->setVisible(text.isEmpty());
}

}  // namespace chorus::ui
