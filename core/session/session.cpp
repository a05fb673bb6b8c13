#include "core/session/session.h"

#include <algorithm>
#include <utility>

#include "core/protocol/jid/jid.h"
#include "core/session/pairing.h"
#include "core/session/receipts.h"
#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

using State = api::ConnectionState;

constexpr std::string_view kSuccessTag = "success";
constexpr std::string_view kPairDeviceTag = "pair-device";
constexpr std::string_view kPairSuccessTag = "pair-success";
constexpr std::string_view kNotificationTag = "notification";
constexpr std::string_view kPingXmlns = "urn:xmpp:ping";
constexpr std::string_view kLoggedOutReason = "logged out on this computer";

void earliest(std::optional<TimePoint>& acc, std::optional<TimePoint> t) {
  if (t && (!acc || *t < *acc)) acc = t;
}

DisconnectReason localReason(std::string detail, int code = 0) {
  DisconnectReason reason = transportClosed();
  reason.detail = std::move(detail);
  reason.code = code;
  return reason;
}

}  // namespace

Session::Session(SessionConfig config, store::DeviceCredentials credentials, Random& random,
                 TimePoint now)
    : config_(std::move(config)),
      creds_(std::move(credentials)),
      random_(random),
      policy_(random, config_.reconnect, creds_.isPaired() ? State::Disconnected : State::Unlinked,
              now),
      keepalive_(random, config_.keepalive),
      iqs_(random, config_.iq),
      status_(policy_.status()) {}

// ---- inputs ---------------------------------------------------------------------------------

Effects Session::start(TimePoint now) {
  if (loggedOut_ || !creds_.isPaired()) {
    if (!conn_) emit(api::ConnectionStatusChanged{status_.state, status_});
    return take();
  }
  policy_.onUserConnect(now);
  pump(now);
  return take();
}

Effects Session::linkWithQr(TimePoint now) {
  if (!refuseLinking()) {
    linkCode_.reset();
    policy_.onUserConnect(now);
    pump(now);
  }
  return take();
}

bool Session::refuseLinking() {
  if (loggedOut_) {
    emitError(Errc::InvalidArgument, "this device was logged out: link with new credentials");
  } else if (creds_.isPaired()) {
    emitError(Errc::InvalidArgument, "this number is already linked");
  } else if (conn_) {
    emitError(Errc::InvalidArgument, "linking is already in progress");
  } else {
    return false;
  }
  return true;
}

Effects Session::stop(TimePoint now) {
  if (!loggedOut_) halt(now);
  return take();
}

Effects Session::logout(TimePoint now) {
  if (loggedOut_) {
    emit(LoggedOutEvent{false});
  } else if (!creds_.isPaired()) {
    if (conn_) halt(now);  // a linking in progress is abandoned
    emit(LoggedOutEvent{false});
  } else if (logout_) {
    // Already under way.
  } else if (api::needsAction(status_.state)) {
    // Logged out, replaced, banned or outdated: the server would not take the request.
    finishLogout(false, now);
  } else {
    logout_ = PendingLogout{now + config_.connectTimeout};
    if (conn_ && conn_->phase == Phase::LoggedIn) {
      sendLogout(now);
    } else if (!conn_) {
      policy_.onUserConnect(now);  // at once, whatever the backoff said
      pump(now);
    }  // else: a connection is on its way; handleSuccess sends the request
  }
  return take();
}

Effects Session::onNetworkUp(TimePoint now) {
  if (loggedOut_) return take();
  policy_.onNetworkUp(now);
  pump(now);
  return take();
}

void Session::halt(TimePoint now) {
  if (logout_) {
    finishLogout(false, now);
    return;
  }
  if (conn_) effects_.emplace_back(CloseTransport{});
  conn_.reset();
  qr_.reset();
  linkCode_.reset();
  keepalive_.stop();
  (void)iqs_.cancelAll();
  policy_.onUserDisconnect(now);
  if (creds_.isPaired()) {
    syncStatus();
  } else {
    (void)policy_.takeEvents();
    setUnlinked("stopped", 0, now);
  }
}

