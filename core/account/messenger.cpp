#include "core/account/messenger.h"

#include <algorithm>
#include <utility>

#include "core/protocol/jid/jid.h"
#include "core/session/message_content.h"
#include "core/session/prekey_bundle.h"
#include "core/session/usync.h"
#include "core/store/message_id.h"
#include "core/store/outbox.h"
#include "core/session/receipts.h"
#include "core/signal/group_cipher.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "core/signal/signal_keys.h"
#include "core/store/contact_store.h"
#include "core/store/message_query.h"
#include "core/store/message_store.h"
#include "core/store/signal_sql_store.h"
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
constexpr std::size_t kMaxRememberedRetries = 4096;  // messages whose retry count we keep
constexpr std::size_t kMaxSendBatch = 50;            // outbox items started per flush

std::string userJidOf(const jid::Jid& j) {
  return jid::format(j.toNonDevice());
}

signal::SignalAddress addressOf(const jid::Jid& device) {
  return {device.user, static_cast<std::int32_t>(device.device)};
}

bool needsAck(std::string_view tag) {
  return tag == kMessageTag || tag == kReceiptTag || tag == kNotificationTag || tag == kCallTag;
}

}  // namespace

struct Messenger::Impl {
  enum class IqKind : std::uint8_t { PreKeyCount, PreKeyUpload, DeviceList, PreKeyFetch };
  struct PendingIq {
    IqKind kind = IqKind::PreKeyCount;
    std::vector<std::uint32_t> preKeyIds;  // an upload: the keys it carried
    std::string messageId;                 // a send step: the message's wire id
  };
  // An outbox item on its way out (until the server's ack or a disconnect).
  struct SendJob {
    store::OutboxItem item;
    jid::Jid chat;
    std::vector<jid::Jid> devices;  // the fan-out, once the device lists are known
    bool stanzaSent = false;
  };

  Impl(api::AccountId accountIdIn, store::Database& dbIn, const store::ColumnCipher& cipherIn,
       const store::MessageLookupKey& lookupIn, const store::LookupKey& signalLookupIn,
       const Clock& clockIn, Random& randomIn, session::PreKeyPolicy policyIn)
      : accountId(std::move(accountIdIn)),
        db(dbIn),
        clock(clockIn),
        random(randomIn),
        policy(policyIn),
        signalStore(
            std::make_unique<store::SqlSignalStore>(dbIn, cipherIn, signalLookupIn, clockIn)),
        messages(dbIn, cipherIn, lookupIn),
        outbox(dbIn, cipherIn, lookupIn),
        contacts(dbIn, cipherIn, lookupIn),
        query(dbIn, cipherIn, lookupIn),
        iqPrefix(toHex(randomIn.bytes(kIqIdRandomBytes)) + "-m") {}

  [[nodiscard]] std::string nextIqId() { return iqPrefix + std::to_string(++iqCounter); }

  void problem(MessengerOutput& out, Error error, std::string_view what) {
    error.detail = std::string(what) + (error.detail.empty() ? "" : ": " + error.detail);
    out.problems.push_back(std::move(error));
  }

  void ack(const binary::Node& node, MessengerOutput& out) {
    auto built = session::buildAckFor(node);
    if (built) {
      out.stanzas.push_back(std::move(*built));
    } else {
      problem(out, built.error(), "could not acknowledge a " + node.tag);
    }
  }

  // ---- prekeys ----------------------------------------------------------------------------------

  void askPreKeyCount(MessengerOutput& out) {
    std::string id = nextIqId();
    pending[id] = PendingIq{IqKind::PreKeyCount, {}, {}};
    out.stanzas.push_back(session::buildPreKeyCountQuery(std::move(id)));
  }

  void onPreKeyCount(const binary::Node& iq, MessengerOutput& out) {
    auto count = session::parsePreKeyCount(iq);
    if (!count) return problem(out, count.error(), "the server's prekey count");
    const std::size_t wanted = policy.toUpload(*count);
    if (wanted > 0) upload(wanted, out);
  }

