// Internal to core/account: the state behind Account, shared by account.cpp (creation,
// lifecycle, linking, the protocol session) and account_messages.cpp (chats, messages,
// groups: everything that goes through the Messenger or reads the message store).
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/account/account.h"
#include "core/account/account_folder.h"
#include "core/account/account_name.h"
#include "core/account/messenger.h"
#include "core/session/pairing.h"
#include "core/store/account_meta_store.h"
#include "core/store/account_schema.h"
#include "core/store/column_cipher.h"
#include "core/store/credential_store.h"
#include "core/store/data_key.h"
#include "core/store/database.h"
#include "core/store/message_lookup_key.h"
#include "core/store/message_query.h"
#include "core/store/migrations.h"
#include "core/util/logger.h"

namespace chorus::core::account {

namespace fs = std::filesystem;
using State = api::ConnectionState;

namespace detail {

inline constexpr std::string_view kDatabaseFile = "chorus.db";
inline constexpr std::string_view kDatabaseCompanions[] = {"chorus.db-wal", "chorus.db-shm"};

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// account.cpp
// "15551234567:2@s.whatsapp.net" → "+155••••••567".
[[nodiscard]] std::string maskedPhoneOf(std::string_view deviceJid);
// Digits, optionally a leading '+', spaces and dashes → international digits.
[[nodiscard]] Result<std::string> normalizePhone(std::string_view text);
[[nodiscard]] Error withDetail(Error error, std::string detail);
[[nodiscard]] std::optional<store::MessageLookupKey> deriveLookupKey(const store::DataKey& key);
[[nodiscard]] std::optional<store::LookupKey> deriveSignalLookupKey(const store::DataKey& key);

}  // namespace detail

struct Account::Impl {
  Impl(fs::path folderIn, api::AccountId idIn, Random& randomIn, const Clock& clockIn,
       AccountOptions optionsIn, store::DataKey key)
      : folder(std::move(folderIn)),
        id(std::move(idIn)),
        random(randomIn),
        clock(clockIn),
        options(std::move(optionsIn)),
        lookupKey(detail::deriveLookupKey(key)),
        signalLookupKey(detail::deriveSignalLookupKey(key)),
        cipher(std::move(key), randomIn) {}

  // ---- building ------------------------------------------------------------------------------

  [[nodiscard]] fs::path databaseFile() const { return folder / detail::kDatabaseFile; }

  void restrictCompanions() const {
    for (std::string_view name : detail::kDatabaseCompanions) restrictIfPresent(folder / name);
  }

  [[nodiscard]] Status createNew(std::string name) {
    CHORUS_CHECK(makePrivateFile(databaseFile()));
    CHORUS_TRY(opened, store::Database::open(databaseFile()));
    db = std::move(opened);
    restrictCompanions();
    CHORUS_CHECK(store::migrate(*db, store::accountMigrations()));
    CHORUS_TRY(credentials, session::generateCredentials(random));
    store::AccountMeta fresh{std::move(name), true, "", now()};
    CHORUS_TRY(tx, db->begin());
    CHORUS_CHECK(credentialStore().save(credentials));
    CHORUS_CHECK(store::AccountMetaStore(*db).save(fresh));
    CHORUS_CHECK(tx.commit());
    meta = std::move(fresh);
    adopt(std::move(credentials));
    return makeMessenger();
  }

  [[nodiscard]] Status openExisting() {
    CHORUS_TRY(opened, store::Database::open(databaseFile()));
    db = std::move(opened);
    restrictIfPresent(databaseFile());
    restrictCompanions();
    CHORUS_CHECK(store::migrate(*db, store::accountMigrations()));
    auto loadedMeta = store::AccountMetaStore(*db).load();
    if (!loadedMeta) {
      Error error = std::move(loadedMeta).error();
      if (error.code == Errc::NotFound) error.code = Errc::Storage;
      return Unexpected<Error>(std::move(error));
    }
    auto credentials = credentialStore().load();
    if (!credentials) {
      Error error = std::move(credentials).error();
      if (error.code == Errc::NotFound) {
        return fail(Errc::Storage, "the device credentials are missing from the database");
      }
      if (error.code == Errc::Crypto) {
        error = detail::withDetail(std::move(error),
                           "the stored credentials do not open under the data key in the keychain");
      }
      return Unexpected<Error>(std::move(error));
    }
    CHORUS_TRY(storedIdentity, credentialStore().loadIdentity());
    meta = std::move(*loadedMeta);
    identity = std::move(storedIdentity);
    adopt(std::move(*credentials));
    return makeMessenger();
  }