Effects Session::onTransportOpen(TimePoint now) {
  if (!conn_ || conn_->phase != Phase::Opening) return take();  // stale report
  auto payload = buildClientPayload(creds_, config_.payload);
  auto ephemeral = crypto::generateKeyPair(random_);
  if (!payload || !ephemeral) {
    // Our own credentials or randomness are broken: retrying cannot help.
    const Error error = !payload ? payload.error() : ephemeral.error();
    emitError(error.code, "cannot start the handshake: " + error.detail);
    halt(now);
    return take();
  }
  crypto::KeyPair noiseKey{creds_.noiseKey.privateKey.clone(), creds_.noiseKey.publicKey};
  auto wire = WireConnection::create(config_.wire, std::move(noiseKey), std::move(*ephemeral),
                                     std::move(*payload));
  auto hello = wire ? wire->start() : Result<Bytes>(fail(Errc::Internal));
  if (!wire || !hello) {
    const Error error = !wire ? wire.error() : hello.error();
    emitError(error.code, "cannot start the handshake: " + error.detail);
    halt(now);
    return take();
  }
  conn_->wire.emplace(std::move(*wire));
  conn_->phase = Phase::Handshake;
  effects_.emplace_back(Send{std::move(*hello)});
  return take();
}

Effects Session::onBytes(BytesView bytes, TimePoint now) {
  if (!conn_ || !conn_->wire) return take();
  auto incoming = conn_->wire->onBytes(bytes, now);
  if (!incoming) {
    failConnection(incoming.error(), now);
    return take();
  }
  for (Bytes& out : incoming->sends) effects_.emplace_back(Send{std::move(out)});
  if (conn_->phase == Phase::Handshake && conn_->wire->isEstablished()) {
    conn_->phase = Phase::Established;
  }
  for (const Error& dropped : incoming->dropped) {
    emitError(dropped.code, "dropped an undecodable frame: " + dropped.detail);
  }
  for (const binary::Node& node : incoming->nodes) {
    if (!conn_) break;  // an earlier node ended the connection
    keepalive_.onFrameReceived(now);
    handleNode(node, now);
  }
  return take();
}

Effects Session::onTransportClosed(TimePoint now) {
  if (conn_) endConnection(transportClosed(), now, /*close=*/false);
  return take();
}

Effects Session::onTimer(TimePoint now) {
  if (logout_ && logout_->deadline <= now) finishLogout(false, now);  // server out of reach
  if (conn_ && conn_->deadline && *conn_->deadline <= now) {
    emitError(Errc::Timeout, "the server did not answer in time");
    endConnection(localReason("timed out waiting for the server"), now);
  }
  if (qr_) {
    switch (qr_->onTimer(now)) {
      case QrStep::Rotated:
        if (!linkCode_) emit(QrCodeEvent{*qr_->current()});
        break;
      case QrStep::TimedOut:
        if (linkCode_) {
          failLinking(Errc::Timeout, "the code was not entered on the phone in time",
                      "pairing code expired", now);
        } else {
          failLinking(Errc::Timeout, "no phone scanned the QR codes", "QR codes expired", now);
        }
        break;
      case QrStep::None: break;
    }
  }
  handleExpiredIqs(now);
  if (conn_ && conn_->phase == Phase::LoggedIn) {
    switch (keepalive_.onTimer(now)) {
      case KeepaliveAction::SendPing: sendNode(buildPing(iqs_.add(kPingIq, now)), now); break;
      case KeepaliveAction::Dead: endConnection(keepaliveTimeout(), now); break;
      case KeepaliveAction::None: break;
    }
  }
  pump(now);
  return take();
}

std::optional<TimePoint> Session::nextDeadline() const {
  std::optional<TimePoint> next = policy_.nextDeadline();
  if (conn_) {
    earliest(next, conn_->deadline);
    if (conn_->phase == Phase::LoggedIn) earliest(next, keepalive_.nextDeadline());
  }
  if (qr_) earliest(next, qr_->nextDeadline());
  if (logout_) earliest(next, logout_->deadline);
  earliest(next, iqs_.nextDeadline());
  return next;
}

// ---- effects and status -----------------------------------------------------------------------

Effects Session::take() {
  return std::exchange(effects_, {});
}

