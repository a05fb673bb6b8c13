// The send half of the Messenger (protocol §9, §10.2): the outbox goes out while Ready.
//
//   job        an outbox item: its recipients are the chat's user and our own (1:1), or the
//              group's participants (metadata cached, asked for when missing)
//   devices    every recipient's device list, from the cache or one usync for those missing
//   sessions   one prekey fetch for the devices that need a pairwise session and have none
//   stanza     1:1: a pkmsg/msg per device (our own devices get the DeviceSentMessage);
//              group: an SKDM pairwise to each device without our sender key, then one skmsg
//   ack        the server's ack makes it sent (and the SKDM holders are remembered)
//   retry      a peer's retry receipt: a fresh session (its keys, or a fetched bundle), the
//              same message re-encrypted for that one device, with the same id (≤ 5 times)
#include <algorithm>
#include <set>

#include "core/account/messenger_impl.h"
#include "core/session/message_content.h"
#include "core/session/prekey_bundle.h"
#include "core/signal/group_cipher.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_error.h"
#include "core/store/message_id.h"

namespace chorus::core::account {

namespace {

bool contains(const std::vector<jid::Jid>& list, const jid::Jid& j) {
  return std::find(list.begin(), list.end(), j) != list.end();
}

}  // namespace

Result<std::string> Messenger::Impl::queueText(std::string_view chatJid, std::string_view text,
                                               MessengerOutput& out) {
  CHORUS_TRY(chat, jid::parse(chatJid));
  const bool group = chat.isGroup() && !chat.user.empty();
  if (!group && (!chat.isUser() || chat.device != 0)) {
    return fail(Errc::InvalidArgument, "a chat needs a user JID without a device or a group JID");
  }
  CHORUS_TRY(message, session::buildTextMessage(text));
  std::string serialized;
  if (!message.SerializeToString(&serialized)) {
    return fail(Errc::Protocol, "the message could not be serialised");
  }
  const TimePoint now = clock.now();
  store::OutgoingMessage row;
  row.chatJid = userJidOrGroup(chat);
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

// Starts due outbox items (only while Ready), at most kMaxInFlight at a time: a message is
// unconfirmed from the moment it is written until the server's ack, and after a crash every
// unconfirmed one must go out again (same id) — the window bounds how many a crash can repeat.
void Messenger::Impl::flush(MessengerOutput& out) {
  if (!ready) return;
  auto due = outbox.due(clock.now(), kMaxInFlight + jobs.size());
  if (!due) return problem(out, due.error(), "could not read the outbox");
  for (store::OutboxItem& item : *due) {
    if (auto existing = jobs.find(item.id); existing != jobs.end()) {
      if (existing->second.stanzaSent) {
        // Written on this connection and not acked yet: sending it again here would deliver
        // it twice. The ack may still come; a reconnect sends it again anyway.
        if (Status marked = outbox.markAttempted(item.localId, clock.now()); !marked) {
          problem(out, marked.error(), "could not record a send attempt");
        }
        continue;
      }
      jobs.erase(existing);  // stuck waiting for a lookup that never came: start over
    } else if (jobs.size() >= kMaxInFlight) {
      continue;  // no room: the next ack makes some
    }
    auto chat = jid::parse(item.chatJid);
    if (!chat || !(chat->isUser() || chat->isGroup())) {
      if (Status failed = outbox.markFailed(item.localId, "not a chat JID"); !failed) {
        problem(out, failed.error(), "could not fail an outgoing message");
      }
      continue;
    }
    const std::string id = item.id;
    SendJob job;
    job.item = std::move(item);
    job.chat = *chat;
    jobs[id] = std::move(job);
    // Attempted now: unless the server acks first, the backoff brings it round again.
    if (Status marked = outbox.markAttempted(jobs[id].item.localId, clock.now()); !marked) {
      problem(out, marked.error(), "could not record a send attempt");
    }
    resolveRecipients(id, out);
  }
}

void Messenger::Impl::abandon(const std::string& messageId, MessengerOutput& out, Error error) {
  jobs.erase(messageId);  // stays queued: the backoff or the next Ready sends it again
  problem(out, std::move(error), "could not send a message");
}

// The users whose devices the job needs; asks for group metadata or device lists that are
// missing (unless another job asked already: then it waits), and goes on to the sessions once
// everything is known. A lookup that was answered without what the job needs is not asked
// again in this attempt: the job goes on with what there is.
void Messenger::Impl::resolveRecipients(const std::string& messageId, MessengerOutput& out) {
  auto it = jobs.find(messageId);
  if (it == jobs.end() || it->second.stanzaSent) return;
  SendJob& job = it->second;
  const bool group = job.chat.isGroup();
  job.users.clear();
  if (group) {
    const std::string groupJid = jid::format(job.chat);
    const auto info = cachedGroup(groupJid);
    if (!info) {
      if (groupsAsked.count(groupJid) != 0) return;  // asked: wait for the answer
      if (job.askedGroup) {
        return abandon(messageId, out, Error{Errc::Protocol, "the group's members are unknown"});
      }
      job.askedGroup = true;
      return askGroupMeta(job.chat, out);
    }
    for (const api::GroupParticipant& p : info->participants) {
      if (auto user = jid::parse(p.jid)) job.users.push_back(user->toNonDevice());
    }
    if (!contains(job.users, self.pn)) {
      return abandon(messageId, out, Error{Errc::InvalidArgument, "we are not in this group"});
    }
  } else {
    job.users = {job.chat.toNonDevice(), self.pn};
  }
  std::vector<jid::Jid> toAsk;
  std::vector<session::UserDeviceList> lists;
  bool waiting = false;
  for (const jid::Jid& user : job.users) {
    if (auto cached = cachedDevices(user)) {
      lists.push_back(std::move(*cached));
    } else if (usersAsked.count(userJidOf(user)) != 0) {
      waiting = true;
    } else if (!job.askedDevices) {
      toAsk.push_back(user);
    }  // else: asked and not listed: no devices to reach
  }
  if (!toAsk.empty()) {
    job.askedDevices = true;
    std::string id = nextIqId();
    auto usync = session::buildDeviceListQuery(id, nextIqId(), toAsk);
    if (!usync) return abandon(messageId, out, usync.error());
    PendingIq request{IqKind::DeviceList, {}, {}, {}};
    for (const jid::Jid& user : toAsk) {
      request.subjects.push_back(userJidOf(user));
      usersAsked.insert(userJidOf(user));
    }
    pending[id] = std::move(request);
    out.stanzas.push_back(std::move(*usync));
    return;
  }
  if (waiting) return;
  job.devices = session::fanOutDevices(lists, selfDevice, group);
  if (!group) {
    const bool peerListed = std::any_of(job.devices.begin(), job.devices.end(),
                                        [&](const auto& d) { return d.user == job.chat.user; });
    if (!peerListed) job.devices.push_back(job.chat.toNonDevice());  // at least the phone
  }
  ensureSessions(messageId, out);
}

void Messenger::Impl::advanceWaitingJobs(MessengerOutput& out) {
  // In the order they were written, so a chat's messages leave in order.
  std::vector<std::pair<std::int64_t, std::string>> waiting;
  for (const auto& [id, job] : jobs) {
    if (!job.stanzaSent) waiting.emplace_back(job.item.localId, id);
  }
  std::sort(waiting.begin(), waiting.end());
  for (const auto& entry : waiting) resolveRecipients(entry.second, out);
}

void Messenger::Impl::onDeviceList(const PendingIq& request, const binary::Node& iq,
                                   MessengerOutput& out) {
  for (const std::string& user : request.subjects) usersAsked.erase(user);
  auto lists = session::parseDeviceListResult(iq);
  if (!lists) {
    problem(out, lists.error(), "a device list answer");
  } else {
    // Users the server did not list have no devices we can reach: cached as empty, so jobs
    // do not ask again and again.
    std::set<std::string> listed;
    for (const session::UserDeviceList& list : *lists) listed.insert(userJidOf(list.user));
    for (const std::string& user : request.subjects) {
      auto parsed = jid::parse(user);
      if (listed.count(user) == 0 && parsed) {
        session::UserDeviceList empty;
        empty.user = *parsed;
        lists->push_back(std::move(empty));
      }
    }
    cacheDevices(std::move(*lists));
  }
  advanceWaitingJobs(out);
}

// The devices that need a pairwise session (1:1: all; group: those without our sender key)
// and have none get one prekey fetch; jobs whose devices another job is fetching wait for it.
void Messenger::Impl::ensureSessions(const std::string& messageId, MessengerOutput& out) {
  SendJob& job = jobs.at(messageId);
  const std::string chatJid = jid::format(job.chat);
  std::vector<jid::Jid> toFetch;
  bool waiting = false;
  signal::SessionCipher sessions(*context);
  for (const jid::Jid& device : job.devices) {
    if (job.chat.isGroup()) {
      auto holder = signalStore->isSenderKeyHolder(chatJid, addressOf(device));
      if (!holder) return abandon(messageId, out, holder.error());
      if (*holder) continue;  // skmsg only
    }
    auto has = sessions.hasSession(addressOf(device));
    if (!has) return abandon(messageId, out, has.error());
    if (*has) continue;
    if (devicesAsked.count(jid::format(device)) != 0) {
      waiting = true;
    } else if (!job.askedSessions) {
      toFetch.push_back(device);
    }  // else: fetched without a bundle: it asks for a retry, or gets it next time
  }
  if (!toFetch.empty()) {
    job.askedSessions = true;
    std::string id = nextIqId();
    auto fetch = session::buildPreKeyFetch(id, toFetch);
    if (!fetch) return abandon(messageId, out, fetch.error());
    PendingIq request{IqKind::PreKeyFetch, {}, {}, {}};
    for (const jid::Jid& device : toFetch) {
      request.subjects.push_back(jid::format(device));
      devicesAsked.insert(jid::format(device));
    }
    pending[id] = std::move(request);
    out.stanzas.push_back(std::move(*fetch));
    return;
  }
  if (waiting) return;
  encryptAndSend(messageId, out);
}

void Messenger::Impl::onPreKeyFetch(const PendingIq& request, const binary::Node& iq,
                                    MessengerOutput& out) {
  for (const std::string& device : request.subjects) devicesAsked.erase(device);
  auto fetched = session::parsePreKeyFetchResult(iq);
  if (!fetched) {
    problem(out, fetched.error(), "a prekey bundle answer");
  } else {
    signal::SessionCipher sessions(*context);
    for (const session::FetchedBundle& entry : *fetched) {
      if (!entry.bundle) {
        problem(out, entry.bundle.error(), "a device's prekey bundle");
        continue;
      }
      // A session made meanwhile (its own message arrived) is kept, not replaced.
      if (auto has = sessions.hasSession(addressOf(entry.device)); has && *has) continue;
      if (Status made = startSession(entry.device, *entry.bundle); !made) {
        problem(out, made.error(), "a session from a prekey bundle");
      }
    }
  }
  advanceWaitingJobs(out);
}

Result<binary::Node> Messenger::Impl::directStanza(SendJob& job, const proto::Message& message) {
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

// The SKDM goes pairwise to every device that lacks our sender key for the group; the text
// itself once, as the skmsg under that key (Baileys relayMessage, whatsmeow sendGroup).
Result<binary::Node> Messenger::Impl::groupStanza(SendJob& job, const proto::Message& message) {
  const std::string groupJid = jid::format(job.chat);
  signal::GroupCipher groups(*context);
  const signal::SenderKeyName name{groupJid, addressOf(selfDevice)};
  CHORUS_TRY(skdm, groups.createDistributionMessage(name));
  proto::Message distribution;
  auto* key = distribution.mutable_senderkeydistributionmessage();
  key->set_groupid(groupJid);
  key->set_axolotlsenderkeydistributionmessage(std::string(asString(skdm)));

  session::OutgoingMessage stanza;
  stanza.id = job.item.id;
  stanza.to = job.chat;
  stanza.deviceIdentity = deviceIdentity;
  signal::SessionCipher sessions(*context);
  std::vector<store::Recipient> recipients;
  for (const jid::Jid& device : job.devices) {
    if (device.user != self.pn.user) {
      recipients.push_back({userJidOf(device), jid::format(device)});
    }
    CHORUS_TRY(holder, signalStore->isSenderKeyHolder(groupJid, addressOf(device)));
    if (holder) continue;
    CHORUS_TRY(has, sessions.hasSession(addressOf(device)));
    if (!has) continue;  // it asks for a retry, and the retry carries the SKDM
    CHORUS_TRY(padded, session::encodePaddedMessage(distribution, random));
    CHORUS_TRY(encrypted, sessions.encrypt(addressOf(device), padded));
    stanza.participants.push_back({device, std::move(encrypted)});
  }
  CHORUS_TRY(padded, session::encodePaddedMessage(message, random));
  CHORUS_TRY(skmsg, groups.encrypt(name, padded));
  stanza.senderKeyCiphertext = std::move(skmsg);
  CHORUS_CHECK(messages.expectRecipients(groupJid, job.item.id, recipients));
  return session::buildMessageStanza(stanza);
}

void Messenger::Impl::encryptAndSend(const std::string& messageId, MessengerOutput& out) {
  auto it = jobs.find(messageId);
  if (it == jobs.end()) return;
  SendJob& job = it->second;
  proto::Message message;
  if (!message.ParseFromArray(job.item.payload.data(), static_cast<int>(job.item.payload.size()))) {
    return abandon(messageId, out, Error{Errc::Storage, "the queued message does not parse"});
  }
  auto stanza = job.chat.isGroup() ? groupStanza(job, message) : directStanza(job, message);
  if (!stanza) return abandon(messageId, out, stanza.error());
  job.stanzaSent = true;
  out.stanzas.push_back(std::move(*stanza));
}

void Messenger::Impl::onServerAck(const binary::Node& node, MessengerOutput& out) {
  auto ack = session::parseServerAck(node);
  if (!ack || ack->stanzaClass != "message") return;
  auto it = jobs.find(ack->id);
  if (it == jobs.end() || !it->second.stanzaSent) return;
  const SendJob job = std::move(it->second);
  jobs.erase(it);
  const std::string chatJid = userJidOrGroup(job.chat);
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
  if (job.chat.isGroup()) {
    // Every device of the fan-out that has a session got the SKDM with this message (or had
    // our key already).
    signal::SessionCipher sessions(*context);
    std::vector<signal::SignalAddress> holders;
    for (const jid::Jid& device : job.devices) {
      if (auto has = sessions.hasSession(addressOf(device)); has && *has) {
        holders.push_back(addressOf(device));
      }
    }
    if (Status kept = signalStore->addSenderKeyHolders(chatJid, holders); !kept) {
      // Only costs an SKDM again next time.
      problem(out, kept.error(), "could not remember who has our sender key");
    }
  }
  if (Status sent = outbox.markSent(job.item.localId); !sent) {
    return problem(out, sent.error(), "could not record a sent message");
  }
  auto view = query.message(job.item.localId);
  const api::MessageStatus status = view && *view ? (*view)->status : api::MessageStatus::Sent;
  out.events.emplace_back(api::MessageUpdated{accountId, chatJid, job.item.id, status, false, {}});
  flush(out);  // the next batch, when more were waiting
}

Status Messenger::Impl::startSession(const jid::Jid& device, const signal::PreKeyBundle& bundle) {
  signal::SessionCipher sessions(*context);
  Status made = sessions.processBundle(addressOf(device), bundle);
  if (made || !signal::isUntrustedIdentity(made.error())) return made;
  CHORUS_CHECK(signalStore->removeRemoteIdentity(addressOf(device)));
  // A new identity is a reinstalled app: it has none of our sender keys.
  CHORUS_CHECK(signalStore->forgetSenderKeyHolder(device.user));
  return sessions.processBundle(addressOf(device), bundle);
}

// ---- the device list cache ------------------------------------------------------------------------

std::optional<session::UserDeviceList> Messenger::Impl::cachedDevices(const jid::Jid& user) const {
  auto it = deviceCache.find(userJidOf(user));
  if (it == deviceCache.end()) return std::nullopt;
  if (clock.now() - it->second.fetchedAt > kDeviceListMaxAge) return std::nullopt;
  return it->second.list;
}

void Messenger::Impl::cacheDevices(std::vector<session::UserDeviceList> lists) {
  if (deviceCache.size() + lists.size() > kMaxCachedUsers) deviceCache.clear();
  const TimePoint now = clock.now();
  for (session::UserDeviceList& list : lists) {
    if (list.errorCode) continue;  // a per-user error: asked again next time
    const std::string key = userJidOf(list.user);
    deviceCache[key] = CachedDevices{std::move(list), now};
  }
}

void Messenger::Impl::forgetDevices(const jid::Jid& user, MessengerOutput& out) {
  deviceCache.erase(userJidOf(user));
  // A new device has none of our sender keys; a removed one must not keep receiving them.
  if (Status forgot = signalStore->forgetSenderKeyHolder(user.user); !forgot) {
    problem(out, forgot.error(), "could not forget who had our sender keys");
  }
}

// ---- answering peers' retry receipts --------------------------------------------------------------

Result<proto::Message> Messenger::Impl::outgoingContent(std::int64_t localId) {
  proto::Message message;
  CHORUS_TRY(payload, outbox.payload(localId));
  if (payload) {
    if (!message.ParseFromArray(payload->data(), static_cast<int>(payload->size()))) {
      return fail(Errc::Storage, "the stored message does not parse");
    }
    return message;
  }
  // The payload was pruned: a text is made again from the stored message.
  CHORUS_TRY(view, query.message(localId));
  if (!view || view->kind != api::MessageKind::Text) {
    return fail(Errc::NotFound, "the message's content is no longer kept");
  }
  return session::buildTextMessage(view->text);
}

void Messenger::Impl::onRetryReceipt(const session::IncomingReceipt& receipt,
                                     MessengerOutput& out) {
  const session::IncomingRetry& retry = *receipt.retry;
  const std::string chatJid = userJidOrGroup(receipt.chat);
  const std::string key = retry.messageId + '\n' + jid::format(receipt.sender);
  std::uint32_t& answered = retriesAnswered[key];
  if (answered >= session::kMaxRetryCount) return;  // it keeps failing: give up on this device
  auto found = messages.findOutgoing(chatJid, retry.messageId);
  if (!found) {
    if (found.error().code != Errc::NotFound) problem(out, found.error(), "a retry receipt");
    return;  // not a message of ours (or forgotten): nothing to resend
  }
  ++answered;
  if (retriesAnswered.size() > kMaxRememberedRetries) retriesAnswered.clear();
  RetryAnswer answer{receipt, chatJid, *found};
  if (retry.bundle) {
    if (Status made = startSession(receipt.sender, *retry.bundle); !made) {
      return problem(out, made.error(), "a session from a retry receipt's keys");
    }
    return answerRetry(answer, out);
  }
  // No keys: its session with us is gone or broken; start a fresh one from the server's bundle
  // (Baileys forces the same when it answers a retry).
  std::string id = nextIqId();
  const std::vector<jid::Jid> device{receipt.sender};
  auto fetch = session::buildPreKeyFetch(id, device);
  if (!fetch) return problem(out, fetch.error(), "a retry receipt");
  pending[id] = PendingIq{IqKind::RetryFetch, {}, key, {}};
  retryAnswers[key] = std::move(answer);
  out.stanzas.push_back(std::move(*fetch));
}

void Messenger::Impl::onRetryFetch(const std::string& retryKey, const binary::Node& iq,
                                   MessengerOutput& out) {
  auto it = retryAnswers.find(retryKey);
  if (it == retryAnswers.end()) return;
  const RetryAnswer answer = std::move(it->second);
  retryAnswers.erase(it);
  auto fetched = session::parsePreKeyFetchResult(iq);
  if (!fetched) return problem(out, fetched.error(), "a bundle for a retry");
  for (const session::FetchedBundle& entry : *fetched) {
    if (!entry.bundle) return problem(out, entry.bundle.error(), "a bundle for a retry");
    if (Status made = startSession(answer.receipt.sender, *entry.bundle); !made) {
      return problem(out, made.error(), "a session for a retry");
    }
  }
  answerRetry(answer, out);
}

void Messenger::Impl::answerRetry(const RetryAnswer& answer, MessengerOutput& out) {
  const session::IncomingReceipt& receipt = answer.receipt;
  auto content = outgoingContent(answer.message.localId);
  if (!content) return problem(out, content.error(), "the message a retry asks for");
  proto::Message message = std::move(*content);
  auto chat = jid::parse(answer.chatJid);
  if (!chat) return problem(out, chat.error(), "the chat of a retry");
  if (chat->isGroup()) {
    // Pairwise, with our sender key along, so its later skmsgs decrypt (whatsmeow).
    signal::GroupCipher groups(*context);
    auto skdm = groups.createDistributionMessage({answer.chatJid, addressOf(selfDevice)});
    if (!skdm) return problem(out, skdm.error(), "a sender key for a retry");
    auto* key = message.mutable_senderkeydistributionmessage();
    key->set_groupid(answer.chatJid);
    key->set_axolotlsenderkeydistributionmessage(std::string(asString(*skdm)));
  } else if (receipt.sender.user == self.pn.user) {
    auto wrapped = session::wrapDeviceSent(message, *chat);
    if (!wrapped) return problem(out, wrapped.error(), "a retry for our own device");
    message = std::move(*wrapped);
  }
  auto padded = session::encodePaddedMessage(message, random);
  if (!padded) return problem(out, padded.error(), "a retry");
  signal::SessionCipher sessions(*context);
  auto encrypted = sessions.encrypt(addressOf(receipt.sender), *padded);
  if (!encrypted) return problem(out, encrypted.error(), "a retry");
  session::RetryResend resend;
  resend.id = receipt.retry->messageId;
  resend.to = receipt.from;
  if (receipt.participant) resend.participant = *receipt.participant;
  if (receipt.recipient) resend.recipient = *receipt.recipient;
  resend.group = chat->isGroup();
  resend.timestamp = receipt.retry->timestamp;
  resend.encrypted = std::move(*encrypted);
  resend.retryCount = receipt.retry->count;
  resend.deviceIdentity = deviceIdentity;
  auto stanza = session::buildRetryResend(resend);
  if (!stanza) return problem(out, stanza.error(), "a retry");
  out.stanzas.push_back(std::move(*stanza));
}

}  // namespace chorus::core::account
