// Session: pairing by phone-number code (protocol §7), the companion's side of the flow.
//
//   linkWithPhone    registration connection, exactly as for QR
//   <pair-device>    acked (session.cpp); its refs only time the attempt; companion_hello sent
//   hello answer     the ref: LinkCodeEvent with the code, state Pairing
//   primary_hello    <notification type="link_code_companion_reg">, acked (session.cpp);
//                    companion_finish sent, the derived adv secret kept
//   <pair-success>   as for QR, checked with the derived adv secret (session.cpp)
//
// The crypto and stanzas are link_code.{h,cpp}. The code is a secret: it goes to the screen in
// LinkCodeEvent and never into an error detail.
#include <algorithm>
#include <utility>

#include "core/session/session.h"

namespace chorus::core::session {
namespace {

// From companion_finish to <pair-success>: the server asks the phone, which signs our identity.
constexpr Millis kPhoneConfirmTimeout{60'000};
constexpr int kNotFoundCode = 404;
constexpr std::string_view kWaitingForCode = "waiting for the code to be entered on the phone";
constexpr std::string_view kCodeRefused = "pairing code refused";

}  // namespace

Effects Session::linkWithPhone(std::string_view phone, TimePoint now) {
  if (refuseLinking()) return take();
  auto pairing = LinkCodePairing::create(phone, random_);
  if (!pairing) {
    emitError(pairing.error().code, pairing.error().detail);
    return take();
  }
  linkCode_.emplace(LinkByCode{std::move(*pairing), LinkStep::AwaitPairDevice, std::nullopt});
  policy_.onUserConnect(now);
  pump(now);
  return take();
}

void Session::sendCompanionHello(TimePoint now) {
  const std::string id = iqs_.add(kCompanionHelloIq, now, config_.connectTimeout);
  auto hello = linkCode_->pairing.buildCompanionHello(id, creds_.noiseKey.publicKey, random_,
                                                      config_.linkCode);
  if (!hello) {
    failLinking(hello.error().code, "cannot ask for a pairing code: " + hello.error().detail,
                "linking failed", now);
    return;
  }
  linkCode_->step = LinkStep::AwaitRef;
  sendNode(*hello, now);
}

void Session::handleCompanionHelloAnswer(const binary::Node& iq, const IqResponse& response,
                                         TimePoint now) {
  if (!conn_ || !linkCode_ || linkCode_->step != LinkStep::AwaitRef) return;
  auto ref = linkCode_->pairing.processCompanionHelloResult(iq);
  if (!ref) {
    if (response.errorCode == kNotFoundCode) {
      failLinking(Errc::NotFound, "no WhatsApp account uses this phone number",
                  std::string(kCodeRefused), now, response.errorCode);
    } else {
      failLinking(ref.error().code, "the server refused the pairing code: " + ref.error().detail,
                  std::string(kCodeRefused), now, response.errorCode);
    }
    return;
  }
  linkCode_->step = LinkStep::AwaitPhone;
  setPairing(std::string(kWaitingForCode), now);
  emit(LinkCodeEvent{linkCode_->pairing.displayCode()});
}

void Session::handlePrimaryHello(const binary::Node& notification, TimePoint now) {
  // Unasked (QR linking, already answered, linked): acked and ignored.
  if (!linkCode_ || linkCode_->step != LinkStep::AwaitPhone || !conn_->registration ||
      creds_.isPaired()) {
    return;
  }
  auto finish = linkCode_->pairing.processPrimaryHello(notification, creds_.identityKey,
                                                       std::string(), random_);
  if (!finish) {
    // Another attempt's ref, a forged sender or a broken key: keep waiting for the right one
    // (the pairing schedule still bounds the wait).
    emitError(finish.error().code, "ignored a pairing notification: " + finish.error().detail);
    return;
  }
  finish->iq.set("id", iqs_.add(kCompanionFinishIq, now, config_.connectTimeout));
  linkCode_->advSecret = std::move(finish->advSecret);
  linkCode_->step = LinkStep::AwaitPairSuccess;
  qr_.reset();
  conn_->deadline = now + std::max(config_.connectTimeout, kPhoneConfirmTimeout);
  sendNode(finish->iq, now);
}

void Session::handleCompanionFinishAnswer(const IqResponse& response, TimePoint now) {
  if (!conn_ || !linkCode_ || linkCode_->step != LinkStep::AwaitPairSuccess) return;
  if (response.outcome == IqOutcome::Result) return;  // <pair-success> follows
  failLinking(Errc::Auth,
              "the phone did not accept the code (error " + std::to_string(response.errorCode) +
                  "); check the number and try again",
              std::string(kCodeRefused), now, response.errorCode);
}

}  // namespace chorus::core::session