  void upload(std::size_t wanted, MessengerOutput& out) {
    if (Status made = uploadKeys(wanted, out); !made) {
      problem(out, made.error(), "could not prepare the prekey upload");
    }
  }

  [[nodiscard]] Status uploadKeys(std::size_t wanted, MessengerOutput& out) {
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
    PendingIq upload{IqKind::PreKeyUpload, {}, {}};
    for (const auto& key : keys) upload.preKeyIds.push_back(key.id);
    pending[id] = std::move(upload);
    out.stanzas.push_back(std::move(node));
    return ok();
  }

  void onIq(const binary::Node& iq, MessengerOutput& out) {
    const std::string type = iq.attrText("type").value_or("");
    if (type != "result" && type != "error") return;  // requests we do not serve
    auto it = pending.find(iq.attrText("id").value_or(""));
    if (it == pending.end()) return;
    PendingIq request = std::move(it->second);
    pending.erase(it);
    if (request.kind == IqKind::PreKeyCount) return onPreKeyCount(iq, out);
    if (request.kind == IqKind::DeviceList) return onDeviceList(request.messageId, iq, out);
    if (request.kind == IqKind::PreKeyFetch) return onPreKeyFetch(request.messageId, iq, out);
    if (type != "result") {
      return problem(out, Error{Errc::Protocol, "the server refused"}, "the prekey upload");
    }
    if (Status marked = signalStore->markPreKeysUploaded(request.preKeyIds); !marked) {
      problem(out, marked.error(), "could not record the prekey upload");
    }
  }

  // ---- messages ---------------------------------------------------------------------------------

  // What decrypting one <enc> gave: nothing stored, or the stored message.
  struct Received {
    std::optional<store::InsertResult> stored;
    std::string chatJid;
    std::string text;
  };

  [[nodiscard]] Result<Bytes> decrypt(const session::IncomingMessage& m,
                                      const session::IncomingEnc& enc) {
    if (enc.type == session::EncType::SenderKey) {
      signal::GroupCipher groups(*context);
      return groups.decrypt({jid::format(m.chat), addressOf(m.sender)}, enc.ciphertext);
    }
    const auto type = enc.type == session::EncType::PreKey ? signal::MessageType::PreKey
                                                           : signal::MessageType::Normal;
    signal::SessionCipher sessions(*context);
    return sessions.decrypt(addressOf(m.sender), type, enc.ciphertext);
  }

  [[nodiscard]] store::IncomingMessage rowFor(const session::IncomingMessage& m,
                                              api::MessageKind kind, std::string text) const {
    store::IncomingMessage row;
    row.chatJid = userJidOrGroup(m.chat);
    row.senderJid = userJidOf(m.sender);
    row.senderDevice = m.sender.device;
    row.id = m.id;
    row.timestamp = fromUnixSeconds(m.timestamp);
    row.kind = kind;
    row.text = std::move(text);
    row.fromMe = m.fromMe;
    return row;
  }

  [[nodiscard]] static std::string userJidOrGroup(const jid::Jid& chat) {
    return chat.isUser() ? userJidOf(chat) : jid::format(chat);
  }

  // One enc in one transaction: decrypt, classify, SKDM, store; commit.
  [[nodiscard]] Result<Received> receiveEnc(const session::IncomingMessage& m,
                                            const session::IncomingEnc& enc) {
    CHORUS_TRY(tx, db.begin());
    CHORUS_TRY(padded, decrypt(m, enc));
    CHORUS_TRY(content, session::decodeReceivedContent(padded, m.fromMe));
    if (content.senderKey) {
      signal::GroupCipher groups(*context);
      const signal::SenderKeyName name{content.senderKey->groupId, addressOf(m.sender)};
      CHORUS_CHECK(groups.processDistributionMessage(name, content.senderKey->skdm));
    }
    Received received;
    if (content.kind == session::ContentKind::Text) {
      store::IncomingMessage row = rowFor(m, api::MessageKind::Text, content.text);
      if (content.deviceSent && !content.destinationJid.empty()) {
        if (auto destination = jid::parse(content.destinationJid)) {
          row.chatJid = userJidOrGroup(*destination);
        }
      }
      CHORUS_TRY(stored, messages.insertIncoming(row));
      received.stored = stored;
      received.chatJid = row.chatJid;
      received.text = std::move(content.text);
    }
    CHORUS_CHECK(tx.commit());
    return received;
  }

