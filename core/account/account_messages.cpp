// Account's chats, messages and groups: reads of the message store, and the commands that go
// through the Messenger (the Impl's enter/carry/leave runs their effects in order).
#include <utility>

#include "core/account/account_impl.h"
#include "core/store/chat_store.h"

namespace chorus::core::account {

Status Account::sendText(std::string_view chatJid, std::string_view text, std::string* id) {
  Impl& d = *impl_;
  if (!d.closed && d.messenger && !d.linked)
    return fail(Errc::InvalidArgument, "this number is not linked: link it first");
  return Impl::runMessenger(d, [&](Messenger& messenger) {
    std::string wireId;
    auto out = messenger.sendText(chatJid, text, &wireId);
    if (out && id != nullptr) *id = std::move(wireId);
    return out;
  });
}

Status Account::retryMessage(std::string_view chatJid, std::string_view messageId) {
  return Impl::runMessenger(*impl_, [&](Messenger& messenger) {
    return messenger.retryMessage(chatJid, messageId);
  });
}

Status Account::markChatRead(std::string_view chatJid) {
  return Impl::runMessenger(*impl_,
                            [&](Messenger& messenger) { return messenger.markChatRead(chatJid); });
}

Result<std::vector<api::ChatSummary>> Account::chats(std::size_t limit) {
  Impl& d = *impl_;
  if (d.closed || !d.db) return fail(Errc::InvalidArgument, "the account is closed");
  return store::ChatStore(*d.db, d.cipher, *d.lookupKey).chatList(limit);
}

// By wire id: the page before that message (the CLI's --before), or the newest page.
Result<std::vector<api::MessageView>> Account::messages(std::string_view chatJid,
                                                        std::string_view beforeId,
                                                        std::size_t limit) {
  if (beforeId.empty()) return messagesBefore(chatJid, 0, limit);
  CHORUS_TRY(query, impl_->messageQuery());
  CHORUS_TRY(anchor, query.localIdOf(chatJid, beforeId));
  if (!anchor) return fail(Errc::NotFound, "no message with this id in the chat");
  return messagesBefore(chatJid, *anchor, limit);
}

Result<std::vector<api::MessageView>> Account::messagesBefore(std::string_view chatJid,
                                                              std::int64_t beforeLocalId,
                                                              std::size_t limit) {
  CHORUS_TRY(query, impl_->messageQuery());
  if (beforeLocalId == 0) return query.latest(chatJid, limit);
  return query.before(chatJid, beforeLocalId, limit);
}

Result<std::vector<api::MessageView>> Account::messagesAfter(std::string_view chatJid,
                                                             std::int64_t afterLocalId,
                                                             std::size_t limit) {
  CHORUS_TRY(query, impl_->messageQuery());
  return query.after(chatJid, afterLocalId, limit);
}

void Account::createGroup(std::string subject, std::vector<std::string> participantJids,
                          GroupDone done) {
  Impl::startOnMessenger(*impl_, done, [&](Messenger& messenger) {
    return messenger.createGroup(subject, participantJids, std::move(done));
  });
}

void Account::groupInfo(std::string_view groupJid, GroupDone done) {
  Impl::startOnMessenger(*impl_, done, [&](Messenger& messenger) {
    return messenger.groupInfo(groupJid, std::move(done));
  });
}

void Account::changeGroupParticipants(std::string_view groupJid, api::ParticipantChange change,
                                      std::vector<std::string> participantJids, GroupDone done) {
  Impl::startOnMessenger(*impl_, done, [&](Messenger& messenger) {
    return messenger.changeGroupParticipants(groupJid, change, participantJids, std::move(done));
  });
}

}  // namespace chorus::core::account