void Session::emit(SessionEvent event) {
  effects_.emplace_back(Emit{std::move(event)});
}

void Session::emitError(Errc code, std::string detail) {
  emit(ErrorEvent{Error{code, std::move(detail)}});
}

void Session::pump(TimePoint now) {
  if (!conn_ && policy_.shouldConnect(now) && policy_.onConnectStarted(now)) {
    Connection conn;
    conn.registration = !creds_.isPaired();
    conn.deadline = now + config_.connectTimeout;
    conn_.emplace(std::move(conn));
    effects_.emplace_back(OpenTransport{config_.url});
  }
  syncStatus();
}

// The policy owns the status except for Unlinked and Pairing, which the session sets itself:
// adopt the policy's status only when the policy changed it.
void Session::syncStatus() {
  if (!policy_.takeEvents().empty()) setStatus(policy_.status());
}

void Session::setStatus(api::ConnectionStatus next) {
  if (next == status_) return;
  emit(api::ConnectionStatusChanged{status_.state, next});
  status_ = std::move(next);
}

void Session::setPairing(std::string reason, TimePoint now) {
  api::ConnectionStatus pairing;
  pairing.state = State::Pairing;
  pairing.reason = std::move(reason);
  pairing.since = status_.state == State::Pairing ? status_.since : now;
  setStatus(std::move(pairing));
}

void Session::setUnlinked(std::string reason, int code, TimePoint now) {
  api::ConnectionStatus next;
  next.state = State::Unlinked;
  next.reason = std::move(reason);
  next.reasonCode = code;
  next.since = status_.state == State::Unlinked ? status_.since : now;
  setStatus(std::move(next));
}

// ---- connection -------------------------------------------------------------------------------

void Session::sendNode(const binary::Node& node, TimePoint now) {
  if (!conn_ || !conn_->wire || !conn_->wire->isEstablished()) return;
  auto bytes = conn_->wire->encodeNode(node);
  if (!bytes) {
    failConnection(bytes.error(), now);
    return;
  }
  effects_.emplace_back(Send{std::move(*bytes)});
}

void Session::failConnection(const Error& error, TimePoint now) {
  emitError(error.code, error.detail);
  endConnection(transportClosed(errcName(error.code)), now);
}

void Session::failLinking(Errc code, std::string detail, std::string reason, TimePoint now,
                          int reasonCode) {
  emitError(code, std::move(detail));
  endConnection(localReason(std::move(reason), reasonCode), now);
}

void Session::endConnection(const DisconnectReason& reason, TimePoint now, bool close) {
  if (!conn_) return;
  if (close) effects_.emplace_back(CloseTransport{});
  const bool registration = conn_->registration;
  conn_.reset();
  qr_.reset();
  keepalive_.stop();
  (void)iqs_.cancelAll();
  if (logout_ && (reason.credentialsRevoked || !reason.retryImmediately)) {
    // Logging out: a drop ends it (the device is gone when the server revoked it after our
    // request); only a 515 restart is followed, within the logout deadline.
    finishLogout(logout_->sent && reason.credentialsRevoked, now);
    return;
  }
  if (reason.credentialsRevoked) emit(CredentialsRevokedEvent{reason});
  if (registration && !creds_.isPaired()) {
    // Linking ended without a link: a person starts it again.
    linkCode_.reset();
    policy_.onUserDisconnect(now);
    (void)policy_.takeEvents();
    setUnlinked(reason.detail, reason.code, now);
    return;
  }
  policy_.onDisconnected(reason, now);
  pump(now);
}

// ---- nodes ------------------------------------------------------------------------------------

void Session::handleNode(const binary::Node& node, TimePoint now) {
  if (std::optional<DisconnectReason> reason = classifyNode(node, now)) {
    endConnection(*reason, now);
  } else if (node.tag == kIqTag) {
    handleIq(node, now);
  } else if (node.tag == kSuccessTag) {
    handleSuccess(node, now);
  } else if (node.tag == kNotificationTag) {
    handleNotification(node, now);
  } else {
    forward(node);  // messages, receipts, acks, calls …: the owner's
  }
}

void Session::forward(const binary::Node& node) {
  if (conn_ && conn_->phase == Phase::LoggedIn) emit(StanzaEvent{node});
}

