#include "ui/window/conversation_view.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QIdentityProxyModel>
#include <QKeyEvent>
#include <QMenu>
#include <QScrollBar>
#include <QTimer>

#include <utility>

#include "core/api/message_types.h"
#include "ui/message_list_model.h"
#include "ui/settings.h"
#include "ui/window/look.h"
#include "ui/window/message_delegate.h"

namespace chorus::ui {

// What the view sees of the model: never "more to fetch" (the view pages at the top, not Qt at
// the bottom), authors' numbers as privacy mode allows, and a sentence per message for screen
// readers.
class ConversationView::Proxy : public QIdentityProxyModel {
 public:
  Proxy(const Settings& settings, QObject* parent)
      : QIdentityProxyModel(parent), settings_(settings) {}

  [[nodiscard]] bool canFetchMore(const QModelIndex&) const override { return false; }
  void fetchMore(const QModelIndex&) override {}

  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override {
    if (role == MessageListModel::SenderNameRole) {
      const QString sender = QIdentityProxyModel::data(index, role).toString();
      return sender.startsWith(QLatin1Char('+')) ? settings_.displayNumber(sender) : sender;
    }
    if (role == Qt::AccessibleTextRole) return spoken(index);
    return QIdentityProxyModel::data(index, role);
  }

 private:
  [[nodiscard]] QString spoken(const QModelIndex& index) const {
    const QString text = index.data(MessageListModel::TextRole).toString();
    const QDateTime local = index.data(MessageListModel::TimestampRole).toDateTime().toLocalTime();
    const QString time = QLocale().toString(local.date(), QLocale::ShortFormat) + QLatin1Char(' ') +
                         look::clockText(local.time());
    if (index.data(MessageListModel::OutgoingRole).toBool()) {
      const auto status =
          static_cast<api::MessageStatus>(index.data(MessageListModel::StatusRole).toInt());
      return ConversationView::tr("You, %1, %2: %3").arg(time, look::statusWords(status), text);
    }
    const QString sender = index.data(MessageListModel::SenderNameRole).toString();
    return sender.isEmpty() ? ConversationView::tr("%1: %2").arg(time, text)
                            : ConversationView::tr("%1, %2: %3").arg(sender, time, text);
  }

  const Settings& settings_;
};

ConversationView::ConversationView(MessageListModel& messages, const Settings& settings,
                                   QWidget* parent)
    : QListView(parent),
      messages_(messages),
      proxy_(new Proxy(settings, this)),
      delegate_(new MessageDelegate(this)) {
  setObjectName(QStringLiteral("conversation"));
  setAccessibleName(tr("Messages"));
  proxy_->setSourceModel(&messages_);
  setModel(proxy_);
  setItemDelegate(delegate_);
  setUniformItemSizes(false);
  setWordWrap(true);  // relayout when the width changes: bubbles wrap to the width
  setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setFrameShape(QFrame::NoFrame);
  setMouseTracking(true);
  verticalScrollBar()->setSingleStep(24);

  connect(proxy_, &QAbstractItemModel::rowsAboutToBeInserted, this,
          [this](const QModelIndex&, int start, int) { onAboutToInsert(start); });
  connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
    fetchOlderIfAtTop();
    fetchNewerIfAtBottom();
  });
  connect(proxy_, &QAbstractItemModel::rowsRemoved, this, [this] { restoreAnchorAfterRemoval(); });
  connect(&messages_, &MessageListModel::pageLoaded, this, [this](int, bool) {
    // A page that does not fill the view leaves it at the top: ask for the next one.
    QTimer::singleShot(0, this, [this] { fetchOlderIfAtTop(); });
  });
  connect(delegate_, &MessageDelegate::retryRequested, this,
          [this](const QModelIndex& index) { Q_EMIT retryRequested(sourceRow(index)); });
}

bool ConversationView::isAtBottom() const {
  const QScrollBar* bar = verticalScrollBar();
  return bar->value() >= bar->maximum() - 2;
}

int ConversationView::sourceRow(const QModelIndex& index) const {
  return proxy_->mapToSource(index).row();
}

QModelIndex ConversationView::viewIndex(int sourceRow) const {
  return proxy_->mapFromSource(messages_.index(sourceRow));
}