  // The receive side of messaging, on the account's database.
  [[nodiscard]] Status makeMessenger() {
    if (!lookupKey || !signalLookupKey) {
      return fail(Errc::Crypto, "could not derive the lookup keys");
    }
    CHORUS_TRY(made,
               Messenger::create(id, *db, cipher, *lookupKey, *signalLookupKey, clock, random));
    messenger = std::move(made);
    return ok();
  }

  // Carries out what the messenger asks for: its stanzas through the session, then its events.
  void carry(MessengerOutput out) {
    for (const binary::Node& node : out.stanzas) run(session->sendStanza(node, now()));
    for (const Error& error : out.problems) problem(error);
    for (api::AccountEvent& event : out.events) emit(event);
    // API callbacks after the account's own work; like listeners, they may call back in.
    for (auto& done : out.completions) idleTasks.push_back(std::move(done));
  }

  // The session's next deadline or the outbox's, whichever comes first.
  [[nodiscard]] std::optional<TimePoint> nextDeadline() const {
    std::optional<TimePoint> next = session->nextDeadline();
    if (messenger) {
      if (auto outbox = messenger->nextDeadline(); outbox && (!next || *outbox < *next)) {
        next = outbox;
      }
    }
    return next;
  }

  // Takes stored credentials as the current ones.
  void adopt(store::DeviceCredentials credentials) {
    linked = credentials.isPaired();
    storedLid = credentials.lid;
    session =
        std::make_unique<session::Session>(options.session, std::move(credentials), random, now());
    status = session->status();
  }

  // ---- inputs --------------------------------------------------------------------------------

  [[nodiscard]] TimePoint now() const { return clock.now(); }
  [[nodiscard]] store::CredentialStore credentialStore() { return {*db, cipher}; }

  // The message store's reader, while the account is open.
  [[nodiscard]] Result<store::MessageQuery> messageQuery() const {
    if (closed || !db) return fail(Errc::InvalidArgument, "the account is closed");
    return store::MessageQuery(*db, cipher, *lookupKey);
  }

  // Runs a Messenger command (`call(messenger)` → Result<MessengerOutput>) as one input: its
  // effects carried out in order, then leave(). One of the idle tasks leave() runs may destroy
  // the account, so nothing of `d` is used afterwards.
  template <typename Call>
  static Status runMessenger(Impl& d, Call&& call) {
    if (d.closed || !d.messenger) return fail(Errc::InvalidArgument, "the account is closed");
    d.enter();
    Result<MessengerOutput> out = call(*d.messenger);
    Status status = ok();
    if (out) {
      d.carry(std::move(*out));
    } else {
      status = Unexpected<Error>(out.error());
    }
    leave(d);
    return status;
  }

  // Starts a Messenger command whose answer comes later through `done` (a completion the
  // Messenger runs after the account's own work); refused at once when the account is closed.
  template <typename Call>
  static void startOnMessenger(Impl& d, Account::GroupDone& done, Call&& call) {
    if (d.closed || !d.messenger) return done(fail(Errc::InvalidArgument, "the account is closed"));
    d.enter();
    d.carry(call(*d.messenger));
    leave(d);
  }

  void enter() noexcept { ++depth; }
  // Ends an input: saves what the session learnt, asks for the next timer, then runs the tasks
  // waiting for the account to be idle. One of them may destroy the account: nothing of `d` is
  // touched after the first task.
  static void leave(Impl& d) {
    if (--d.depth > 0) return;
    if (!d.closed) {
      d.persistLearnt();
      if (d.transport) d.transport->wakeAt(d.nextDeadline());
    }
    std::vector<std::function<void()>> tasks = std::exchange(d.idleTasks, {});
    for (auto& task : tasks) task();
  }

  // Carries out the effects in order; effects of inputs made by a listener meanwhile queue
  // behind them.
  void run(session::Effects effects) {
    // A link is stored before anything of its batch (the <pair-device-sign> reply) leaves.
    for (session::Effect& effect : effects) {
      auto* out = std::get_if<session::Emit>(&effect);
      auto* paired = out ? std::get_if<session::PairedEvent>(&out->event) : nullptr;
      if (paired == nullptr) continue;
      if (Status saved = persistLink(*paired); !saved) {
        abandonLink(saved.error());
        return;
      }
    }
    for (session::Effect& effect : effects) queue.push_back(std::move(effect));
    if (draining) return;
    draining = true;
    while (!queue.empty()) {
      session::Effect effect = std::move(queue.front());
      queue.pop_front();
      apply(effect);
    }
    draining = false;
  }

