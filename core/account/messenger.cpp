#include "core/account/messenger.h"

#include <utility>

#include "core/account/messenger_impl.h"
#include "core/session/groups.h"
#include "core/signal/signal_keys.h"
#include "core/util/bytes.h"

namespace chorus::core::account {

namespace {

constexpr std::string_view kMessageTag = "message";
constexpr std::string_view kReceiptTag = "receipt";
constexpr std::string_view kNotificationTag = "notification";
constexpr std::string_view kAckTag = "ack";
constexpr std::string_view kCallTag = "call";
constexpr std::string_view kIqTag = "iq";
constexpr std::size_t kIqIdRandomBytes = 4;

bool needsAck(std::string_view tag) {
  return tag == kMessageTag || tag == kReceiptTag || tag == kNotificationTag || tag == kCallTag;
}

}  // namespace

std::string userJidOf(const jid::Jid& j) {
  return jid::format(j.toNonDevice());
}

std::string userJidOrGroup(const jid::Jid& chat) {
  return chat.isUser() ? userJidOf(chat) : jid::format(chat);
}

signal::SignalAddress addressOf(const jid::Jid& device) {
  return {device.user, static_cast<std::int32_t>(device.device)};
}

Messenger::Impl::Impl(api::AccountId accountIdIn, store::Database& dbIn,
                      const store::ColumnCipher& cipherIn, const store::MessageLookupKey& lookupIn,
                      const store::LookupKey& signalLookupIn, const Clock& clockIn,
                      Random& randomIn, session::PreKeyPolicy policyIn)
    : accountId(std::move(accountIdIn)),
      db(dbIn),
      clock(clockIn),
      random(randomIn),
      policy(policyIn),
      signalStore(std::make_unique<store::SqlSignalStore>(dbIn, cipherIn, signalLookupIn, clockIn)),
      messages(dbIn, cipherIn, lookupIn),
      outbox(dbIn, cipherIn, lookupIn),
      contacts(dbIn, cipherIn, lookupIn),
      chats(dbIn, cipherIn, lookupIn),
      query(dbIn, cipherIn, lookupIn),
      iqPrefix(toHex(randomIn.bytes(kIqIdRandomBytes)) + "-m") {}

std::string Messenger::Impl::nextIqId() {
  return iqPrefix + std::to_string(++iqCounter);
}

void Messenger::Impl::problem(MessengerOutput& out, Error error, std::string_view what) {
  error.detail = std::string(what) + (error.detail.empty() ? "" : ": " + error.detail);
  out.problems.push_back(std::move(error));
}

void Messenger::Impl::ack(const binary::Node& node, MessengerOutput& out) {
  auto built = session::buildAckFor(node);
  if (built) {
    out.stanzas.push_back(std::move(*built));
  } else {
    problem(out, built.error(), "could not acknowledge a " + node.tag);
  }
}

// ---- prekeys ------------------------------------------------------------------------------------

void Messenger::Impl::askPreKeyCount(MessengerOutput& out) {
  std::string id = nextIqId();
  pending[id] = PendingIq{IqKind::PreKeyCount, {}, {}, {}};
  out.stanzas.push_back(session::buildPreKeyCountQuery(std::move(id)));
}

void Messenger::Impl::onPreKeyCount(const binary::Node& iq, MessengerOutput& out) {
  auto count = session::parsePreKeyCount(iq);
  if (!count) return problem(out, count.error(), "the server's prekey count");
  const std::size_t wanted = policy.toUpload(*count);
  if (wanted > 0) upload(wanted, out);
}

void Messenger::Impl::upload(std::size_t wanted, MessengerOutput& out) {
  if (Status made = uploadKeys(wanted, out); !made) {
    problem(out, made.error(), "could not prepare the prekey upload");
  }
}

Status Messenger::Impl::uploadKeys(std::size_t wanted, MessengerOutput& out) {
  CHORUS_TRY(keys, signalStore->unuploadedPreKeys(wanted));
  if (keys.size() < wanted) {
    CHORUS_TRY(first, signalStore->nextPreKeyId());
    CHORUS_TRY(fresh, signal::generatePreKeys(first, wanted - keys.size(), random));
    CHORUS_CHECK(signalStore->storePreKeys(fresh));
    for (const signal::PreKey& key : fresh) keys.push_back({key.id, key.publicKey});
  }
  CHORUS_TRY(identity, signalStore->identityKeyPair());
  CHORUS_TRY(registrationId, signalStore->registrationId());
  CHORUS_TRY(signedPreKey, signalStore->currentSignedPreKey());
  std::string id = nextIqId();
  CHORUS_TRY(node, session::buildPreKeyUpload(id, registrationId, identity.publicKey,
                                              signedPreKey.key, keys));
  PendingIq upload{IqKind::PreKeyUpload, {}, {}, {}};
  for (const auto& key : keys) upload.preKeyIds.push_back(key.id);
  pending[id] = std::move(upload);
  out.stanzas.push_back(std::move(node));
  return ok();
}

// ---- iq answers -----------------------------------------------------------------------------------

void Messenger::Impl::onIq(const binary::Node& iq, MessengerOutput& out) {
  const std::string type = iq.attrText("type").value_or("");
  if (type != "result" && type != "error") return;  // requests we do not serve
  const std::string id = iq.attrText("id").value_or("");
  auto it = pending.find(id);
  if (it == pending.end()) return;
  PendingIq request = std::move(it->second);
  pending.erase(it);
  switch (request.kind) {
    case IqKind::PreKeyCount: return onPreKeyCount(iq, out);
    case IqKind::DeviceList: return onDeviceList(request, iq, out);
    case IqKind::PreKeyFetch: return onPreKeyFetch(request, iq, out);
    case IqKind::GroupMeta: return onGroupMeta(request, iq, out);
    case IqKind::RetryFetch: return onRetryFetch(request.key, iq, out);
    case IqKind::GroupRequest: return onGroupCall(request.key, iq, out);
    case IqKind::PreKeyUpload: break;
  }
  if (type != "result") {
    return problem(out, Error{Errc::Protocol, "the server refused"}, "the prekey upload");
  }
  if (Status marked = signalStore->markPreKeysUploaded(request.preKeyIds); !marked) {
    problem(out, marked.error(), "could not record the prekey upload");
  }
}

// ---- the public face --------------------------------------------------------------------------------

Result<std::unique_ptr<Messenger>> Messenger::create(api::AccountId accountId, store::Database& db,
                                                     const store::ColumnCipher& cipher,
                                                     const store::MessageLookupKey& lookup,
                                                     const store::LookupKey& signalLookup,
                                                     const Clock& clock, Random& random,
                                                     session::PreKeyPolicy policy) {
  auto impl = std::make_unique<Impl>(std::move(accountId), db, cipher, lookup, signalLookup, clock,
                                     random, policy);
  CHORUS_TRY(context, signal::SignalContext::create(*impl->signalStore, random));
  impl->context = std::make_unique<signal::SignalContext>(std::move(context));
  return std::unique_ptr<Messenger>(new Messenger(std::move(impl)));
}

Messenger::Messenger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Messenger::~Messenger() = default;

MessengerOutput Messenger::onReady(const store::DeviceCredentials& credentials,
                                   const store::DeviceIdentity& identity) {
  MessengerOutput out;
  Impl& d = *impl_;
  auto device = jid::parse(credentials.deviceJid);
  if (!device) {
    d.problem(out, device.error(), "our device JID");
    return out;
  }
  d.self.pn = device->toNonDevice();
  d.selfDevice = *device;
  d.self.lid.reset();
  if (auto lid = jid::parse(credentials.lid)) d.self.lid = lid->toNonDevice();
  d.deviceIdentity = identity.signedDeviceIdentity;
  d.askPreKeyCount(out);
  d.ready = true;
  d.jobs.clear();
  d.sendPendingReadReceipts(out);
  if (Status due = d.outbox.retryNow(d.clock.now()); !due) {
    d.problem(out, due.error(), "could not requeue the outbox");
  }
  d.flush(out);
  return out;
}

Result<MessengerOutput> Messenger::sendText(std::string_view chatJid, std::string_view text,
                                            std::string* id) {
  Impl& d = *impl_;
  MessengerOutput out;
  CHORUS_TRY(queued, d.queueText(chatJid, text, out));
  if (id != nullptr) *id = queued;
  d.flush(out);
  return out;
}

Result<MessengerOutput> Messenger::markChatRead(std::string_view chatJid) {
  MessengerOutput out;
  CHORUS_CHECK(impl_->markChatRead(chatJid, out));
  return out;
}

Result<MessengerOutput> Messenger::retryMessage(std::string_view chatJid,
                                                std::string_view messageId) {
  Impl& d = *impl_;
  MessengerOutput out;
  CHORUS_TRY(found, d.messages.findOutgoing(chatJid, messageId));
  CHORUS_CHECK(d.outbox.requeueFailed(found.localId, d.clock.now()));
  auto view = d.query.message(found.localId);
  if (view && *view) {
    out.events.emplace_back(api::MessageUpdated{d.accountId, std::string(chatJid),
                                                std::string(messageId), api::MessageStatus::Queued,
                                                true, **view});
  }
  d.flush(out);
  return out;
}

MessengerOutput Messenger::onStanza(const binary::Node& node) {
  MessengerOutput out;
  Impl& d = *impl_;
  if (node.tag == kMessageTag) {
    d.onMessage(node, out);
  } else if (node.tag == kReceiptTag) {
    d.onReceipt(node, out);
  } else if (node.tag == kNotificationTag) {
    d.onNotification(node, out);
  } else if (node.tag == kIqTag) {
    d.onIq(node, out);
  } else if (node.tag == kAckTag) {
    d.onServerAck(node, out);  // acks of what we sent: nothing to answer
  } else if (needsAck(node.tag)) {
    d.ack(node, out);  // calls: not handled, but never left unacknowledged
  }
  return out;
}

std::optional<TimePoint> Messenger::nextDeadline() {
  Impl& d = *impl_;
  if (!d.ready) return std::nullopt;
  auto next = d.outbox.nextDueAt();
  if (!next || !*next) return std::nullopt;  // a storage problem surfaces on the next flush
  // Items waiting for room in a full window are due already: acks make room, not the clock.
  const TimePoint now = d.clock.now();
  if (**next <= now && d.jobs.size() >= kMaxInFlight) return now + kFullWindowPoll;
  return *next;
}

MessengerOutput Messenger::onTimer() {
  MessengerOutput out;
  Impl& d = *impl_;
  if (!d.ready) return out;
  auto exhausted = d.outbox.failExhausted(d.clock.now());
  if (!exhausted) {
    d.problem(out, exhausted.error(), "could not fail exhausted messages");
  } else {
    for (std::int64_t localId : *exhausted) {
      auto view = d.query.message(localId);
      auto chat = d.query.chatOf(localId);
      if (!view || !*view || !chat || !*chat) continue;
      d.jobs.erase((*view)->id);
      out.events.emplace_back(api::MessageUpdated{d.accountId, **chat, (*view)->id,
                                                  api::MessageStatus::Failed, true, **view});
    }
  }
  d.flush(out);
  return out;
}

MessengerOutput Messenger::onDisconnected() {
  MessengerOutput out;
  Impl& d = *impl_;
  d.pending.clear();
  d.jobs.clear();  // the outbox keeps them; Ready sends them again
  d.usersAsked.clear();
  d.devicesAsked.clear();
  d.groupsAsked.clear();
  d.retryAnswers.clear();
  d.failGroupCalls();
  for (auto& [iqId, call] : d.groupCalls) {
    (void)iqId;
    GroupDone done = std::move(call.done);
    out.completions.emplace_back([done = std::move(done)] {
      done(fail(Errc::Timeout, "the connection dropped before the server answered"));
    });
  }
  d.groupCalls.clear();
  d.ready = false;
  return out;
}

}  // namespace chorus::core::account