  [[nodiscard]] api::MessageView viewOf(const session::IncomingMessage& m, std::int64_t localId,
                                        api::MessageKind kind, std::string text) const {
    api::MessageView view;
    view.localId = localId;
    view.id = m.id;
    view.direction = m.fromMe ? api::MessageDirection::Outgoing : api::MessageDirection::Incoming;
    view.status = api::MessageStatus::Delivered;
    view.kind = kind;
    view.timestamp = fromUnixSeconds(m.timestamp);
    view.text = std::move(text);
    if (!m.fromMe) {
      view.senderJid = userJidOf(m.sender);
      view.senderName = m.pushName;
    }
    return view;
  }

  void announce(const session::IncomingMessage& m, const std::string& chatJid,
                const store::InsertResult& stored, api::MessageKind kind, std::string text,
                MessengerOutput& out) {
    if (stored.outcome == store::InsertOutcome::Duplicate) return;
    api::MessageView view = viewOf(m, stored.localId, kind, std::move(text));
    if (stored.outcome == store::InsertOutcome::Inserted) {
      out.events.emplace_back(api::MessageAdded{accountId, chatJid, std::move(view)});
    } else {
      api::MessageUpdated updated{accountId, chatJid, m.id, view.status, true, std::move(view)};
      out.events.emplace_back(std::move(updated));
    }
  }

  // The message could not be decrypted. True when it is a redelivery of one already stored
  // with its content (only acked again); otherwise a placeholder is stored (once).
  [[nodiscard]] bool storePlaceholder(const session::IncomingMessage& m, MessengerOutput& out) {
    const store::IncomingMessage row = rowFor(m, api::MessageKind::Placeholder, {});
    auto stored = messages.insertIncoming(row);
    if (!stored) {
      problem(out, stored.error(), "could not store a placeholder");
      return false;
    }
    if (stored->outcome == store::InsertOutcome::Duplicate) {
      auto existing = query.message(stored->localId);
      if (existing && *existing && (*existing)->kind != api::MessageKind::Placeholder) {
        return true;
      }
      return false;
    }
    announce(m, row.chatJid, *stored, api::MessageKind::Placeholder, {}, out);
    return false;
  }

  void sendRetry(const session::IncomingMessage& m, std::uint32_t countInMessage,
                 MessengerOutput& out) {
    const std::string key = m.id + '\n' + jid::format(m.sender);
    const std::uint32_t already = retries.count(key) != 0 ? retries[key] : 0;
    const std::optional<std::uint32_t> count = session::nextRetryCount(already, countInMessage);
    if (!count) return;  // given up: the placeholder stays
    if (retries.size() >= kMaxRememberedRetries) retries.clear();
    retries[key] = *count;
    auto registrationId = signalStore->registrationId();
    if (!registrationId) return problem(out, registrationId.error(), "retry receipt");
    session::RetryRequest request{*count, *registrationId, std::nullopt};
    if (session::retryIncludesKeys(*count, false)) {
      auto keys = retryKeys();
      if (!keys) return problem(out, keys.error(), "retry receipt keys");
      request.keys = std::move(*keys);
    }
    auto receipt = session::buildRetryReceipt(m, request);
    if (!receipt) return problem(out, receipt.error(), "retry receipt");
    out.stanzas.push_back(std::move(*receipt));
  }

  [[nodiscard]] Result<session::RetryKeys> retryKeys() {
    CHORUS_TRY(identity, signalStore->identityKeyPair());
    CHORUS_TRY(signedPreKey, signalStore->currentSignedPreKey());
    CHORUS_TRY(first, signalStore->nextPreKeyId());
    CHORUS_TRY(fresh, signal::generatePreKeys(first, 1, random));
    CHORUS_CHECK(signalStore->storePreKeys(fresh));
    session::RetryKeys keys;
    keys.identityKey = identity.publicKey;
    keys.preKeyId = fresh[0].id;
    keys.preKey = fresh[0].publicKey;
    keys.signedPreKeyId = signedPreKey.key.id;
    keys.signedPreKey = signedPreKey.key.publicKey;
    keys.signedPreKeySignature = signedPreKey.key.signature;
    keys.deviceIdentity = deviceIdentity;
    return keys;
  }

