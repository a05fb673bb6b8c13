// Session: the sans-I/O state machine of one number (architecture §2, §3; protocol §2, §6,
// §8.1, §13). It never opens a socket, reads a clock or sleeps. Inputs carry `now`; each
// returns the effects to carry out, in order; nextDeadline() says when onTimer is due.
//
//   Session s(config, credentials, random, now);
//   run(s.start(now));            // paired: connect; unpaired: Unlinked until linkWithQr
//   run(s.linkWithQr(now));       // unpaired: registration connection, QR codes follow
//   run(s.linkWithPhone("15551234567", now));  // or: an 8-character code to type on the phone
//   run(s.logout(now));           // remove this device from the account, then LoggedOut
//   driver: OpenTransport → open, then onTransportOpen / onTransportClosed;
//           Send → write; CloseTransport → close (and report nothing more for it);
//           bytes → onBytes; timer at nextDeadline() → onTimer.
//
// Flow: open → intro + ClientHello → ServerHello (certificate checked against the configured
// root) → ClientFinish with the registration or login payload → nodes.
//   registration: <pair-device> → iq result, QR codes (rotating, then timeout → Unlinked);
//                 <pair-success> → verify, <pair-device-sign>, Paired(credentials); then the
//                 server's 515 → reconnect at once with the login payload.
//   by code:      <pair-device> → iq result, companion_hello → ref → LinkCodeEvent; the phone's
//                 <notification type="link_code_companion_reg"> → ack, companion_finish; then
//                 <pair-success> as for QR with the adv secret derived from the exchange
//                 (session_link_code.cpp). The <pair-device> refs' schedule bounds the wait.
//   login:        <success> → Ready, <iq xmlns="passive"><active/></iq>, keepalive pings.
//   <failure>/<stream:error>/<xmlstreamend/>, socket loss, keepalive death, timeouts →
//                 DisconnectReason → ReconnectPolicy → close, and open again at its deadline
//                 (never for terminal states).
//   logout:       <remove-companion-device> iq (connecting first if need be) → answer or
//                 timeout → close, LoggedOutEvent, LoggedOut for good (start() does nothing).
// A registration connection that ends for any other reason than the post-pairing restart
// goes back to Unlinked: linking is started again by a person.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/api/connection_status.h"
#include "core/session/client_payload.h"
#include "core/session/disconnect_classifier.h"
#include "core/session/iq_tracker.h"
#include "core/session/keepalive.h"
#include "core/session/link_code.h"
#include "core/session/qr.h"
#include "core/session/reconnect_policy.h"
#include "core/session/wire_connection.h"
#include "core/store/credential_store.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::session {

inline constexpr std::string_view kDefaultUrl = "wss://web.whatsapp.com/ws/chat";

struct SessionConfig {
  std::string url = std::string(kDefaultUrl);
  ClientPayloadOptions payload;
  WireConfig wire;                // trusted root key, dictionary version (v3)
  Millis connectTimeout{20'000};  // open + handshake + first answer; also pairing → 515
  QrTiming qr;
  KeepaliveOptions keepalive;
  ReconnectOptions reconnect;
  IqTrackerOptions iq;
  LinkCodeHelloOptions linkCode;  // how the phone lists us while it asks for the code
};

// Events for the owner (the account): what people see and what must be stored.
struct QrCodeEvent {
  QrCode qr;  // the string to render (never log it) and when it expires
};
// Pairing by code: the 8-character code to type on the phone.
struct LinkCodeEvent {
  std::string code;  // display form "ABCD-EFGH"; a secret for the screen, never logged
};
struct PairedEvent {
  store::DeviceCredentials credentials;  // now with deviceJid, lid and platform: store them
  Bytes signedDeviceIdentity;            // ADVSignedDeviceIdentity incl. our device signature
  Bytes primaryIdentityKey;              // the phone's identity key (account signature key)
  std::uint32_t keyIndex = 0;
  std::string businessName;
};
// The server revoked this device (401/403/406): delete the stored credentials.
struct CredentialsRevokedEvent {
  DisconnectReason reason;
};
// This device was logged out by the user (logout()).
struct LoggedOutEvent {
  bool serverConfirmed = false;  // the server answered the remove-companion-device iq
};
struct ErrorEvent {
  Error error;  // for logs and the status line; the status change says what happens next
};
// A node the session does not handle itself, received while logged in: messages, receipts,
// acks, notifications (other than pairing by code), calls, results of iqs it did not send and
// iq get/set it does not answer. The owner (the account's Messenger) handles and acks them.
struct StanzaEvent {
  binary::Node node;
};
using SessionEvent =
    std::variant<api::ConnectionStatusChanged, QrCodeEvent, LinkCodeEvent, PairedEvent,
                 CredentialsRevokedEvent, LoggedOutEvent, ErrorEvent, StanzaEvent>;

// Effects, carried out by the driver in order.
struct OpenTransport {
  std::string url;
};
struct Send {
  Bytes bytes;
};
struct CloseTransport {};
struct Emit {
  SessionEvent event;
};
using Effect = std::variant<OpenTransport, Send, CloseTransport, Emit>;
using Effects = std::vector<Effect>;

class Session {
 public:
  // `random` must outlive the session. Credentials come from generateCredentials (unpaired)
  // or the store (paired).
  Session(SessionConfig config, store::DeviceCredentials credentials, Random& random,
          TimePoint now);

