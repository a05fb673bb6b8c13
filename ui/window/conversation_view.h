// The open chat's messages: a QListView over MessageListModel painted by MessageDelegate.
//   * Paging: when the scroll bar reaches the top, the next older page is asked for
//     (MessageListModel::fetchMore), and when it arrives above, the messages in sight stay
//     where they were. The view never fetches by itself at the bottom (Qt's default for
//     canFetchMore models), which would page through the whole history.
//   * New messages scroll into sight when the view was at the bottom; otherwise it stays put.
//   * A failed message is retried by its "Retry" link, Enter, or the context menu.
#pragma once

#include <QListView>

namespace chorus::ui {

class MessageDelegate;
class MessageListModel;
class Settings;

class ConversationView : public QListView {
  Q_OBJECT

 public:
  ConversationView(MessageListModel& messages, const Settings& settings, QWidget* parent = nullptr);

  [[nodiscard]] MessageDelegate* messageDelegate() const { return delegate_; }
  [[nodiscard]] bool isAtBottom() const;
  // The MessageListModel row shown at `index` of this view.
  [[nodiscard]] int sourceRow(const QModelIndex& index) const;
  [[nodiscard]] QModelIndex viewIndex(int sourceRow) const;

 Q_SIGNALS:
  void retryRequested(int messageRow);

 protected:
  void rowsInserted(const QModelIndex& parent, int start, int end) override;
  void rowsAboutToBeRemoved(const QModelIndex& parent, int start, int end) override;
  void resizeEvent(QResizeEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  enum class Keep { Nothing, Bottom, Anchor };
  void onAboutToInsert(int start);
  void fetchOlderIfAtTop();
  // The window of rows the model holds is bounded: at the bottom of it, the next newer page.
  void fetchNewerIfAtBottom();
  void restoreAnchorAfterRemoval();
  void copyCurrent();

  MessageListModel& messages_;
  class Proxy;
  Proxy* proxy_;
  MessageDelegate* delegate_;
  Keep keep_ = Keep::Nothing;
  int anchorRow_ = -1;  // a row in sight before older rows were inserted above
  int removedAbove_ = 0;  // rows about to go from above the anchor (the window moving down)
  int anchorTop_ = 0;   // its top, in viewport coordinates
};

}  // namespace chorus::ui
