// The chats of the numbers shown (one selected number, or all of them, each chat naming its
// number), most recent activity first, with unread counts and the last message as a preview.
// Incremental: a new message moves its chat to the top (a row move, or an insert for a new
// chat) and updates its preview; an unread count changes one row. Only choosing other numbers
// resets the model.
#pragma once

#include <QAbstractListModel>

#include <string>
#include <vector>

#include "core/api/account_events.h"
#include "ui/backend.h"

namespace chorus::ui {

class ChatListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    AccountIdRole = Qt::UserRole + 1,  // QString: the number this chat belongs to
    ChatJidRole,                       // QString
    TitleRole,                         // QString: name, else the number (+15551234567)
    PreviewRole,                       // QString: the last message's text, one line
    UnreadRole,                        // int
    LastActivityRole,                  // QDateTime (UTC), invalid when none
    IsGroupRole,                       // bool
    LastStatusRole,                    // int (api::MessageStatus) of our last message, else -1
  };

  explicit ChatListModel(Backend& backend, QObject* parent = nullptr);

  // Shows the chats of these numbers (asks the backend for each list).
  void showAccounts(std::vector<api::AccountId> accounts);
  [[nodiscard]] const std::vector<api::AccountId>& accounts() const noexcept { return accounts_; }

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
  [[nodiscard]] int rowOf(const api::AccountId& account, const std::string& chatJid) const;

 private:
  struct Row {
    api::AccountId account;
    api::ChatSummary chat;
  };
  void onChats(const api::AccountId& account, const std::vector<api::ChatSummary>& chats);
  void onEvent(const api::AccountEvent& event);
  [[nodiscard]] bool shows(const api::AccountId& account) const;
  // Where a chat with this activity belongs (before the first older one).
  [[nodiscard]] int placeFor(api::MessageTime activity, int ignoring) const;
  void moveTo(int from, int to);

  Backend& backend_;
  std::vector<api::AccountId> accounts_;
  std::vector<Row> rows_;
};

}  // namespace chorus::ui
