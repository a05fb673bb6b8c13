#include "core/account/account.h"

#include <algorithm>
#include <utility>

#include "core/account/account_impl.h"

namespace chorus::core::account {

namespace {
constexpr std::size_t kMinPhoneDigits = 7;
constexpr std::size_t kMaxPhoneDigits = 15;  // E.164
}  // namespace

namespace detail {

std::string maskedPhoneOf(std::string_view deviceJid) {
  const std::size_t end = deviceJid.find_first_of(":@");
  return maskPhone(deviceJid.substr(0, end));
}

Result<std::string> normalizePhone(std::string_view text) {
  std::string digits;
  bool seenDigit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      seenDigit = true;
    } else if (c == '+' && !seenDigit && digits.empty()) {
      continue;
    } else if (c != ' ' && c != '-') {
      return fail(Errc::InvalidArgument, "a phone number has only digits, '+', spaces and dashes");
    }
  }
  if (digits.size() < kMinPhoneDigits || digits.size() > kMaxPhoneDigits || digits[0] == '0') {
    return fail(Errc::InvalidArgument,
                "give the phone number in international form with its country code");
  }
  return digits;
}

Error withDetail(Error error, std::string detail) {
  error.detail = std::move(detail) + (error.detail.empty() ? "" : " (" + error.detail + ")");
  return error;
}

std::optional<store::MessageLookupKey> deriveLookupKey(const store::DataKey& key) {
  auto derived = store::MessageLookupKey::derive(key);
  if (!derived) return std::nullopt;
  return std::move(*derived);
}

std::optional<store::LookupKey> deriveSignalLookupKey(const store::DataKey& key) {
  auto derived = store::LookupKey::derive(key, store::LookupDomain::Signal);
  if (!derived) return std::nullopt;
  return std::move(*derived);
}

}  // namespace detail

// ---- creation ---------------------------------------------------------------------------------

