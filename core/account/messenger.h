// Messenger: the receive side of end-to-end messaging for one account (architecture §4; protocol
// §8.2, §9, §10.2), owned by the Account. It takes the stanzas the Session leaves to its owner
// (StanzaEvent) and answers with stanzas to send (through Session::sendStanza) and events for
// the UI. It never touches a socket or reads a clock other than the one it is given.
//
//   login (Ready)            <iq xmlns="encrypt" type="get"><count/> → PreKeyPolicy → generate
//                            the missing prekeys, store them, upload, mark them uploaded on the
//                            result. The same on a low-count <notification type="encrypt">.
//   <message>                for each <enc>, in ONE database transaction: decrypt (pkmsg/msg on
//                            the SqlSignalStore; skmsg with the sender key), unpad and classify,
//                            process an SKDM, store the text (MessageStore, exactly once) —
//                            commit — and only then the delivery receipt and the ack.
//                            Undecryptable: roll back, store a placeholder ("waiting for this
//                            message"), send a retry receipt (at most kMaxRetryCount per
//                            message), ack. A message already stored (a redelivery whose
//                            ratchet step is spent) is acked and receipted again, nothing else.
//   <receipt>                delivered/read for our outgoing messages → MessageStore; ack.
//   <notification>           ack (always); low prekey count → refill.
//   sendText                 the text is stored queued with its id chosen first (MessageStore::
//                            insertOutgoing, outbox in the same transaction); while Ready every
//                            due outbox item goes out: usync for the chat's user and our own →
//                            one prekey fetch for the devices without a session → processBundle
//                            → the padded Message for each recipient device, a DeviceSentMessage
//                            for each of our other devices → one <message>. The server's
//                            <ack class="message"> marks it sent. Ready again → everything still
//                            queued goes out again with the same id.
// Every message, receipt and notification is acknowledged, whatever happens to it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/api/account_events.h"
#include "core/api/group_types.h"
#include "core/protocol/binary/node.h"
#include "core/session/message_stanza.h"
#include "core/session/prekeys.h"
#include "core/store/column_cipher.h"
#include "core/store/credential_store.h"
#include "core/store/database.h"
#include "core/store/lookup_key.h"
#include "core/store/message_lookup_key.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::store {
class SqlSignalStore;
}
namespace chorus::core::signal {
class SignalContext;
}

namespace chorus::core::account {

// What one input yields, to be carried out in order: stanzas first (they answer what arrived),
// then events; problems are for the account's AccountProblem events (never message text).
struct MessengerOutput {
  std::vector<binary::Node> stanzas;
  std::vector<api::AccountEvent> events;
  std::vector<Error> problems;
  std::vector<std::function<void()>> completions;  // API callbacks, run last
};

class Messenger {
 public:
  // Everything must outlive the messenger. `lookup` is the message store's key, `signalLookup`
  // LookupKey::derive(dataKey, LookupDomain::Signal) (SqlSignalStore). Errc::Crypto / Storage
  // when the Signal context cannot be made.
  [[nodiscard]] static Result<std::unique_ptr<Messenger>> create(
      api::AccountId accountId, store::Database& db, const store::ColumnCipher& cipher,
      const store::MessageLookupKey& lookup, const store::LookupKey& signalLookup,
      const Clock& clock, Random& random, session::PreKeyPolicy policy = {});
  ~Messenger();
  Messenger(const Messenger&) = delete;
  Messenger& operator=(const Messenger&) = delete;

  // The session is logged in as `credentials` (paired); `identity` gives <device-identity> for
  // retry receipts with keys. Asks the server for its prekey count.
  [[nodiscard]] MessengerOutput onReady(const store::DeviceCredentials& credentials,
                                        const store::DeviceIdentity& identity);
  // Stores a text for the chat `chatJid` (a user JID, or a group "…@g.us") as queued and, when
  // Ready, sends it. InvalidArgument for another JID or an unusable text; Storage. `id`
  // receives the wire id when given.
  [[nodiscard]] Result<MessengerOutput> sendText(std::string_view chatJid, std::string_view text,
                                                 std::string* id = nullptr);
  // The chat was read: unread to zero, read receipts to the senders (now when Ready, else on
  // the next Ready), ChatUpdated.
  [[nodiscard]] Result<MessengerOutput> markChatRead(std::string_view chatJid);

  // A Failed message goes out again with the same id (the person pressed "retry").
  // NotFound when it is not a failed message of ours in that chat.
  [[nodiscard]] Result<MessengerOutput> retryMessage(std::string_view chatJid,
                                                     std::string_view messageId);

  using GroupDone = std::function<void(Result<api::GroupInfo>)>;
  // Group requests: `done` runs (as a completion) with the answer, or with Errc::Unsupported
  // when not Ready, Errc::Timeout when the connection drops first, Errc::Protocol when the
  // server refuses.
  [[nodiscard]] MessengerOutput createGroup(std::string_view subject,
                                            const std::vector<std::string>& participantJids,
                                            GroupDone done);
  [[nodiscard]] MessengerOutput groupInfo(std::string_view groupJid, GroupDone done);
  [[nodiscard]] MessengerOutput changeGroupParticipants(
      std::string_view groupJid, api::ParticipantChange change,
      const std::vector<std::string>& participantJids, GroupDone done);

  // The outbox's next backoff deadline while Ready (a send that went unacknowledged is tried
  // again then); nullopt when nothing waits.
  [[nodiscard]] std::optional<TimePoint> nextDeadline();
  // The deadline passed: items due go out again; those out of attempts become Failed.
  [[nodiscard]] MessengerOutput onTimer();
  // A node the session left to us (StanzaEvent).
  [[nodiscard]] MessengerOutput onStanza(const binary::Node& node);
  // The connection is gone: iqs in flight will not be answered (group calls fail with Timeout).
  [[nodiscard]] MessengerOutput onDisconnected();

 private:
  struct Impl;
  explicit Messenger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chorus::core::account