  void onMessage(const binary::Node& node, MessengerOutput& out) {
    auto parsed = session::parseIncomingMessage(node, self);
    if (!parsed) {
      problem(out, parsed.error(), "an incoming message was not understood");
      return ack(node, out);
    }
    const session::IncomingMessage& m = *parsed;
    if (!m.pushName.empty() && !m.fromMe) {
      if (Status named = contacts.setPushName(userJidOf(m.sender), m.pushName, clock.now());
          !named) {
        problem(out, named.error(), "could not store a push name");
      }
    }
    bool failed = m.encs.empty() || m.unavailable;
    std::uint32_t countInMessage = 0;
    for (const session::IncomingEnc& enc : m.encs) {
      countInMessage = std::max(countInMessage, enc.retryCount);
      auto received = receiveEnc(m, enc);  // rolled back on failure
      if (!received) {
        failed = true;
        problem(out, received.error(), "a message could not be decrypted");
        continue;
      }
      if (received->stored) {
        announce(m, received->chatJid, *received->stored, api::MessageKind::Text,
                 std::move(received->text), out);
      }
    }
    if (failed) {
      const bool alreadyStored = storePlaceholder(m, out);
      if (!alreadyStored) {
        sendRetry(m, countInMessage, out);
      } else {
        out.stanzas.push_back(session::buildDeliveryReceipt(m));
      }
    } else {
      out.stanzas.push_back(session::buildDeliveryReceipt(m));
    }
    ack(node, out);
  }


  // ---- sending ----------------------------------------------------------------------------------

  [[nodiscard]] Result<std::string> queueText(std::string_view chatJid, std::string_view text,
                                              MessengerOutput& out) {
    CHORUS_TRY(chat, jid::parse(chatJid));
    if (!chat.isUser() || chat.device != 0) {
      return fail(Errc::InvalidArgument, "a 1:1 chat needs a user JID without a device");
    }
    CHORUS_TRY(message, session::buildTextMessage(text));
    std::string serialized;
    if (!message.SerializeToString(&serialized)) {
      return fail(Errc::Protocol, "the message could not be serialised");
    }
    const TimePoint now = clock.now();
    store::OutgoingMessage row;
    row.chatJid = userJidOf(chat);
    row.id = store::newMessageId(random, now, self.pn.user);  // the id first: resends reuse it
    row.timestamp = now;
    row.text = std::string(text);
    row.payload = toBytes(serialized);
    CHORUS_TRY(stored, messages.insertOutgoing(row, now));
    auto view = query.message(stored.localId);
    if (view && *view) {
      out.events.emplace_back(api::MessageAdded{accountId, row.chatJid, std::move(**view)});
    }
    return row.id;
  }

  // Starts every due outbox item that is not on its way already (only while Ready).
  void flush(MessengerOutput& out) {
    if (!ready) return;
    auto due = outbox.due(clock.now(), kMaxSendBatch);
    if (!due) return problem(out, due.error(), "could not read the outbox");
    for (store::OutboxItem& item : *due) {
      if (jobs.count(item.id) != 0) continue;
      auto chat = jid::parse(item.chatJid);
      if (!chat || !chat->isUser()) {
        if (Status failed = outbox.markFailed(item.localId, "not a 1:1 chat"); !failed) {
          problem(out, failed.error(), "could not fail an outgoing message");
        }
        continue;
      }
      const std::string id = item.id;
      jobs[id] = SendJob{std::move(item), *chat, {}, false};
      askDevices(id, out);
    }
  }

  void abandon(const std::string& messageId, MessengerOutput& out, Error error) {
    jobs.erase(messageId);  // stays queued: the next Ready sends it again
    problem(out, std::move(error), "could not send a message");
  }