void ConversationView::onAboutToInsert(int start) {
  const int rows = proxy_->rowCount();
  if (rows == 0) {
    keep_ = Keep::Bottom;  // a chat's first page: show its newest messages
  } else if (start == 0) {
    // Older messages above: remember the first message in sight and where it is.
    executeDelayedItemsLayout();
    QModelIndex first = indexAt(QPoint(viewport()->width() / 2, 1));
    if (!first.isValid()) first = proxy_->index(0, 0);
    keep_ = Keep::Anchor;
    anchorRow_ = first.row();
    anchorTop_ = visualRect(first).top();
  } else if (messages_.isLoadingNewer()) {
    keep_ = Keep::Nothing;  // a newer page below: the rows in sight stay where they are
  } else {
    executeDelayedItemsLayout();
    keep_ = isAtBottom() ? Keep::Bottom : Keep::Nothing;
  }
}

void ConversationView::rowsAboutToBeRemoved(const QModelIndex& parent, int start, int end) {
  removedAbove_ = 0;
  if (start == 0 && end + 1 < proxy_->rowCount()) {
    // The oldest rows leave the window: keep the first row in sight where it is.
    executeDelayedItemsLayout();
    QModelIndex first = indexAt(QPoint(viewport()->width() / 2, 1));
    if (first.isValid() && first.row() > end) {
      anchorRow_ = first.row();
      anchorTop_ = visualRect(first).top();
      removedAbove_ = end - start + 1;
    }
  }
  QListView::rowsAboutToBeRemoved(parent, start, end);
}

void ConversationView::restoreAnchorAfterRemoval() {
  if (removedAbove_ == 0) return;
  const int removed = std::exchange(removedAbove_, 0);
  executeDelayedItemsLayout();
  const QModelIndex anchor = proxy_->index(anchorRow_ - removed, 0);
  if (!anchor.isValid()) return;
  QScrollBar* bar = verticalScrollBar();
  const QSignalBlocker quiet(bar);
  bar->setValue(bar->value() + visualRect(anchor).top() - anchorTop_);
}

void ConversationView::fetchNewerIfAtBottom() {
  if (!isAtBottom()) return;
  if (messages_.canFetchNewer()) messages_.fetchNewer();
}

void ConversationView::rowsInserted(const QModelIndex& parent, int start, int end) {
  QListView::rowsInserted(parent, start, end);
  const Keep keep = keep_;
  keep_ = Keep::Nothing;
  if (keep == Keep::Nothing) return;
  executeDelayedItemsLayout();
  if (keep == Keep::Bottom) {
    scrollToBottom();
    return;
  }
  const QModelIndex anchor = proxy_->index(anchorRow_ + (end - start + 1), 0);
  if (!anchor.isValid()) return;
  QScrollBar* bar = verticalScrollBar();
  const QSignalBlocker quiet(bar);  // no fetch from this jump: the user has not moved
  bar->setValue(bar->value() + visualRect(anchor).top() - anchorTop_);
}

void ConversationView::resizeEvent(QResizeEvent* event) {
  const bool atBottom = isAtBottom();
  QListView::resizeEvent(event);
  if (atBottom) {
    QTimer::singleShot(0, this, [this] {
      executeDelayedItemsLayout();
      scrollToBottom();
    });
  }
}

void ConversationView::fetchOlderIfAtTop() {
  const QScrollBar* bar = verticalScrollBar();
  if (bar->value() > bar->minimum()) return;
  if (messages_.canFetchMore({})) messages_.fetchMore({});
}

void ConversationView::keyPressEvent(QKeyEvent* event) {
  const QModelIndex current = currentIndex();
  const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
  if (enter && current.isValid() &&
      current.data(MessageListModel::StatusRole).toInt() ==
          static_cast<int>(api::MessageStatus::Failed)) {
    Q_EMIT retryRequested(sourceRow(current));
    return;
  }
  if (event->matches(QKeySequence::Copy)) {
    copyCurrent();
    return;
  }
  QListView::keyPressEvent(event);
}

void ConversationView::contextMenuEvent(QContextMenuEvent* event) {
  QModelIndex at =
      event->reason() == QContextMenuEvent::Mouse ? indexAt(event->pos()) : currentIndex();
  if (!at.isValid()) return;
  setCurrentIndex(at);
  QMenu menu(this);
  menu.addAction(tr("Copy text"), this, [this] { copyCurrent(); });
  if (at.data(MessageListModel::StatusRole).toInt() ==
          static_cast<int>(api::MessageStatus::Failed) &&
      at.data(MessageListModel::OutgoingRole).toBool()) {
    const int row = sourceRow(at);
    menu.addAction(tr("Retry sending"), this, [this, row] { Q_EMIT retryRequested(row); });
  }
  menu.exec(event->globalPos());
}

void ConversationView::copyCurrent() {
  const QModelIndex current = currentIndex();
  if (!current.isValid()) return;
  QApplication::clipboard()->setText(current.data(MessageListModel::TextRole).toString());
}

}  // namespace chorus::ui
