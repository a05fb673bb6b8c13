// ui::Backend: everything the windows may ask of the engine, and everything they hear from it
// (architecture §1: ui/ sees core only through core/api values). app/desktop implements it on
// the engine thread; tests implement it in memory.
//
// Commands return at once; their outcomes arrive as signals on the GUI thread. Queries carry
// a request number so a model can drop answers it no longer wants (a chat closed meanwhile).
#pragma once

#include <QObject>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

#include "core/api/account_events.h"
#include "core/api/message_types.h"

namespace chorus::ui {

// One page of a chat, oldest first: older than `beforeLocalId` (0: the newest page), or, for
// `newer` pages, newer than `afterLocalId`. `reachedStart` says there is nothing older,
// `reachedEnd` (newer pages) that the newest message is in it.
struct MessagePage {
  std::uint64_t request = 0;
  api::AccountId account;
  std::string chatJid;
  std::int64_t beforeLocalId = 0;
  std::vector<api::MessageView> messages;
  bool reachedStart = false;
  bool newer = false;
  std::int64_t afterLocalId = 0;
  bool reachedEnd = false;
};

class Backend : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;
  ~Backend() override = default;

  // ---- numbers ----
  virtual void addAccount(const QString& name) = 0;
  virtual void renameAccount(const api::AccountId& id, const QString& name) = 0;
  virtual void removeAccount(const api::AccountId& id) = 0;
  virtual void reconnect(const api::AccountId& id) = 0;
  virtual void linkWithQr(const api::AccountId& id) = 0;
  // `phone`: digits, optionally with '+', spaces or dashes.
  virtual void linkWithPhone(const api::AccountId& id, const QString& phone) = 0;

  // ---- chats and messages ----
  // Answered by chatsLoaded.
  virtual void loadChats(const api::AccountId& id) = 0;
  // Up to `limit` messages older than `beforeLocalId` (0: the newest), answered by
  // messagesLoaded with the returned request number.
  virtual std::uint64_t loadMessages(const api::AccountId& id, const std::string& chatJid,
                                     std::int64_t beforeLocalId, int limit) = 0;
  // Up to `limit` messages newer than `afterLocalId`, answered by messagesLoaded (newer = true).
  virtual std::uint64_t loadNewerMessages(const api::AccountId& id, const std::string& chatJid,
                                          std::int64_t afterLocalId, int limit) = 0;
  virtual void sendText(const api::AccountId& id, const std::string& chatJid,
                        const QString& text) = 0;
  virtual void markChatRead(const api::AccountId& id, const std::string& chatJid) = 0;
  // A failed message goes out again with the same id (its row turns queued, then onwards).
  virtual void retryMessage(const api::AccountId& id, const std::string& chatJid,
                            const std::string& messageId) = 0;

 Q_SIGNALS:
  // The whole list of numbers (at start, and after one is added, renamed or removed).
  void accountsLoaded(const std::vector<chorus::api::AccountSummary>& accounts);
  // Everything a number reports: states, QR codes, messages, receipts, unread counts.
  void accountEvent(const chorus::api::AccountEvent& event);
  void chatsLoaded(const chorus::api::AccountId& id,
                   const std::vector<chorus::api::ChatSummary>& chats);
  void messagesLoaded(const chorus::ui::MessagePage& page);
  // A command could not be carried out: `what` names it ("send", "rename"), `why` says why in
  // words for the person (never message text or a full number).
  void commandFailed(const chorus::api::AccountId& id, const QString& what, const QString& why);
};

}  // namespace chorus::ui