  void apply(session::Effect& effect) {
    std::visit(detail::Overloaded{
                   [&](session::OpenTransport& open) {
                     if (transport) transport->open(open.url);
                   },
                   [&](session::Send& send) {
                     if (transport) transport->send(std::move(send.bytes));
                   },
                   [&](session::CloseTransport&) {
                     if (transport) transport->close();
                   },
                   [&](session::Emit& out) { handle(out.event); },
               },
               effect);
  }

  void handle(session::SessionEvent& event) {
    std::visit(detail::Overloaded{
                   [&](api::ConnectionStatusChanged& change) { setStatus(change.status); },
                   [&](session::QrCodeEvent& qr) {
                     emit(api::QrCodeShown{id, qr.qr.code, qr.qr.expiresAt});
                   },
                   [&](session::LinkCodeEvent& code) {
                     emit(api::LinkCodeShown{id, code.code});
                   },
                   [&](session::PairedEvent&) {
                     // Stored already (run); a later failure made the session go away.
                     emit(api::AccountLinked{id, meta.maskedPhone});
                     emit(api::AccountsChanged{});
                   },
                   [&](session::CredentialsRevokedEvent&) {
                     if (linked) forget(false, false);
                   },
                   [&](session::LoggedOutEvent& out) {
                     if (linked) {
                       forget(true, out.serverConfirmed);
                     } else {
                       emit(api::AccountLoggedOut{id, true, false});
                     }
                   },
                   [&](session::ErrorEvent& error) { problem(error.error); },
                   [&](session::StanzaEvent& stanza) {
                     if (messenger) carry(messenger->onStanza(stanza.node));
                   },
               },
               event);
  }

  void emit(const api::AccountEvent& event) {
    if (!listener) return;
    const AccountListener call = listener;  // the listener may replace itself
    call(event);
  }

  void problem(const Error& error) {
    emit(api::AccountProblem{id, errcName(error.code), error.detail});
  }

  void setStatus(api::ConnectionStatus next) {
    api::ConnectionStatusChanged change{status.state, std::move(next)};
    status = change.status;
    const bool nowReady = change.status.state == State::Ready && change.previous != State::Ready;
    const bool leftReady = change.status.state != State::Ready && change.previous == State::Ready;
    emit(api::AccountStatusEvent{id, std::move(change)});
    if (!messenger) return;
    if (leftReady) carry(messenger->onDisconnected());
    if (nowReady && session->isLoggedIn()) {
      carry(messenger->onReady(session->credentials(), identity));
    }
  }

  // ---- linking and forgetting ------------------------------------------------------------------

  // Credentials, identity, masked phone and autoConnect in one transaction.
  [[nodiscard]] Status persistLink(const session::PairedEvent& paired) {
    if (db == nullptr) return fail(Errc::Cancelled, "the account is closed");
    store::AccountMeta nextMeta = meta;
    nextMeta.maskedPhone = detail::maskedPhoneOf(paired.credentials.deviceJid);
    nextMeta.autoConnect = true;
    store::DeviceIdentity nextIdentity{paired.signedDeviceIdentity, paired.primaryIdentityKey,
                                       paired.keyIndex};
    CHORUS_TRY(tx, db->begin());
    CHORUS_CHECK(credentialStore().save(paired.credentials, nextIdentity));
    CHORUS_CHECK(store::AccountMetaStore(*db).save(nextMeta));
    CHORUS_CHECK(tx.commit());
    meta = std::move(nextMeta);
    identity = std::move(nextIdentity);
    linked = true;
    storedLid = paired.credentials.lid;
    freshCredentials.reset();
    return ok();
  }

  // The phone linked us but the link cannot be stored: do not confirm it, start over unlinked.
  void abandonLink(const Error& error) {
    queue.clear();
    problem(detail::withDetail(error, "the link could not be saved, so it was not completed"));
    replaceSession(freshUnpaired());  // closes the connection
    api::ConnectionStatus next = session->status();
    next.reason = "linking failed: the link could not be saved";
    next.since = now();
    setStatus(std::move(next));
  }

  // Fresh unpaired credentials, stored when possible (replacing whatever was stored).
  store::DeviceCredentials freshUnpaired() {
    auto fresh = session::generateCredentials(random);
    if (!fresh) {
      // Randomness or the curve library failed: keep the old ones rather than none.
      problem(fresh.error());
      return session->credentials().clone();
    }
    if (db != nullptr) {
      if (Status saved = credentialStore().save(*fresh); !saved) {
        problem(detail::withDetail(saved.error(), "could not store fresh device credentials"));
      }
    }
    return std::move(*fresh);
  }

