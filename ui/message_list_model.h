// The messages of the open chat, oldest first, for the conversation view (painted by a delegate:
// one row per message, no widget per message). Paged: the newest page when a chat opens, older
// pages when the view scrolls to the top (canFetchMore/fetchMore), each inserted above the rows
// already there. New messages are appended, receipts change one row's status: no reset except
// when another chat is opened.
//
// A bounded window: at most kMaxRows rows are held. An older page that makes more drops as many
// from the newest end (the view is at the top then); scrolling back down fetches newer pages
// (canFetchNewer/fetchNewer), which drop rows from the oldest end. So a chat of 50,000 messages
// costs the view the same per page as one of 500. New messages are appended only while the
// window reaches the newest one; otherwise they come with the newer pages.
#pragma once

#include <QAbstractListModel>
#include <QDate>

#include <cstdint>
#include <string>
#include <vector>

#include "core/api/message_types.h"
#include "ui/backend.h"

namespace chorus::ui {

class MessageListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    TextRole = Qt::UserRole + 1,  // QString
    IdRole,                       // QString: the wire id
    LocalIdRole,                  // qlonglong
    OutgoingRole,                 // bool
    StatusRole,                   // int (api::MessageStatus)
    KindRole,                     // int (api::MessageKind)
    TimestampRole,                // QDateTime (UTC)
    SenderNameRole,               // QString: the author's push name, or their number, in groups
    FailureRole,                  // QString: why it failed (status Failed)
    StartsDayRole,                // bool: the first message of its day (a day separator above)
  };
  static constexpr int kPageSize = 50;
  static constexpr int kMaxRows = 4 * kPageSize;

  explicit MessageListModel(Backend& backend, QObject* parent = nullptr);

  // Shows `chatJid` of `account`: the rows go, the newest page is asked for.
  void open(const api::AccountId& account, const std::string& chatJid);
  void close();
  [[nodiscard]] const api::AccountId& account() const noexcept { return account_; }
  [[nodiscard]] const std::string& chatJid() const noexcept { return chat_; }
  [[nodiscard]] bool isLoading() const noexcept { return pending_ != 0; }
  [[nodiscard]] bool reachedStart() const noexcept { return reachedStart_; }
  // The newest message of the chat is in the window.
  [[nodiscard]] bool reachedEnd() const noexcept { return reachedEnd_; }
  [[nodiscard]] bool isLoadingNewer() const noexcept { return pending_ != 0 && pendingNewer_; }
  [[nodiscard]] bool canFetchNewer() const;
  void fetchNewer();
  [[nodiscard]] const api::MessageView* message(int row) const;

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
  [[nodiscard]] bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

 Q_SIGNALS:
  // A page arrived (the first one: the chat is shown).
  void pageLoaded(int rows, bool first);

 private:
  void onPage(const MessagePage& page);
  void onNewerPage(const MessagePage& page);
  void trimNewest();
  void trimOldest();
  void onEvent(const api::AccountEvent& event);
  [[nodiscard]] int rowOfId(const std::string& id) const;
  [[nodiscard]] bool startsDay(std::size_t row) const;

  Backend& backend_;
  api::AccountId account_;
  std::string chat_;
  std::vector<api::MessageView> rows_;
  // Each row's local calendar day, worked out once: asking the time zone per row and layout
  // is what made day separators expensive.
  std::vector<QDate> days_;
  std::uint64_t pending_ = 0;  // the request whose page is awaited, 0: none
  bool pendingNewer_ = false;  // that request is for newer messages
  bool reachedStart_ = false;
  bool reachedEnd_ = true;
  bool firstPage_ = true;
};

}  // namespace chorus::ui