Effects Session::sendStanza(const binary::Node& node, TimePoint now) {
  if (!isLoggedIn()) {
    emitError(Errc::Cancelled, "not connected: the " + node.tag + " stanza was not sent");
    return take();
  }
  sendNode(node, now);
  return take();
}

void Session::handleNotification(const binary::Node& node, TimePoint now) {
  // Pairing by code is handled (and acked) here; every other notification is the owner's.
  if (!LinkCodePairing::isPrimaryHello(node)) {
    forward(node);
    return;
  }
  auto ack = buildAckFor(node);
  if (!ack) {
    emitError(ack.error().code, "cannot acknowledge a pairing notification: " + ack.error().detail);
    return;
  }
  sendNode(*ack, now);
  if (conn_) handlePrimaryHello(node, now);
}

void Session::handleIq(const binary::Node& iq, TimePoint now) {
  if (iq.child(kPairSuccessTag) != nullptr) {  // whatever the outer type (§6.2 step 6)
    handlePairSuccess(iq, now);
    return;
  }
  const std::string type = iq.attrText("type").value_or("");
  if (type == kIqResult || type == kIqError) {
    handleIqResponse(iq, now);
    return;
  }
  if (type != kIqGet && type != kIqSet) return;
  // Requests are taken from the server only (as whatsmeow does).
  if (const binary::AttrValue* from = iq.attr("from"); from != nullptr && !isServerJid(*from)) {
    return;
  }
  if (iq.child(kPairDeviceTag) != nullptr) {
    handlePairDevice(iq, now);
  } else if (iq.attrText("xmlns").value_or("") == kPingXmlns) {
    if (auto id = iq.attrText("id"); id && !id->empty()) sendNode(buildIqResult(*id), now);
  } else {
    forward(iq);
  }
}

void Session::handleIqResponse(const binary::Node& iq, TimePoint now) {
  const std::optional<IqResponse> response = iqs_.onResponse(iq);
  if (!response) return;
  if (!response->request) {
    if (response->outcome == IqOutcome::Unknown) forward(iq);  // not ours: maybe the owner's
    return;                                                    // late or duplicate
  }
  const bool ok = response->outcome == IqOutcome::Result;
  switch (response->request->kind) {
    case kActiveIq:
      if (!ok) emitError(Errc::Protocol, "the server refused to make this device active");
      break;
    case kCompanionHelloIq: handleCompanionHelloAnswer(iq, *response, now); break;
    case kCompanionFinishIq: handleCompanionFinishAnswer(*response, now); break;
    case kLogoutIq:
      if (!ok) {
        emitError(Errc::Protocol, "the server refused to remove this device (error " +
                                      std::to_string(response->errorCode) + ")");
      }
      if (logout_) finishLogout(ok, now);
      break;
    default: break;
  }
}

void Session::handleExpiredIqs(TimePoint now) {
  // Pings are judged by the keepalive; the others end what waited on them.
  for (const PendingIq& expired : iqs_.expire(now)) {
    if (expired.kind == kCompanionHelloIq || expired.kind == kCompanionFinishIq) {
      if (conn_) {
        failLinking(Errc::Timeout, "the server did not answer the pairing by code",
                    "timed out waiting for the server", now);
      }
    } else if (expired.kind == kLogoutIq && logout_) {
      finishLogout(false, now);
    }
  }
}

void Session::handlePairDevice(const binary::Node& iq, TimePoint now) {
  const std::string id = iq.attrText("id").value_or("");
  if (id.empty()) {
    emitError(Errc::Protocol, "<pair-device> without an id");
    return;
  }
  sendNode(buildIqResult(id), now);
  if (!conn_ || !conn_->registration || creds_.isPaired()) return;
  auto refs = parsePairDeviceRefs(iq);
  if (!refs) {
    failConnection(refs.error(), now);
    return;
  }
  std::vector<std::string> codes;
  codes.reserve(refs->size());
  for (const std::string& ref : *refs) {
    codes.push_back(qrString(ref, creds_.noiseKey.publicKey, creds_.identityKey.publicKey,
                             creds_.advSecret.view()));
  }
  qr_.emplace(std::move(codes), now, config_.qr);
  conn_->deadline.reset();  // the QR schedule bounds the wait now (for a code as well)
  if (linkCode_) {
    // Pairing by code: the refs only time the attempt; no QR is shown.
    if (linkCode_->step == LinkStep::AwaitPairDevice) sendCompanionHello(now);
    return;
  }
  setPairing("waiting for the phone to scan the QR code", now);
  emit(QrCodeEvent{*qr_->current()});
}