  // The server revoked the device or the person logged out: the stored credentials are replaced
  // by fresh unpaired ones, kept for the next link. The session keeps showing what happened.
  void forget(bool userInitiated, bool serverConfirmed) {
    store::DeviceCredentials fresh = freshUnpaired();
    if (fresh.isPaired() && db != nullptr) {
      (void)credentialStore().clear();  // could not make new ones: at least forget the old
    }
    freshCredentials = std::move(fresh);
    linked = false;
    identity = {};
    storedLid.clear();
    emit(api::AccountLoggedOut{id, userInitiated, serverConfirmed});
    emit(api::AccountsChanged{});
  }

  void replaceSession(store::DeviceCredentials credentials) {
    if (session && session->hasTransport() && transport) transport->close();
    session =
        std::make_unique<session::Session>(options.session, std::move(credentials), random, now());
  }

  // The session still holds credentials that were forgotten (revoked, logged out): it must
  // never connect with them again.
  [[nodiscard]] bool forgotten() const { return !linked && session->isPaired(); }

  [[nodiscard]] bool linkingInProgress() const {
    return !session->isPaired() && (session->hasTransport() || status.state == State::Pairing);
  }

  [[nodiscard]] Status link(const std::optional<std::string_view>& phone) {
    if (closed) return fail(Errc::InvalidArgument, "the account is closed");
    if (linkingInProgress()) return fail(Errc::InvalidArgument, "linking is already in progress");
    if (linked && !api::needsAction(status.state)) {
      return fail(Errc::InvalidArgument, "this number is linked: log out first");
    }
    std::string digits;
    if (phone) {
      CHORUS_TRY(normalized, detail::normalizePhone(*phone));
      digits = std::move(normalized);
    }
    if (session->isPaired()) {
      // Logged out, replaced, banned, outdated: link again with new credentials.
      store::DeviceCredentials next;
      if (freshCredentials) {
        next = std::move(*freshCredentials);
        freshCredentials.reset();
      } else {
        CHORUS_TRY(generated, session::generateCredentials(random));
        CHORUS_CHECK(credentialStore().save(generated));
        next = std::move(generated);
        linked = false;
        identity = {};
        storedLid.clear();
      }
      replaceSession(std::move(next));
    }
    run(phone ? session->linkWithPhone(digits, now()) : session->linkWithQr(now()));
    return ok();
  }

  // The lid the server tells at login when pairing did not.
  void persistLearnt() {
    if (!linked || db == nullptr || !session->isPaired()) return;
    const store::DeviceCredentials& current = session->credentials();
    if (current.lid == storedLid) return;
    storedLid = current.lid;
    if (Status saved = credentialStore().save(current, identity); !saved) {
      problem(detail::withDetail(saved.error(), "could not store the device's lid"));
    }
  }

  [[nodiscard]] Status saveMeta(store::AccountMeta next) {
    if (db == nullptr) return fail(Errc::InvalidArgument, "the account is closed");
    if (next == meta) return ok();
    CHORUS_CHECK(store::AccountMetaStore(*db).save(next));
    meta = std::move(next);
    emit(api::AccountsChanged{});
    return ok();
  }

  fs::path folder;
  api::AccountId id;
  Random& random;
  const Clock& clock;
  AccountOptions options;
  std::optional<store::MessageLookupKey> lookupKey;
  std::optional<store::LookupKey> signalLookupKey;
  store::ColumnCipher cipher;
  std::unique_ptr<store::Database> db;

  store::AccountMeta meta;
  store::DeviceIdentity identity;
  bool linked = false;    // the stored credentials are paired
  std::string storedLid;  // the lid in the stored credentials
  std::unique_ptr<session::Session> session;
  std::unique_ptr<Messenger> messenger;  // on `db`; gone before it
  // Stored unpaired credentials for the next link, while the session still shows why the old
  // ones ended (logged out, banned ...).
  std::optional<store::DeviceCredentials> freshCredentials;
  api::ConnectionStatus status;

  std::unique_ptr<AccountTransport> transport;
  AccountListener listener;
  bool closed = false;
  int depth = 0;  // inputs on the stack
  bool draining = false;
  std::deque<session::Effect> queue;
  std::vector<std::function<void()>> idleTasks;
};

}  // namespace chorus::core::account
