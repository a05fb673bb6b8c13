#include "app/cli/ready_wait.h"

#include <variant>

#include "app/cli/cli_engine.h"

namespace chorus::app::cli {
namespace {

std::string describeState(const api::ConnectionStatus& s) {
  return std::string(api::stateName(s.state)) + (s.reason.empty() ? "" : " (" + s.reason + ")");
}

}  // namespace

ReadyWait::ReadyWait(CliEngine& cli, core::account::Account& account)
    : cli_(cli), account_(account) {}

void ReadyWait::start(int timeoutS, std::function<void()> then) {
  then_ = std::move(then);
  if (!account_.isLinked()) return cli_.fail("this number is not linked: link it first");
  cli_.after(timeoutS * 1000, [this, timeoutS] {
    cli_.fail(ran_ ? "no answer from the server within " + std::to_string(timeoutS) + " s"
                   : "not ready after " + std::to_string(timeoutS) +
                         " s: " + describeState(account_.status()));
  });
  // A number that does not auto-connect is connected (and auto-connects from now on), as with
  // `send`; one that does is connecting already.
  if (!account_.summary().autoConnect) {
    if (core::Status connected = account_.connect(); !connected) return cli_.fail(connected.error());
  }
  judge(account_.status());
}

void ReadyWait::onEvent(const api::AccountEvent& event) {
  const auto* status = std::get_if<api::AccountStatusEvent>(&event);
  if (status == nullptr || status->id != account_.id()) return;
  judge(status->change.status);
}

void ReadyWait::judge(const api::ConnectionStatus& status) {
  if (ran_ || cli_.isFinishing() || !then_) return;
  if (status.state == api::ConnectionState::Ready) {
    ran_ = true;
    // Not from inside the account's input that reported the change: on the next turn.
    return cli_.after(0, then_);
  }
  if (api::needsAction(status.state) || status.state == api::ConnectionState::Unlinked) {
    cli_.fail("cannot connect: " + describeState(status));
  }
}

}  // namespace chorus::app::cli
