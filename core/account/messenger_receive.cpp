// The receive half of the Messenger: <message> (decrypt + store in one transaction, then the
// receipt and the ack), <receipt> (statuses of what we sent; retry receipts go to the send
// half), <notification> (prekey refill, device lists, groups) and read receipts for chats the
// person read.
#include <algorithm>
#include <map>

#include "core/account/messenger_impl.h"
#include "core/session/groups.h"
#include "core/session/message_content.h"
#include "core/signal/group_cipher.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_error.h"
#include "core/signal/signal_keys.h"

namespace chorus::core::account {

Result<Bytes> Messenger::Impl::decrypt(const session::IncomingMessage& m,
                                       const session::IncomingEnc& enc) {
  if (enc.type == session::EncType::SenderKey) {
    signal::GroupCipher groups(*context);
    return groups.decrypt({jid::format(m.chat), addressOf(m.sender)}, enc.ciphertext);
  }
  const auto type = enc.type == session::EncType::PreKey ? signal::MessageType::PreKey
                                                         : signal::MessageType::Normal;
  signal::SessionCipher sessions(*context);
  auto plain = sessions.decrypt(addressOf(m.sender), type, enc.ciphertext);
  if (plain || type != signal::MessageType::PreKey || !signal::isUntrustedIdentity(plain.error())) {
    return plain;
  }
  // A new identity (the sender reinstalled): accepted, as WhatsApp clients do.
  CHORUS_CHECK(signalStore->removeRemoteIdentity(addressOf(m.sender)));
  // A new identity is a reinstalled app: it has none of our sender keys.
  CHORUS_CHECK(signalStore->forgetSenderKeyHolder(m.sender.user));
  return sessions.decrypt(addressOf(m.sender), type, enc.ciphertext);
}

store::IncomingMessage Messenger::Impl::rowFor(const session::IncomingMessage& m,
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

// One enc in one transaction: decrypt, classify, SKDM, store; commit.
Result<Messenger::Impl::Received> Messenger::Impl::receiveEnc(const session::IncomingMessage& m,
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

api::MessageView Messenger::Impl::viewOf(const session::IncomingMessage& m, std::int64_t localId,
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

void Messenger::Impl::announce(const session::IncomingMessage& m, const std::string& chatJid,
                               const store::InsertResult& stored, api::MessageKind kind,
                               std::string text, MessengerOutput& out) {
  if (stored.outcome == store::InsertOutcome::Duplicate) return;
  api::MessageView view = viewOf(m, stored.localId, kind, std::move(text));
  if (stored.outcome == store::InsertOutcome::Inserted) {
    out.events.emplace_back(api::MessageAdded{accountId, chatJid, std::move(view)});
    if (!m.fromMe) announceChat(chatJid, out);
  } else {
    api::MessageUpdated updated{accountId, chatJid, m.id, view.status, true, std::move(view)};
    out.events.emplace_back(std::move(updated));
  }
}

void Messenger::Impl::announceChat(const std::string& chatJid, MessengerOutput& out) {
  auto unread = chats.unreadCount(chatJid);
  auto total = chats.totalUnread();
  if (!unread || !total) return;  // only a badge: a read problem shows elsewhere
  out.events.emplace_back(api::ChatUpdated{accountId, chatJid, *unread, *total});
}

// The message could not be decrypted. True when it is a redelivery of one already stored
// with its content (only acked again); otherwise a placeholder is stored (once).
bool Messenger::Impl::storePlaceholder(const session::IncomingMessage& m, MessengerOutput& out) {
  const store::IncomingMessage row = rowFor(m, api::MessageKind::Placeholder, {});
  auto stored = messages.insertIncoming(row);
  if (!stored) {
    problem(out, stored.error(), "could not store a placeholder");
    return false;
  }
  if (stored->outcome == store::InsertOutcome::Duplicate) {
    auto existing = query.message(stored->localId);
    return existing && *existing && (*existing)->kind != api::MessageKind::Placeholder;
  }
  announce(m, row.chatJid, *stored, api::MessageKind::Placeholder, {}, out);
  return false;
}

void Messenger::Impl::sendRetry(const session::IncomingMessage& m, std::uint32_t countInMessage,
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

Result<session::RetryKeys> Messenger::Impl::retryKeys() {
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

void Messenger::Impl::onMessage(const binary::Node& node, MessengerOutput& out) {
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

// ---- receipts of what we sent -----------------------------------------------------------------------

void Messenger::Impl::onReceipt(const binary::Node& node, MessengerOutput& out) {
  auto parsed = session::parseIncomingReceipt(node, self);
  if (!parsed) {
    problem(out, parsed.error(), "a receipt was not understood");
    return ack(node, out);
  }
  if (parsed->type == session::ReceiptType::Retry && parsed->retry) {
    ack(node, out);  // first: the answer may take a prekey fetch
    return onRetryReceipt(*parsed, out);
  }
  std::optional<store::ReceiptType> type;
  switch (parsed->type) {
    case session::ReceiptType::Delivery:
    case session::ReceiptType::Inactive: type = store::ReceiptType::Delivered; break;
    case session::ReceiptType::Read:
    case session::ReceiptType::Played: type = store::ReceiptType::Read; break;
    default: break;  // our own devices' "sender"/"read-self", server errors, others
  }
  if (type && !parsed->fromMe) {
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
  ack(node, out);
}

// ---- notifications ------------------------------------------------------------------------------------

void Messenger::Impl::onNotification(const binary::Node& node, MessengerOutput& out) {
  ack(node, out);
  const std::string type = node.attrText("type").value_or("");
  if (session::isLowPreKeyNotification(node, policy)) {
    upload(policy.refillBatch, out);
  } else if (type == "devices") {
    // Whatever changed, the next send asks the server for the whole list again.
    if (auto devices = session::parseDevicesNotification(node)) {
      forgetDevices(devices->from, out);
      if (devices->lid) forgetDevices(*devices->lid, out);
    } else {
      problem(out, devices.error(), "a device list notification");
    }
  } else if (session::isGroupNotification(node)) {
    onGroupNotification(node, out);
  }
}

// ---- read receipts ------------------------------------------------------------------------------------

Status Messenger::Impl::markChatRead(std::string_view chatJid, MessengerOutput& out) {
  CHORUS_TRY(chat, jid::parse(chatJid));
  if (!(chat.isUser() || chat.isGroup()) || chat.device != 0) {
    return fail(Errc::InvalidArgument, "not a chat JID");
  }
  const std::string key = userJidOrGroup(chat);
  CHORUS_TRY(targets, messages.markChatRead(key));
  // One receipt per sender (whatsmeow MarkRead): ids in order, participant in groups.
  std::map<std::string, std::vector<std::string>> bySender;
  for (const store::ReadReceiptTarget& t : targets) bySender[t.senderJid].push_back(t.id);
  const std::int64_t now = toUnixSeconds(clock.now());
  for (const auto& [senderJid, ids] : bySender) {
    std::optional<jid::Jid> participant;
    if (chat.isGroup()) {
      auto sender = jid::parse(senderJid);
      if (!sender) continue;
      participant = sender->toNonDevice();
    }
    for (std::size_t first = 0; first < ids.size(); first += session::kMaxReceiptIds) {
      const std::size_t end = std::min(ids.size(), first + session::kMaxReceiptIds);
      const std::vector<std::string> batch(ids.begin() + static_cast<std::ptrdiff_t>(first),
                                           ids.begin() + static_cast<std::ptrdiff_t>(end));
      auto receipt = session::buildReadReceipt(chat.toNonDevice(), participant, batch, now);
      if (!receipt) {
        problem(out, receipt.error(), "a read receipt");
        continue;
      }
      if (ready) {
        out.stanzas.push_back(std::move(*receipt));
      } else {
        pendingReadReceipts.push_back(std::move(*receipt));
      }
    }
  }
  announceChat(key, out);
  return ok();
}

void Messenger::Impl::sendPendingReadReceipts(MessengerOutput& out) {
  for (binary::Node& receipt : pendingReadReceipts) out.stanzas.push_back(std::move(receipt));
  pendingReadReceipts.clear();
}

}  // namespace chorus::core::account
