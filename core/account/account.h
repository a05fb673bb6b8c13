// Account: one WhatsApp number (architecture §1, §2): its folder accounts/<id>/ with chorus.db,
// the data key from the SecretStore, the stored device credentials, and the sans-I/O Session,
// whose transport effects it carries out through an AccountTransport and whose events it
// persists (new credentials after linking, forgetting them after a logout) before telling the
// listener.
//
// Messaging: the account's Messenger (messenger.h) works on the same database. The session
// hands it every stanza it does not handle itself (StanzaEvent); what the messenger answers goes
// out through Session::sendStanza, and its MessageAdded/MessageUpdated events reach the
// listener. When the status becomes Ready it counts and uploads prekeys.
//
// Confined to one thread (the engine thread); not thread-safe. Reads time from the Clock it is
// given; every input is "now".
//
// Lifecycle:
//   create(...)   a new account: folder (0700), fresh data key in the SecretStore, database with
//                 migrations, fresh unpaired credentials, the name. State Unlinked.
//   open(...)     an existing folder: read the data key (NotFound means the data is unreadable:
//                 never replaced silently), open and migrate the database, load the credentials.
//   start()       connect when linked and autoConnect; Unlinked otherwise.
//   linkWithQr() / linkWithPhone(number)   unlinked (or logged out, replaced...: fresh
//                 credentials are generated first) → Pairing; QR codes / the code as events.
//   connect() / disconnect()  the person's "reconnect" / "stop"; persisted as autoConnect.
//   logout()      tell the server to remove this device (connecting first when needed, bounded
//                 by the session's timeout), forget the credentials (fresh unpaired ones are
//                 stored for the next link). Always ends in one AccountLoggedOut. The status
//                 stays what the session says (LoggedOut) until linked again; Unlinked after
//                 reopening.
//   close()       stop and close the database (before deleting the folder).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/account/account_transport.h"
#include "core/api/account_events.h"
#include "core/api/group_types.h"
#include "core/api/message_types.h"
#include "core/session/session.h"
#include "core/store/secret_store.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::account {

// Where and how an account connects; shared by every account of a registry.
struct AccountOptions {
  session::SessionConfig session;  // url, trusted root key, payload, timings
};

using AccountListener = std::function<void(const api::AccountEvent&)>;

class Account {
 public:
  using Opened = std::function<void(Result<std::unique_ptr<Account>>)>;

  // `folder` must not exist yet (Errc::InvalidArgument) and its parent must be writable (Errc::Io
  // naming the folder). The SecretStore, Random and Clock must outlive the account. `done` runs
  // exactly once (possibly before create returns); on failure nothing is left behind (the
  // folder and the keychain entry are removed again).
  static void create(std::filesystem::path folder, api::AccountId id, std::string name,
                     store::SecretStore& secrets, Random& random, const Clock& clock,
                     AccountOptions options, Opened done);
  // Errc::NotFound (no database), the SecretStore's errors for the data key (NotFound: "the
  // data key of this account is missing from the keychain"), Errc::Crypto when the stored
  // credentials do not open under it, Errc::Storage for a damaged database.
  static void open(std::filesystem::path folder, api::AccountId id, store::SecretStore& secrets,
                   Random& random, const Clock& clock, AccountOptions options, Opened done);

  ~Account();
  Account(const Account&) = delete;
  Account& operator=(const Account&) = delete;

  // Wiring (before start). Events are delivered synchronously from inside the inputs.
  void setTransport(std::unique_ptr<AccountTransport> transport);
  void setListener(AccountListener listener);

  [[nodiscard]] const api::AccountId& id() const noexcept;
  [[nodiscard]] const std::filesystem::path& folder() const noexcept;
  [[nodiscard]] api::AccountSummary summary() const;
  [[nodiscard]] const api::ConnectionStatus& status() const noexcept;
  [[nodiscard]] bool isLinked() const noexcept;
  // What linking yielded besides the credentials (for <device-identity>); empty when unlinked.
  [[nodiscard]] const store::DeviceIdentity& deviceIdentity() const noexcept;

