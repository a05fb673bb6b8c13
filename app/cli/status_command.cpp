#include "app/cli/status_command.h"

#include <map>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"

namespace chorus::app::cli {
namespace {

constexpr int kSettleMs = 15'000;  // status without --watch waits at most this long

constexpr std::string_view kUsage =
    "usage: chorus-cli status [ACCOUNT...] [--watch]\n"
    "\n"
    "Connects the accounts that auto-connect and prints one JSON line per account once each\n"
    "has settled (ready, unlinked, disconnected, logged_out, replaced, banned, outdated) or\n"
    "after 15 s:\n"
    "  {\"account\",\"id\",\"state\",\"reason\",\"code\",\"since\",\"next_retry\",\"attempt\","
    "\"banned_until\"}\n"
    "ACCOUNT (id, unique id prefix or name) limits the output to those accounts.\n"
    "  --watch   print the current line of each, then one line per change until Ctrl-C\n";

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli status: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

struct Watched {
  std::string id;
  bool settled = false;
  bool sawEvent = false;  // a status change arrived while we ran
};

// Whether an account's state will change by itself soon (status without --watch waits).
bool isSettled(const api::AccountSummary& summary, bool sawEvent) {
  using api::ConnectionState;
  const api::ConnectionState state = summary.status.state;
  if (!summary.problem.empty() || !summary.autoConnect) return true;
  if (state == ConnectionState::Ready || state == ConnectionState::Unlinked ||
      api::needsAction(state)) {
    return true;
  }
  // Disconnected is also the state before the engine started the account: it counts once the
  // account went there while we watched.
  return state == ConnectionState::Disconnected && sawEvent;
}

QJsonObject lineFor(const api::AccountSummary& summary) {
  QJsonObject line = statusJson(summary.name, summary.id, summary.status);
  if (!summary.problem.empty()) line.insert(QStringLiteral("problem"), qs(summary.problem));
  return line;
}

class StatusFlow {
 public:
  StatusFlow(CliEngine& cli, std::vector<Watched> accounts, bool watch)
      : cli_(cli), accounts_(std::move(accounts)), watch_(watch) {}

  void begin() {
    if (watch_) {
      for (const Watched& w : accounts_) printCurrent(w.id);
      return;
    }
    cli_.after(kSettleMs, [this] { printAllAndFinish(); });
    checkSettled();
  }

  void onEvent(const api::AccountEvent& event) {
    const auto* status = std::get_if<api::AccountStatusEvent>(&event);
    if (status == nullptr) return;
    Watched* w = find(status->id);
    if (w == nullptr) return;
    w->sawEvent = true;
    if (watch_) {
      return cli_.printJson(statusJson(cli_.nameOf(status->id), status->id, status->change.status));
    }
    checkSettled();
  }

 private:
  Watched* find(const std::string& id) {
    for (Watched& w : accounts_) {
      if (w.id == id) return &w;
    }
    return nullptr;
  }
  [[nodiscard]] std::map<std::string, api::AccountSummary> summaries() const {
    std::map<std::string, api::AccountSummary> byId;
    for (api::AccountSummary& s : cli_.registry().list()) byId.emplace(s.id, std::move(s));
    return byId;
  }
  void printCurrent(const std::string& id) {
    const auto byId = summaries();
    if (auto it = byId.find(id); it != byId.end()) cli_.printJson(lineFor(it->second));
  }
  void checkSettled() {
    const auto byId = summaries();
    for (Watched& w : accounts_) {
      auto it = byId.find(w.id);
      w.settled = it == byId.end() || isSettled(it->second, w.sawEvent);
      if (!w.settled) return;
    }
    printAllAndFinish();
  }
  void printAllAndFinish() {
    for (const Watched& w : accounts_) printCurrent(w.id);
    cli_.finish(kExitOk);
  }

  CliEngine& cli_;
  std::vector<Watched> accounts_;
  bool watch_;
};

int status(const std::vector<std::string_view>& selection, bool watch, CommandIo io) {
  CliEngine cli("status", io);
  std::unique_ptr<StatusFlow> flow;
  return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
    std::vector<Watched> accounts;
    const std::vector<api::AccountSummary> all = c.registry().list();
    if (selection.empty()) {
      for (const api::AccountSummary& s : all) accounts.push_back(Watched{s.id});
    }
    for (std::string_view wanted : selection) {
      std::string id;
      for (const api::AccountSummary& s : all) {
        if (s.id == wanted || s.name == wanted) id = s.id;  // also accounts with a problem
      }
      if (id.empty()) {
        core::account::Account* account = c.resolve(wanted);
        if (account == nullptr) return;
        id = account->id();
      }
      accounts.push_back(Watched{id});
    }
    flow = std::make_unique<StatusFlow>(c, std::move(accounts), watch);
    c.onEvent([&flow](const api::AccountEvent& e) { flow->onEvent(e); });
    if (watch) c.onInterrupt([&c] { c.finish(kExitOk); });
    flow->begin();
  });
}

}  // namespace

int runStatusCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {"--watch"}, {});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  return status(parsed.positional, parsed.has("--watch"), io);
}

}  // namespace chorus::app::cli