  void askDevices(const std::string& messageId, MessengerOutput& out) {
    const SendJob& job = jobs.at(messageId);
    const std::vector<jid::Jid> users{job.chat.toNonDevice(), self.pn};
    std::string id = nextIqId();
    auto usync = session::buildDeviceListQuery(id, nextIqId(), users);
    if (!usync) return abandon(messageId, out, usync.error());
    pending[id] = PendingIq{IqKind::DeviceList, {}, messageId};
    out.stanzas.push_back(std::move(*usync));
  }

  void onDeviceList(const std::string& messageId, const binary::Node& iq, MessengerOutput& out) {
    auto it = jobs.find(messageId);
    if (it == jobs.end()) return;
    auto lists = session::parseDeviceListResult(iq);
    if (!lists) return abandon(messageId, out, lists.error());
    SendJob& job = it->second;
    job.devices = session::fanOutDevices(*lists, selfDevice);
    const bool peerListed = std::any_of(job.devices.begin(), job.devices.end(), [&](const auto& d) {
      return d.user == job.chat.user;
    });
    if (!peerListed) job.devices.push_back(job.chat.toNonDevice());  // at least the phone
    std::vector<jid::Jid> missing;
    signal::SessionCipher sessions(*context);
    for (const jid::Jid& device : job.devices) {
      auto has = sessions.hasSession(addressOf(device));
      if (!has) return abandon(messageId, out, has.error());
      if (!*has) missing.push_back(device);
    }
    if (missing.empty()) return encryptAndSend(messageId, out);
    std::string id = nextIqId();
    auto fetch = session::buildPreKeyFetch(id, missing);
    if (!fetch) return abandon(messageId, out, fetch.error());
    pending[id] = PendingIq{IqKind::PreKeyFetch, {}, messageId};
    out.stanzas.push_back(std::move(*fetch));
  }

  void onPreKeyFetch(const std::string& messageId, const binary::Node& iq, MessengerOutput& out) {
    if (jobs.count(messageId) == 0) return;
    auto fetched = session::parsePreKeyFetchResult(iq);
    if (!fetched) return abandon(messageId, out, fetched.error());
    signal::SessionCipher sessions(*context);
    for (const session::FetchedBundle& entry : *fetched) {
      if (!entry.bundle) {
        problem(out, entry.bundle.error(), "a device's prekey bundle");
        continue;
      }
      if (Status made = sessions.processBundle(addressOf(entry.device), *entry.bundle); !made) {
        problem(out, made.error(), "a session from a prekey bundle");
      }
    }
    encryptAndSend(messageId, out);
  }

  [[nodiscard]] Result<binary::Node> messageStanza(SendJob& job) {
    proto::Message message;
    if (!message.ParseFromArray(job.item.payload.data(),
                                static_cast<int>(job.item.payload.size()))) {
      return fail(Errc::Storage, "the queued message does not parse");
    }
    CHORUS_TRY(forOwnDevices, session::wrapDeviceSent(message, job.chat));
    session::OutgoingMessage stanza;
    stanza.id = job.item.id;
    stanza.to = job.chat;
    stanza.deviceIdentity = deviceIdentity;
    signal::SessionCipher sessions(*context);
    for (const jid::Jid& device : job.devices) {
      CHORUS_TRY(has, sessions.hasSession(addressOf(device)));
      if (!has) continue;  // no bundle for it: it asks for a retry, or gets it next time
      const bool own = device.user == self.pn.user;
      CHORUS_TRY(padded, session::encodePaddedMessage(own ? forOwnDevices : message, random));
      CHORUS_TRY(encrypted, sessions.encrypt(addressOf(device), padded));
      stanza.participants.push_back({device, std::move(encrypted)});
    }
    const bool toPeer = std::any_of(stanza.participants.begin(), stanza.participants.end(),
                                    [&](const auto& p) { return p.device.user == job.chat.user; });
    if (!toPeer) return fail(Errc::NotFound, "no device of the recipient could be reached");
    return session::buildMessageStanza(stanza);
  }

