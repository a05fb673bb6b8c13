#include "app/cli/connection_commands.h"

#include <memory>
#include <ostream>
#include <string>
#include <variant>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"

namespace chorus::app::cli {
namespace {

constexpr int kDefaultConnectTimeoutS = 30;
constexpr int kDefaultLogoutTimeoutS = 60;  // the session bounds its own wait (~20 s)
constexpr int kMaxTimeoutS = 24 * 3600;

constexpr std::string_view kConnectUsage =
    "usage: chorus-cli connect ACCOUNT [--timeout S]\n"
    "\n"
    "Turns auto-connect on for ACCOUNT (kept for later runs) and connects it now; prints a\n"
    "status line per change. Exit 0 once ready; 1 on a state that needs a person (logged_out,\n"
    "replaced, banned, outdated), when not linked, or after S seconds (default 30).\n";
constexpr std::string_view kDisconnectUsage =
    "usage: chorus-cli disconnect ACCOUNT\n"
    "\n"
    "Turns auto-connect off for ACCOUNT (kept for later runs: status and the app leave it\n"
    "stopped) and prints its status line. Connects nothing.\n";
constexpr std::string_view kLogoutUsage =
    "usage: chorus-cli logout ACCOUNT [--timeout S]\n"
    "\n"
    "Connects when needed, removes this device from the number on the server and forgets the\n"
    "device's keys; the account stays, unlinked (link it again, or remove it). Prints\n"
    "{\"event\":\"logged_out\",\"server_confirmed\":true|false}; false when the server could\n"
    "not be reached in time (the phone then still lists the device until it is removed there).\n";

struct Parsed {
  std::string account;
  int timeoutS = 0;
  int exit = -1;  // >= 0: stop with this exit code
};

Parsed parse(std::span<const std::string_view> args, CommandIo io, std::string_view command,
             std::string_view usageText, int defaultTimeoutS) {
  const bool takesTimeout = defaultTimeoutS > 0;
  const CommandArgs parsed =
      takesTimeout ? parseCommandArgs(args, {}, {"--timeout"}) : parseCommandArgs(args, {}, {});
  Parsed p;
  p.timeoutS = defaultTimeoutS;
  const auto usage = [&](const std::string& problem) {
    io.err << "chorus-cli " << command << ": " << problem << "\n"
           << usageText << "\n"
           << kGlobalOptionsUsage;
    p.exit = kExitUsage;
    return p;
  };
  if (parsed.help) {
    io.out << usageText << "\n" << kGlobalOptionsUsage;
    p.exit = kExitOk;
    return p;
  }
  if (!parsed.error.empty()) return usage(parsed.error);
  if (parsed.positional.size() != 1) return usage(std::string(command) + " takes one ACCOUNT");
  p.account = std::string(parsed.positional[0]);
  if (takesTimeout && parsed.values.count("--timeout") != 0 &&
      !parseSeconds(parsed.value("--timeout"), 1, kMaxTimeoutS, p.timeoutS)) {
    return usage("--timeout must be a number of seconds (1-86400)");
  }
  return p;
}

std::string describeState(const api::ConnectionStatus& s) {
  return std::string(api::stateName(s.state)) + (s.reason.empty() ? "" : " (" + s.reason + ")");
}

}  // namespace

int runConnectCommand(std::span<const std::string_view> args, CommandIo io) {
  const Parsed p = parse(args, io, "connect", kConnectUsage, kDefaultConnectTimeoutS);
  if (p.exit >= 0) return p.exit;
  CliEngine cli("connect", io);
  return cli.run(CliEngine::Mode::Online, [&p](CliEngine& c) {
    core::account::Account* account = c.resolve(p.account);
    if (account == nullptr) return;
    if (!account->isLinked()) {
      return c.fail(p.account + " is not linked: run chorus-cli link " + p.account);
    }
    const std::string id = account->id();
    // Decides on a status: ready → done, a state that needs a person → failed.
    const auto judge = [&c, &p](const api::ConnectionStatus& s) {
      if (s.state == api::ConnectionState::Ready) return c.finish(kExitOk);
      if (api::needsAction(s.state) || s.state == api::ConnectionState::Unlinked) {
        return c.fail(p.account + " cannot connect: " + describeState(s));
      }
    };
    auto printed = std::make_shared<bool>(false);
    c.onEvent([&c, id, judge, printed](const api::AccountEvent& e) {
      const auto* status = std::get_if<api::AccountStatusEvent>(&e);
      if (status == nullptr || status->id != id) return;
      *printed = true;
      c.printJson(statusJson(c.nameOf(id), id, status->change.status));
      judge(status->change.status);
    });
    const core::Status connected = account->connect();
    if (!connected) return c.fail(connected.error());
    if (!*printed) {  // connect() changed nothing (already connecting): show where it stands
      c.printJson(statusJson(c.nameOf(id), id, account->status()));
      judge(account->status());
    }
    c.after(p.timeoutS * 1000, [&c, &p, account] {
      c.fail(p.account + " not ready after " + std::to_string(p.timeoutS) +
             " s: " + describeState(account->status()));
    });
  });
}

int runDisconnectCommand(std::span<const std::string_view> args, CommandIo io) {
  const Parsed p = parse(args, io, "disconnect", kDisconnectUsage, 0);
  if (p.exit >= 0) return p.exit;
  CliEngine cli("disconnect", io);
  return cli.run(CliEngine::Mode::Offline, [&p](CliEngine& c) {
    core::account::Account* account = c.resolve(p.account);
    if (account == nullptr) return;
    const core::Status stopped = account->disconnect();
    if (!stopped) return c.fail(stopped.error());
    c.printJson(statusJson(c.nameOf(account->id()), account->id(), account->status()));
    c.finish(kExitOk);
  });
}

int runLogoutCommand(std::span<const std::string_view> args, CommandIo io) {
  const Parsed p = parse(args, io, "logout", kLogoutUsage, kDefaultLogoutTimeoutS);
  if (p.exit >= 0) return p.exit;
  CliEngine cli("logout", io);
  return cli.run(CliEngine::Mode::Online, [&p](CliEngine& c) {
    core::account::Account* account = c.resolve(p.account);
    if (account == nullptr) return;
    if (!account->isLinked()) return c.fail(p.account + " is not linked: nothing to log out");
    const std::string id = account->id();
    c.onEvent([&c, id](const api::AccountEvent& e) {
      const auto* out = std::get_if<api::AccountLoggedOut>(&e);
      if (out == nullptr || out->id != id) return;
      c.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("logged_out")},
                              {QStringLiteral("server_confirmed"), out->serverConfirmed}});
      c.finish(kExitOk);
    });
    account->logout();
    c.after(p.timeoutS * 1000, [&c, &p] {
      c.fail(p.account + " not logged out after " + std::to_string(p.timeoutS) + " s");
    });
  });
}

}  // namespace chorus::app::cli
