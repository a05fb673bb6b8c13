// An in-memory ui::Backend for model tests: it records commands and answers queries only when
// the test says so (answerMessages), so tests control the order of pages and events.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "ui/backend.h"

namespace chorus::ui::test {

inline api::MessageTime at(long long seconds) {
  return api::MessageTime{std::chrono::seconds(seconds)};
}

inline api::MessageView textMessage(std::int64_t localId, long long seconds, std::string text,
                                    bool outgoing = false) {
  api::MessageView m;
  m.localId = localId;
  m.id = "3EB0" + std::to_string(localId);
  m.direction = outgoing ? api::MessageDirection::Outgoing : api::MessageDirection::Incoming;
  m.status = outgoing ? api::MessageStatus::Sent : api::MessageStatus::Delivered;
  m.timestamp = at(seconds);
  m.text = std::move(text);
  if (!outgoing) m.senderJid = "15550000002@s.whatsapp.net";
  return m;
}

// A chat summary whose last message (`last`, "Hello" when empty) came `lastSeconds` after
// the epoch.
inline api::ChatSummary chat(std::string jid, std::string name, long long lastSeconds,
                             int unread = 0, std::string last = "") {
  api::ChatSummary c;
  c.jid = std::move(jid);
  c.kind = c.jid.ends_with("@g.us") ? api::ChatKind::Group : api::ChatKind::Direct;
  c.name = std::move(name);
  c.unreadCount = unread;
  c.lastActivity = at(lastSeconds);
  c.hasLastMessage = true;
  c.lastMessage = textMessage(lastSeconds, lastSeconds, last.empty() ? "Hello" : last);
  return c;
}

class FakeBackend final : public Backend {
 public:
  struct MessageRequest {
    std::uint64_t request;
    api::AccountId account;
    std::string chat;
    std::int64_t before;
    int limit;
    bool newer = false;
    std::int64_t after = 0;
  };

  void addAccount(const QString& name) override { commands.push_back("add " + name.toStdString()); }
  void renameAccount(const api::AccountId& id, const QString& name) override {
    commands.push_back("rename " + id + " " + name.toStdString());
  }
  void removeAccount(const api::AccountId& id) override { commands.push_back("remove " + id); }
  void reconnect(const api::AccountId& id) override { commands.push_back("reconnect " + id); }
  void linkWithQr(const api::AccountId& id) override { commands.push_back("qr " + id); }
  void linkWithPhone(const api::AccountId& id, const QString& phone) override {
    commands.push_back("phone " + id + " " + phone.toStdString());
  }
  void loadChats(const api::AccountId& id) override { chatRequests.push_back(id); }
  std::uint64_t loadMessages(const api::AccountId& id, const std::string& chatJid,
                             std::int64_t beforeLocalId, int limit) override {
    messageRequests.push_back({++lastRequest, id, chatJid, beforeLocalId, limit});
    return lastRequest;
  }
  std::uint64_t loadNewerMessages(const api::AccountId& id, const std::string& chatJid,
                                  std::int64_t afterLocalId, int limit) override {
    messageRequests.push_back({++lastRequest, id, chatJid, 0, limit, true, afterLocalId});
    return lastRequest;
  }
  void sendText(const api::AccountId& id, const std::string& chatJid, const QString& text) override {
    commands.push_back("send " + id + " " + chatJid + " " + text.toStdString());
  }
  void markChatRead(const api::AccountId& id, const std::string& chatJid) override {
    commands.push_back("read " + id + " " + chatJid);
  }
  void retryMessage(const api::AccountId& id, const std::string& chatJid,
                    const std::string& messageId) override {
    commands.push_back("retry " + id + " " + chatJid + " " + messageId);
  }

  // Answers the oldest open message request from `stored` (a chat's messages, oldest first),
  // as the engine would: the `limit` just older than `before`, oldest first.
  void answerMessages(const std::vector<api::MessageView>& stored) {
    if (messageRequests.empty()) return;
    const MessageRequest r = messageRequests.front();
    messageRequests.erase(messageRequests.begin());
    if (r.newer) {
      auto begin = std::find_if(stored.begin(), stored.end(),
                                [&](const api::MessageView& m) { return m.localId > r.after; });
      const auto count = std::min<std::ptrdiff_t>(r.limit, stored.end() - begin);
      MessagePage page;
      page.request = r.request;
      page.account = r.account;
      page.chatJid = r.chat;
      page.newer = true;
      page.afterLocalId = r.after;
      page.messages.assign(begin, begin + count);
      page.reachedEnd = begin + count == stored.end();
      Q_EMIT messagesLoaded(page);
      return;
    }
    auto end = stored.end();
    if (r.before != 0) {
      end = std::find_if(stored.begin(), stored.end(),
                         [&](const api::MessageView& m) { return m.localId == r.before; });
    }
    const auto count = std::min<std::ptrdiff_t>(r.limit, end - stored.begin());
    MessagePage page;
    page.request = r.request;
    page.account = r.account;
    page.chatJid = r.chat;
    page.beforeLocalId = r.before;
    page.messages.assign(end - count, end);
    page.reachedStart = end - count == stored.begin();
    Q_EMIT messagesLoaded(page);
  }

  std::vector<std::string> commands;
  std::vector<api::AccountId> chatRequests;
  std::vector<MessageRequest> messageRequests;
  std::uint64_t lastRequest = 0;
};

}  // namespace chorus::ui::test