  // Inputs.
  // Paired: connect (and keep connected). Unpaired: report Unlinked and wait for linkWithQr.
  [[nodiscard]] Effects start(TimePoint now);
  // Unpaired: open a registration connection; QR codes follow as events. Already paired or a
  // connection already live: an ErrorEvent (Errc::InvalidArgument), nothing else.
  [[nodiscard]] Effects linkWithQr(TimePoint now);
  // Unpaired: open a registration connection and link by an 8-character code for `phone`
  // (international digits, no '+'); the code follows as LinkCodeEvent once the server accepted
  // companion_hello; state Pairing with reason "waiting for the code to be entered on the
  // phone". Errors like linkWithQr (ErrorEvent InvalidArgument when paired / already linking /
  // bad number).
  [[nodiscard]] Effects linkWithPhone(std::string_view phone, TimePoint now);
  // The user logs this device out: when logged in, send <iq xmlns="md" type="set">
  // <remove-companion-device jid=our device reason="user_initiated"/></iq> and wait for the
  // answer (bounded by config.connectTimeout); when paired but not connected, connect first
  // (immediately, regardless of backoff), then do the same; when the server cannot be reached
  // in time, finish locally. Finishing: CloseTransport if a connection is live,
  // LoggedOutEvent{serverConfirmed}, status LoggedOut (reasonCode 0, "logged out on this
  // computer"), and no retries ever. Unpaired: just LoggedOutEvent{false}, stays Unlinked.
  [[nodiscard]] Effects logout(TimePoint now);
  // Network came back / resume: ReconnectPolicy::onNetworkUp (immediate retry unless terminal,
  // stopped or a connection is live).
  [[nodiscard]] Effects onNetworkUp(TimePoint now);
  // Close any connection and stay Disconnected (Unlinked when unpaired) until start again.
  [[nodiscard]] Effects stop(TimePoint now);
  [[nodiscard]] Effects onTransportOpen(TimePoint now);
  [[nodiscard]] Effects onBytes(BytesView bytes, TimePoint now);
  // The transport closed or failed to open. Not to be reported after a CloseTransport effect.
  [[nodiscard]] Effects onTransportClosed(TimePoint now);
  [[nodiscard]] Effects onTimer(TimePoint now);
  // Sends `node` (a stanza of the owner: iq, message, receipt, ack) when logged in; otherwise
  // an ErrorEvent (Errc::Cancelled, "not connected") and nothing is sent.
  [[nodiscard]] Effects sendStanza(const binary::Node& node, TimePoint now);
  [[nodiscard]] bool isLoggedIn() const noexcept {
    return conn_.has_value() && conn_->phase == Phase::LoggedIn;
  }

  // Outputs.
  [[nodiscard]] std::optional<TimePoint> nextDeadline() const;
  [[nodiscard]] const api::ConnectionStatus& status() const noexcept { return status_; }
  [[nodiscard]] const store::DeviceCredentials& credentials() const noexcept { return creds_; }
  [[nodiscard]] bool isPaired() const noexcept { return creds_.isPaired(); }
  [[nodiscard]] bool hasTransport() const noexcept { return conn_.has_value(); }