  void encryptAndSend(const std::string& messageId, MessengerOutput& out) {
    auto it = jobs.find(messageId);
    if (it == jobs.end()) return;
    SendJob& job = it->second;
    auto stanza = messageStanza(job);
    if (!stanza) return abandon(messageId, out, stanza.error());
    if (Status marked = outbox.markAttempted(job.item.localId, clock.now()); !marked) {
      problem(out, marked.error(), "could not record a send attempt");
    }
    job.stanzaSent = true;
    out.stanzas.push_back(std::move(*stanza));
  }

  void onServerAck(const binary::Node& node, MessengerOutput& out) {
    auto ack = session::parseServerAck(node);
    if (!ack || ack->stanzaClass != kMessageTag) return;
    auto it = jobs.find(ack->id);
    if (it == jobs.end() || !it->second.stanzaSent) return;
    const SendJob job = std::move(it->second);
    jobs.erase(it);
    const std::string chatJid = userJidOf(job.chat);
    if (ack->error != 0) {
      const std::string reason = "the server refused the message (" +
                                 std::to_string(ack->error) + ")";
      if (Status failed = outbox.markFailed(job.item.localId, reason); !failed) {
        return problem(out, failed.error(), "could not record a refused message");
      }
      out.events.emplace_back(api::MessageUpdated{accountId, chatJid, job.item.id,
                                                  api::MessageStatus::Failed, false, {}});
      return;
    }
    if (Status sent = outbox.markSent(job.item.localId); !sent) {
      return problem(out, sent.error(), "could not record a sent message");
    }
    auto view = query.message(job.item.localId);
    const api::MessageStatus status = view && *view ? (*view)->status : api::MessageStatus::Sent;
    out.events.emplace_back(
        api::MessageUpdated{accountId, chatJid, job.item.id, status, false, {}});
  }

  // ---- receipts, acks, notifications ------------------------------------------------------------

  void onReceipt(const binary::Node& node, MessengerOutput& out) {
    auto parsed = session::parseIncomingReceipt(node, self);
    if (parsed && !parsed->fromMe) {
      std::optional<store::ReceiptType> type;
      switch (parsed->type) {
        case session::ReceiptType::Delivery:
        case session::ReceiptType::Inactive: type = store::ReceiptType::Delivered; break;
        case session::ReceiptType::Read:
        case session::ReceiptType::Played: type = store::ReceiptType::Read; break;
        default: break;  // our own devices, retries (resending is not done yet), others
      }
      if (type) {
        const std::string chatJid = userJidOrGroup(parsed->chat);
        const store::DeviceReceipt receipt{
            {userJidOf(parsed->sender), jid::format(parsed->sender)},
            *type,
            parsed->timestamp != 0 ? fromUnixSeconds(parsed->timestamp) : clock.now()};
        for (const std::string& id : parsed->ids) {
          auto update = messages.addReceipt(chatJid, id, receipt);
          if (update && update->changed) {
            out.events.emplace_back(
                api::MessageUpdated{accountId, chatJid, id, update->status, false, {}});
          } else if (!update && update.error().code != Errc::NotFound) {
            problem(out, update.error(), "could not record a receipt");
          }
        }
      }
    } else if (!parsed) {
      problem(out, parsed.error(), "a receipt was not understood");
    }
    ack(node, out);
  }

  void onNotification(const binary::Node& node, MessengerOutput& out) {
    ack(node, out);
    if (session::isLowPreKeyNotification(node, policy)) upload(policy.refillBatch, out);
  }

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
  store::MessageQuery query;
  session::OwnJids self;
  jid::Jid selfDevice;  // our own device, left out of every fan-out
  bool ready = false;
  std::map<std::string, SendJob> jobs;  // by wire id
  Bytes deviceIdentity;
  std::string iqPrefix;
  std::uint64_t iqCounter = 0;
  std::map<std::string, PendingIq> pending;
  std::map<std::string, std::uint32_t> retries;  // our retry receipts per message and sender
};

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

void Messenger::onDisconnected() {
  impl_->pending.clear();
  impl_->jobs.clear();  // the outbox keeps them; Ready sends them again
  impl_->ready = false;
}

}  // namespace chorus::core::account
