// The Messenger's private state, shared by its four source files along their seams:
//   messenger.cpp          creation, the public calls, stanza dispatch, iq routing, prekeys
//   messenger_receive.cpp  <message> (decrypt + store + receipt), <receipt>, <notification>,
//                          read receipts for chats the person read
//   messenger_send.cpp     the outbox: device lists (cached), prekey fetches, 1:1 and group
//                          fan-out with sender keys, server acks, answering retry receipts
//   messenger_groups.cpp   group create / metadata / participants and the metadata cache
// Not part of the account's interface: include only from those files (and their tests).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/account/messenger.h"
#include "core/protocol/jid/jid.h"
#include "core/session/message_content.h"
#include "core/session/message_stanza.h"
#include "core/session/receipts.h"
#include "core/session/usync.h"
#include "core/signal/signal_context.h"
#include "core/store/chat_store.h"
#include "core/store/contact_store.h"
#include "core/store/message_query.h"
#include "core/store/message_store.h"
#include "core/store/outbox.h"
#include "core/store/signal_sql_store.h"

namespace chorus::core::account {

// How long a device list or group metadata is trusted without a notification saying it
// changed. Notifications (devices, w:gp2) drop entries at once; the age limit covers a
// notification lost while we were offline.
inline constexpr Millis kDeviceListMaxAge{10 * 60 * 1000};
inline constexpr Millis kGroupInfoMaxAge{10 * 60 * 1000};
inline constexpr std::size_t kMaxCachedUsers = 20'000;
inline constexpr std::size_t kMaxCachedGroups = 2'000;
inline constexpr std::size_t kMaxRememberedRetries = 4096;  // per-message retry counters kept
// Messages on their way at once (written, not yet acked by the server). Small, because a crash
// leaves exactly these unconfirmed and they go out again after the restart.
inline constexpr std::size_t kMaxInFlight = 8;
// While the window is full of unacknowledged messages the outbox is looked at this often.
inline constexpr Millis kFullWindowPoll{5'000};

[[nodiscard]] std::string userJidOf(const jid::Jid& j);
[[nodiscard]] std::string userJidOrGroup(const jid::Jid& chat);
[[nodiscard]] signal::SignalAddress addressOf(const jid::Jid& device);

struct Messenger::Impl {
  enum class IqKind : std::uint8_t {
    PreKeyCount,
    PreKeyUpload,
    DeviceList,   // for the send jobs: the users in `subjects`
    PreKeyFetch,  // for the send jobs: the devices in `subjects`
    GroupMeta,    // for the send jobs: the group in `key`
    RetryFetch,   // a fresh bundle to answer a retry receipt (retryKey)
    GroupRequest, // create / info / participants for the API (the callback waits in groupCalls)
  };
  struct PendingIq {
    IqKind kind = IqKind::PreKeyCount;
    std::vector<std::uint32_t> preKeyIds;  // an upload: the keys it carried
    std::string key;                       // group JID, retryKey or the group call's iq id
    std::vector<std::string> subjects;     // the users / devices a send lookup asked about
  };
  // An outbox item on its way out (until the server's ack or a disconnect).
  struct SendJob {
    store::OutboxItem item;
    jid::Jid chat;
    std::vector<jid::Jid> users;    // whose device lists the fan-out needs
    std::vector<jid::Jid> devices;  // the fan-out, once the device lists are known
    // Each lookup is asked once per attempt; what another job asked for is waited for, so a
    // burst of messages to one chat makes one usync and one prekey fetch, not one per message.
    bool askedGroup = false;
    bool askedDevices = false;
    bool askedSessions = false;
    bool stanzaSent = false;
  };
  // A retry receipt we are answering, waiting for a prekey bundle.
  struct RetryAnswer {
    session::IncomingReceipt receipt;
    std::string chatJid;
    store::rows::OutgoingRef message;
  };
  struct GroupCall {
    enum class Kind : std::uint8_t { Info, Change } kind = Kind::Info;
    jid::Jid group;
    api::ParticipantChange change = api::ParticipantChange::Add;
    GroupDone done;
  };
  struct CachedDevices {
    session::UserDeviceList list;
    TimePoint fetchedAt{};
  };
  struct CachedGroup {
    api::GroupInfo info;
    TimePoint fetchedAt{};
  };

  Impl(api::AccountId accountIdIn, store::Database& dbIn, const store::ColumnCipher& cipherIn,
       const store::MessageLookupKey& lookupIn, const store::LookupKey& signalLookupIn,
       const Clock& clockIn, Random& randomIn, session::PreKeyPolicy policyIn);

  [[nodiscard]] std::string nextIqId();
  void problem(MessengerOutput& out, Error error, std::string_view what);
  void ack(const binary::Node& node, MessengerOutput& out);
  void onIq(const binary::Node& iq, MessengerOutput& out);

  // prekeys (messenger.cpp)
  void askPreKeyCount(MessengerOutput& out);
  void onPreKeyCount(const binary::Node& iq, MessengerOutput& out);
  void upload(std::size_t wanted, MessengerOutput& out);
  [[nodiscard]] Status uploadKeys(std::size_t wanted, MessengerOutput& out);

  // receiving (messenger_receive.cpp)
  struct Received {
    std::optional<store::InsertResult> stored;
    std::string chatJid;
    std::string text;
  };
  [[nodiscard]] Result<Bytes> decrypt(const session::IncomingMessage& m,
                                      const session::IncomingEnc& enc);
  [[nodiscard]] store::IncomingMessage rowFor(const session::IncomingMessage& m,
                                              api::MessageKind kind, std::string text) const;
  [[nodiscard]] Result<Received> receiveEnc(const session::IncomingMessage& m,
                                            const session::IncomingEnc& enc);
  [[nodiscard]] api::MessageView viewOf(const session::IncomingMessage& m, std::int64_t localId,
                                        api::MessageKind kind, std::string text) const;
  void announce(const session::IncomingMessage& m, const std::string& chatJid,
                const store::InsertResult& stored, api::MessageKind kind, std::string text,
                MessengerOutput& out);
  void announceChat(const std::string& chatJid, MessengerOutput& out);
  [[nodiscard]] bool storePlaceholder(const session::IncomingMessage& m, MessengerOutput& out);
  void sendRetry(const session::IncomingMessage& m, std::uint32_t countInMessage,
                 MessengerOutput& out);
  [[nodiscard]] Result<session::RetryKeys> retryKeys();
  void onMessage(const binary::Node& node, MessengerOutput& out);
  void onReceipt(const binary::Node& node, MessengerOutput& out);
  void onNotification(const binary::Node& node, MessengerOutput& out);
  [[nodiscard]] Status markChatRead(std::string_view chatJid, MessengerOutput& out);
  void sendPendingReadReceipts(MessengerOutput& out);

  // sending (messenger_send.cpp)
  [[nodiscard]] Result<std::string> queueText(std::string_view chatJid, std::string_view text,
                                              MessengerOutput& out);
  void flush(MessengerOutput& out);
  void abandon(const std::string& messageId, MessengerOutput& out, Error error);
  void resolveRecipients(const std::string& messageId, MessengerOutput& out);
  void onDeviceList(const PendingIq& request, const binary::Node& iq, MessengerOutput& out);
  void ensureSessions(const std::string& messageId, MessengerOutput& out);
  void onPreKeyFetch(const PendingIq& request, const binary::Node& iq, MessengerOutput& out);
  // A lookup answered: every job still gathering goes on as far as it can.
  void advanceWaitingJobs(MessengerOutput& out);
  [[nodiscard]] Result<binary::Node> directStanza(SendJob& job, const proto::Message& message);
  [[nodiscard]] Result<binary::Node> groupStanza(SendJob& job, const proto::Message& message);
  void encryptAndSend(const std::string& messageId, MessengerOutput& out);
  void onServerAck(const binary::Node& node, MessengerOutput& out);
  [[nodiscard]] std::optional<session::UserDeviceList> cachedDevices(const jid::Jid& user) const;
  void cacheDevices(std::vector<session::UserDeviceList> lists);
  void forgetDevices(const jid::Jid& user, MessengerOutput& out);
  [[nodiscard]] Result<proto::Message> outgoingContent(std::int64_t localId);
  // processBundle, accepting a changed identity (a reinstalled phone) as WhatsApp clients do:
  // the old identity is forgotten and the session built again (whatsmeow clearUntrustedIdentity).
  [[nodiscard]] Status startSession(const jid::Jid& device, const signal::PreKeyBundle& bundle);
  void onRetryReceipt(const session::IncomingReceipt& receipt, MessengerOutput& out);
  void onRetryFetch(const std::string& retryKey, const binary::Node& iq, MessengerOutput& out);
  void answerRetry(const RetryAnswer& answer, MessengerOutput& out);

  // groups (messenger_groups.cpp)
  void startGroupCall(GroupCall call, Result<binary::Node> request, MessengerOutput& out);
  void onGroupCall(const std::string& iqId, const binary::Node& iq, MessengerOutput& out);
  void askGroupMeta(const jid::Jid& group, MessengerOutput& out);
  void onGroupMeta(const PendingIq& request, const binary::Node& iq, MessengerOutput& out);
  [[nodiscard]] std::optional<api::GroupInfo> cachedGroup(const std::string& groupJid) const;
  void cacheGroup(const api::GroupInfo& info);
  void onGroupNotification(const binary::Node& node, MessengerOutput& out);
  void failGroupCalls();

  std::string accountId;
  store::Database& db;
  const Clock& clock;
  Random& random;
  session::PreKeyPolicy policy;
  std::unique_ptr<store::SqlSignalStore> signalStore;
  std::unique_ptr<signal::SignalContext> context;
  store::MessageStore messages;
  store::Outbox outbox;
  store::ContactStore contacts;
  store::ChatStore chats;
  store::MessageQuery query;
  session::OwnJids self;
  jid::Jid selfDevice;  // our own device, left out of every fan-out
  bool ready = false;
  std::map<std::string, SendJob> jobs;  // by wire id
  Bytes deviceIdentity;
  std::string iqPrefix;
  std::uint64_t iqCounter = 0;
  std::map<std::string, PendingIq> pending;
  std::map<std::string, std::uint32_t> retries;        // our retry receipts per message+sender
  std::map<std::string, std::uint32_t> retriesAnswered;  // peers' retry receipts we answered
  std::map<std::string, RetryAnswer> retryAnswers;     // waiting for a bundle, by retryKey
  std::map<std::string, CachedDevices> deviceCache;    // by non-device user JID
  std::map<std::string, CachedGroup> groupCache;       // by group JID
  std::map<std::string, GroupCall> groupCalls;  // by iq id
  std::set<std::string> usersAsked;    // usync in flight for these users
  std::set<std::string> devicesAsked;  // prekey fetch in flight for these devices
  std::set<std::string> groupsAsked;   // metadata query in flight for these groups
  std::vector<binary::Node> pendingReadReceipts;  // made while not Ready
};

}  // namespace chorus::core::account
