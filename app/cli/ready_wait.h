// ReadyWait: what `read` and `group` do before they talk to the server — connect the number
// (turning auto-connect on when it was off, as `send` does) and run the command's step once it
// is Ready. A state that needs a person (logged out, replaced, banned, outdated) fails the
// command at once; so does the deadline, which covers the whole command (ready + answer).
//
//   ReadyWait ready(cli, *account, "group info");
//   cli.onEvent([&](const api::AccountEvent& e) { ready.onEvent(e); });
//   ready.start(timeoutS, [&] { account->groupInfo(jid, ...); });
#pragma once

#include <functional>
#include <string>

#include "core/account/account.h"
#include "core/api/account_events.h"

namespace chorus::app::cli {

class CliEngine;

class ReadyWait {
 public:
  ReadyWait(CliEngine& cli, core::account::Account& account);

  // Fails the command (exit 1) when the account is not linked or cannot connect; else `then`
  // runs once, when the account is Ready (possibly before start returns). After `timeoutS`
  // seconds the command fails, naming what it was still waiting for.
  void start(int timeoutS, std::function<void()> then);
  // Forward every account event here (status changes of this account are what it watches).
  void onEvent(const api::AccountEvent& event);
  [[nodiscard]] bool isReady() const noexcept { return ran_; }

 private:
  void judge(const api::ConnectionStatus& status);

  CliEngine& cli_;
  core::account::Account& account_;
  std::function<void()> then_;
  bool ran_ = false;
};

}  // namespace chorus::app::cli