  // Commands.
  void start();
  Status connect();     // autoConnect = true, connect now (refused during a ban: Errc::Banned)
  Status disconnect();  // autoConnect = false, close, no retries
  // Errc::InvalidArgument while linked and working (log out first) or for a bad number;
  // Errc::InvalidArgument too while linking already runs.
  Status linkWithQr();
  Status linkWithPhone(std::string_view phoneNumber);  // digits, optionally '+', spaces, dashes
  void logout();
  // Stores a text for the 1:1 chat `chatJid` (a user JID, e.g. "15551234567@s.whatsapp.net")
  // as queued and sends it while the number is ready (again after each reconnect until the
  // server acknowledges it). MessageAdded now, MessageUpdated (sent) on the server's ack.
  // `id` receives the message's wire id. `chatJid` is a user (1:1) or a group ("…@g.us").
  // InvalidArgument when unlinked, closed, or for a bad JID or text; Storage.
  Status sendText(std::string_view chatJid, std::string_view text, std::string* id = nullptr);
  // ---- messages and chats (the UI's and the CLI's view of the store) ----
  // The chat list, most recent activity first, with previews and unread counts.
  [[nodiscard]] Result<std::vector<api::ChatSummary>> chats(std::size_t limit = 1000);
  // Up to `limit` (≤ 500) messages of `chatJid`, oldest first: the newest ones when `beforeId`
  // is empty, else those just older than the message with that wire id (NotFound when the chat
  // has no such message). An unknown chat has no messages.
  [[nodiscard]] Result<std::vector<api::MessageView>> messages(std::string_view chatJid,
                                                               std::string_view beforeId,
                                                               std::size_t limit);
  // The same, anchored on a local id (api::MessageView::localId; 0: the newest page): what the
  // UI pages with.
  [[nodiscard]] Result<std::vector<api::MessageView>> messagesBefore(std::string_view chatJid,
                                                                     std::int64_t beforeLocalId,
                                                                     std::size_t limit);
  // Up to `limit` messages just newer than `afterLocalId`, oldest first (a UI that keeps a
  // bounded window of rows pages back down with it).
  [[nodiscard]] Result<std::vector<api::MessageView>> messagesAfter(std::string_view chatJid,
                                                                    std::int64_t afterLocalId,
                                                                    std::size_t limit);
  // A failed outgoing message goes out again with the same id. NotFound when there is none.
  Status retryMessage(std::string_view chatJid, std::string_view messageId);
  // The person has read the chat: its unread count goes to zero and read receipts go to the
  // senders of its unread incoming messages (now when Ready, else on the next Ready).
  Status markChatRead(std::string_view chatJid);

  // ---- groups (answered asynchronously, on the account's thread) ----
  // Errc::Unsupported when the number is not Ready; Errc::Protocol with the server's code
  // when it refuses; Errc::Timeout when the connection drops before the answer.
  using GroupDone = std::function<void(Result<api::GroupInfo>)>;
  void createGroup(std::string subject, std::vector<std::string> participantJids, GroupDone done);
  void groupInfo(std::string_view groupJid, GroupDone done);
  // Adds or removes participants, then answers with the group as it is afterwards; a participant
  // the server refused is named in the error when none could be changed.
  void changeGroupParticipants(std::string_view groupJid, api::ParticipantChange change,
                               std::vector<std::string> participantJids, GroupDone done);

  Status rename(std::string name);  // Errc::InvalidArgument for an empty or over-long name
  void onNetworkUp();               // network came back / machine resumed
  void close();

  // Transport inputs (from the AccountTransport implementation).
  void onTransportOpen();
  void onBytes(BytesView bytes);
  void onTransportClosed();
  void onTimer();

  // Runs `task` once the account is back from the input it is handling (at once when it is
  // idle), so a listener may act on an event in ways that destroy the account: the registry
  // deletes a removed account after its AccountLoggedOut. Nothing of the account is touched
  // after the task.
  void whenIdle(std::function<void()> task);

 private:
  struct Impl;
  explicit Account(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chorus::core::account
