// The middle column: a search field over the chats of the numbers shown and the chat list.
// Down from the search field goes into the list; Enter there opens the first chat found.
#pragma once

#include <QModelIndex>
#include <QWidget>

#include "ui/window/chat_delegate.h"

class QLabel;
class QLineEdit;
class QListView;

namespace chorus::ui {

class ChatFilterModel;
class ChatListModel;
class Settings;

class ChatPanel : public QWidget {
  Q_OBJECT

 public:
  ChatPanel(ChatListModel& chats, const Settings& settings, ChatDelegate::AccountName accountName,
            QWidget* parent = nullptr);

  [[nodiscard]] QLineEdit* searchField() const { return search_; }
  [[nodiscard]] QListView* view() const { return view_; }
  [[nodiscard]] ChatFilterModel* filter() const { return filter_; }
  // Chats of several numbers: each shows its number's name.
  void setShowAccounts(bool on);
  // The chat list model's index of the chat chosen, invalid when none.
  [[nodiscard]] QModelIndex currentChat() const;
  void selectChat(int chatListRow);
  void focusSearch();

 Q_SIGNALS:
  // Another chat was chosen (by mouse, keyboard or search); invalid: none.
  void currentChatChanged(const QModelIndex& chatListIndex);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void updateEmptyText();

  ChatListModel& chats_;
  ChatFilterModel* filter_;
  ChatDelegate* delegate_;
  QLineEdit* search_;
  QListView* view_;
  QLabel* empty_;
};

}  // namespace chorus::ui