void Session::handlePairSuccess(const binary::Node& iq, TimePoint now) {
  const std::string id = iq.attrText("id").value_or("");
  if (!conn_->registration || creds_.isPaired()) {
    if (!id.empty()) sendNode(buildIqError(id, 500, "internal-error"), now);
    emitError(Errc::Protocol, "<pair-success> outside of linking");
    return;
  }
  // Pairing by code replaces the random adv secret with the one derived from both exchanges.
  const bool byCode = linkCode_ && linkCode_->advSecret;
  const BytesView advSecret = byCode ? linkCode_->advSecret->view() : creds_.advSecret.view();
  auto result = processPairSuccess(iq, creds_.identityKey, advSecret, random_);
  if (!result) {
    // Forged, misrouted or malformed: answer with an error and do not link.
    if (!id.empty()) sendNode(buildPairingErrorReply(id, result.error()), now);
    emitError(result.error().code, "linking refused: " + result.error().detail);
    endConnection(localReason("linking failed"), now);
    return;
  }
  sendNode(result->reply, now);
  if (!conn_) return;
  creds_.deviceJid = result->deviceJid;
  creds_.lid = result->lid;
  creds_.platform = result->platform;
  if (byCode) creds_.advSecret = std::move(*linkCode_->advSecret);
  linkCode_.reset();
  qr_.reset();
  conn_->deadline = now + config_.connectTimeout;  // the server restarts the stream (515)
  emit(PairedEvent{creds_.clone(), std::move(result->signedDeviceIdentity),
                   std::move(result->accountSignatureKey), result->keyIndex,
                   std::move(result->businessName)});
}

void Session::handleSuccess(const binary::Node& node, TimePoint now) {
  // A <success> on a registration connection means nothing (whatsmeow ignores it too).
  if (conn_->registration || conn_->phase == Phase::LoggedIn) return;
  conn_->phase = Phase::LoggedIn;
  conn_->deadline.reset();
  if (creds_.lid.empty()) {
    if (auto lid = node.attrText("lid")) {
      auto parsed = jid::parse(*lid);
      if (parsed && parsed->server == jid::kLidServer) creds_.lid = *lid;
    }
  }
  policy_.onConnected(now);
  syncStatus();
  keepalive_.start(now);
  if (logout_) {
    sendLogout(now);  // logged in only to log out: no need to become active
  } else {
    sendNode(buildSetActive(iqs_.add(kActiveIq, now)), now);
  }
}

// ---- logout -----------------------------------------------------------------------------------

void Session::sendLogout(TimePoint now) {
  const Millis left = std::max(Millis{1}, logout_->deadline - now);
  binary::AttrValue device = creds_.deviceJid;
  if (auto parsed = jid::parse(creds_.deviceJid)) device = std::move(*parsed);
  logout_->sent = true;
  sendNode(buildRemoveCompanionDevice(iqs_.add(kLogoutIq, now, left), std::move(device)), now);
}

void Session::finishLogout(bool serverConfirmed, TimePoint now) {
  if (conn_) effects_.emplace_back(CloseTransport{});
  conn_.reset();
  qr_.reset();
  linkCode_.reset();
  logout_.reset();
  keepalive_.stop();
  (void)iqs_.cancelAll();
  loggedOut_ = true;
  policy_.onUserDisconnect(now);  // never again: the session ignores start() from now on
  (void)policy_.takeEvents();
  emit(LoggedOutEvent{serverConfirmed});
  api::ConnectionStatus next;
  next.state = State::LoggedOut;
  next.reason = std::string(kLoggedOutReason);
  next.since = now;
  setStatus(std::move(next));
}

}  // namespace chorus::core::session