 private:
  enum class Phase : std::uint8_t { Opening, Handshake, Established, LoggedIn };
  enum IqKind : std::uint32_t {
    kPingIq = 1,
    kActiveIq = 2,
    kCompanionHelloIq = 3,
    kCompanionFinishIq = 4,
    kLogoutIq = 5,
  };
  // Where a pairing by code stands (session_link_code.cpp).
  enum class LinkStep : std::uint8_t {
    AwaitPairDevice,   // registration connection opening; companion_hello follows <pair-device>
    AwaitRef,          // companion_hello sent
    AwaitPhone,        // code shown; waiting for the phone's primary_hello
    AwaitPairSuccess,  // companion_finish sent with the derived adv secret
  };
  struct LinkByCode {
    LinkCodePairing pairing;
    LinkStep step = LinkStep::AwaitPairDevice;
    std::optional<SecretBytes> advSecret;  // derived from primary_hello
  };
  struct PendingLogout {
    TimePoint deadline;
    bool sent = false;  // the remove-companion-device iq is out
  };

  struct Connection {
    Phase phase = Phase::Opening;
    bool registration = false;
    std::optional<WireConnection> wire;
    std::optional<TimePoint> deadline;  // connect / first answer / restart after pairing
  };

  [[nodiscard]] Effects take();
  void emit(SessionEvent event);
  void emitError(Errc code, std::string detail);
  void pump(TimePoint now);
  // Closes any connection and stops retrying (stop() without taking the effects).
  void halt(TimePoint now);
  void syncStatus();
  void setStatus(api::ConnectionStatus next);
  void setUnlinked(std::string reason, int code, TimePoint now);
  void setPairing(std::string reason, TimePoint now);
  // Emits the ErrorEvent when linking cannot start now (logged out, linked, already linking).
  [[nodiscard]] bool refuseLinking();

  void sendNode(const binary::Node& node, TimePoint now);
  // Ends the live connection for `reason`; `close` emits CloseTransport first.
  void endConnection(const DisconnectReason& reason, TimePoint now, bool close = true);
  void failConnection(const Error& error, TimePoint now);

  void handleNode(const binary::Node& node, TimePoint now);
  void handleIq(const binary::Node& iq, TimePoint now);
  // Hands `node` to the owner as a StanzaEvent when logged in; drops it otherwise.
  void forward(const binary::Node& node);
  void handlePairDevice(const binary::Node& iq, TimePoint now);
  void handlePairSuccess(const binary::Node& iq, TimePoint now);
  void handleSuccess(const binary::Node& node, TimePoint now);
  void handleNotification(const binary::Node& node, TimePoint now);
  void handleIqResponse(const binary::Node& iq, TimePoint now);
  void handleExpiredIqs(TimePoint now);

  // Pairing by code (session_link_code.cpp).
  void sendCompanionHello(TimePoint now);
  void handleCompanionHelloAnswer(const binary::Node& iq, const IqResponse& response,
                                  TimePoint now);
  void handleCompanionFinishAnswer(const IqResponse& response, TimePoint now);
  void handlePrimaryHello(const binary::Node& notification, TimePoint now);
  // Ends a registration connection: ErrorEvent{code, detail}, then Unlinked for `reason`.
  void failLinking(Errc code, std::string detail, std::string reason, TimePoint now,
                   int reasonCode = 0);

  // Logout.
  void sendLogout(TimePoint now);
  void finishLogout(bool serverConfirmed, TimePoint now);

  SessionConfig config_;
  store::DeviceCredentials creds_;
  Random& random_;
  ReconnectPolicy policy_;
  Keepalive keepalive_;
  IqTracker iqs_;
  api::ConnectionStatus status_;
  std::optional<Connection> conn_;
  std::optional<QrRotation> qr_;  // also times a pairing by code (no QR events then)
  std::optional<LinkByCode> linkCode_;
  std::optional<PendingLogout> logout_;
  bool loggedOut_ = false;  // logout() finished: the session is done for good
  Effects effects_;
};

}  // namespace chorus::core::session