Account::Account(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Account::~Account() = default;

void Account::create(fs::path folder, api::AccountId id, std::string name,
                     store::SecretStore& secrets, Random& random, const Clock& clock,
                     AccountOptions options, Opened done) {
  auto normalized = normalizeAccountName(name);
  if (!normalized) {
    done(Unexpected<Error>(std::move(normalized).error()));
    return;
  }
  if (Status made = makePrivateFolder(folder); !made) {
    done(Unexpected<Error>(std::move(made).error()));
    return;
  }
  store::createDataKey(
      secrets, id, random,
      [folder, id, name = std::move(*normalized), &secrets, &random, &clock,
       options = std::move(options), done = std::move(done)](Result<store::DataKey> key) {
        if (!key) {
          (void)removeFolder(folder);
          done(Unexpected<Error>(std::move(key).error()));
          return;
        }
        auto impl = std::make_unique<Impl>(folder, id, random, clock, options, std::move(*key));
        if (Status built = impl->createNew(name); !built) {
          impl.reset();  // closes the database before its folder goes
          (void)removeFolder(folder);
          Error error = std::move(built).error();
          secrets.remove(store::dataKeySecretName(id),
                         [done, error](Status) { done(Unexpected<Error>(error)); });
          return;
        }
        done(std::unique_ptr<Account>(new Account(std::move(impl))));
      });
}

void Account::open(fs::path folder, api::AccountId id, store::SecretStore& secrets, Random& random,
                   const Clock& clock, AccountOptions options, Opened done) {
  std::error_code ec;
  if (!fs::exists(folder / detail::kDatabaseFile, ec)) {
    done(fail(Errc::NotFound, "no account database in " + folder.string()));
    return;
  }
  store::readDataKey(
      secrets, id,
      [folder, id, &random, &clock, options = std::move(options),
       done = std::move(done)](Result<store::DataKey> key) {
        if (!key) {
          Error error = std::move(key).error();
          if (error.code == Errc::NotFound) {
            error.detail = "the data key of this account is missing from the keychain";
          }
          done(Unexpected<Error>(std::move(error)));
          return;
        }
        auto impl = std::make_unique<Impl>(folder, id, random, clock, options, std::move(*key));
        if (Status opened = impl->openExisting(); !opened) {
          done(Unexpected<Error>(std::move(opened).error()));
          return;
        }
        done(std::unique_ptr<Account>(new Account(std::move(impl))));
      });
}

// ---- wiring and state ---------------------------------------------------------------------------

void Account::setTransport(std::unique_ptr<AccountTransport> transport) {
  impl_->transport = std::move(transport);
}

void Account::setListener(AccountListener listener) {
  impl_->listener = std::move(listener);
}

const api::AccountId& Account::id() const noexcept {
  return impl_->id;
}

const fs::path& Account::folder() const noexcept {
  return impl_->folder;
}

api::AccountSummary Account::summary() const {
  api::AccountSummary s;
  s.id = impl_->id;
  s.name = impl_->meta.name;
  s.maskedPhone = impl_->meta.maskedPhone;
  s.autoConnect = impl_->meta.autoConnect;
  s.status = impl_->status;
  return s;
}

const api::ConnectionStatus& Account::status() const noexcept {
  return impl_->status;
}

bool Account::isLinked() const noexcept {
  return impl_->linked;
}

const store::DeviceIdentity& Account::deviceIdentity() const noexcept {
  return impl_->identity;
}

void Account::whenIdle(std::function<void()> task) {
  if (impl_->depth > 0) {
    impl_->idleTasks.push_back(std::move(task));
  } else {
    task();
  }
}

// ---- commands ---------------------------------------------------------------------------------

void Account::start() {
  Impl& d = *impl_;
  if (d.closed) return;
  d.enter();
  if (d.forgotten()) {
    d.setStatus(d.status);  // logged out, banned ...: shown until linked again
  } else if (!d.linked || d.meta.autoConnect) {
    d.run(d.session->start(d.now()));  // unlinked: reports the state only
  } else {
    api::ConnectionStatus stopped = d.status;
    if (stopped.reason.empty()) stopped.reason = "stopped by the user";
    d.setStatus(std::move(stopped));
  }
  Impl::leave(d);
}

Status Account::connect() {
  Impl& d = *impl_;
  if (d.closed) return fail(Errc::InvalidArgument, "the account is closed");
  if (!d.linked) return fail(Errc::InvalidArgument, "this number is not linked: link it first");
  const TimePoint now = d.now();
  if (d.status.state == State::Banned && (!d.status.bannedUntil || *d.status.bannedUntil > now)) {
    return fail(Errc::Banned, "this number is banned; it cannot connect before the ban ends");
  }
  d.enter();
  store::AccountMeta next = d.meta;
  next.autoConnect = true;
  Status saved = d.saveMeta(std::move(next));
  d.run(d.session->start(now));
  Impl::leave(d);
  return saved;
}

Status Account::disconnect() {
  Impl& d = *impl_;
  if (d.closed) return fail(Errc::InvalidArgument, "the account is closed");
  d.enter();
  store::AccountMeta next = d.meta;
  next.autoConnect = false;
  Status saved = d.saveMeta(std::move(next));
  d.run(d.session->stop(d.now()));
  Impl::leave(d);
  return saved;
}

Status Account::linkWithQr() {
  Impl& d = *impl_;
  d.enter();
  Status result = d.link(std::nullopt);
  Impl::leave(d);
  return result;
}

Status Account::linkWithPhone(std::string_view phoneNumber) {
  Impl& d = *impl_;
  d.enter();
  Status result = d.link(phoneNumber);
  Impl::leave(d);
  return result;
}

void Account::logout() {
  Impl& d = *impl_;
  if (d.closed) return;
  d.enter();
  d.run(d.session->logout(d.now()));
  Impl::leave(d);
}

Status Account::rename(std::string name) {
  Impl& d = *impl_;
  CHORUS_TRY(normalized, normalizeAccountName(name));
  d.enter();
  store::AccountMeta next = d.meta;
  next.name = std::move(normalized);
  Status saved = d.saveMeta(std::move(next));
  Impl::leave(d);
  return saved;
}

void Account::onNetworkUp() {
  Impl& d = *impl_;
  if (d.closed || d.forgotten()) return;
  d.enter();
  d.run(d.session->onNetworkUp(d.now()));
  Impl::leave(d);
}

void Account::close() {
  Impl& d = *impl_;
  if (d.closed) return;
  d.enter();
  d.run(d.session->stop(d.now()));
  d.closed = true;
  d.queue.clear();
  if (d.transport) d.transport->wakeAt(std::nullopt);
  d.messenger.reset();
  d.db.reset();
  Impl::leave(d);
}

// ---- transport inputs -------------------------------------------------------------------------

void Account::onTransportOpen() {
  Impl& d = *impl_;
  if (d.closed) return;
  d.enter();
  d.run(d.session->onTransportOpen(d.now()));
  Impl::leave(d);
}

void Account::onBytes(BytesView bytes) {
  Impl& d = *impl_;
  if (d.closed) return;
  d.enter();
  d.run(d.session->onBytes(bytes, d.now()));
  Impl::leave(d);
}

void Account::onTransportClosed() {
  Impl& d = *impl_;
  if (d.closed) return;
  d.enter();
  d.run(d.session->onTransportClosed(d.now()));
  Impl::leave(d);
}

void Account::onTimer() {
  Impl& d = *impl_;
  if (d.closed) return;
  d.enter();
  d.run(d.session->onTimer(d.now()));
  if (d.messenger) {
    if (auto due = d.messenger->nextDeadline(); due && *due <= d.now()) {
      d.carry(d.messenger->onTimer());
    }
  }
  Impl::leave(d);
}

}  // namespace chorus::core::account
