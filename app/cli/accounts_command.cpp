#include "app/cli/accounts_command.h"

#include <ostream>
#include <string>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"

namespace chorus::app::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: chorus-cli accounts add NAME\n"
    "       chorus-cli accounts list\n"
    "       chorus-cli accounts rename ACCOUNT NAME\n"
    "       chorus-cli accounts remove ACCOUNT\n"
    "\n"
    "ACCOUNT is an account id, a unique id prefix (4 characters or more) or a name.\n"
    "add, list and rename never connect; remove logs the device out on the server when it can\n"
    "and deletes the account's folder.\n";

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli accounts: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

int add(std::string name, CommandIo io) {
  CliEngine cli("accounts add", io);
  return cli.run(CliEngine::Mode::Offline, [&cli, name = std::move(name)](CliEngine& c) {
    c.registry().add(name, [&cli, name](core::Result<api::AccountId> id) {
      if (!id) return cli.fail(id.error());
      cli.printJson(
          QJsonObject{{QStringLiteral("id"), qs(*id)}, {QStringLiteral("name"), qs(name)}});
      cli.finish(kExitOk);
    });
  });
}

int list(CommandIo io) {
  CliEngine cli("accounts list", io);
  return cli.run(CliEngine::Mode::Offline, [](CliEngine& c) {
    for (const api::AccountSummary& summary : c.registry().list())
      c.printJson(summaryJson(summary));
    c.finish(kExitOk);
  });
}

int rename(std::string_view account, std::string name, CommandIo io) {
  CliEngine cli("accounts rename", io);
  return cli.run(CliEngine::Mode::Offline, [account, &name](CliEngine& c) {
    core::account::Account* found = c.resolve(account);
    if (found == nullptr) return;
    const std::string id = found->id();
    const core::Status renamed = c.registry().rename(id, name);
    if (!renamed) return c.fail(renamed.error());
    c.printJson(QJsonObject{{QStringLiteral("id"), qs(id)}, {QStringLiteral("name"), qs(name)}});
    c.finish(kExitOk);
  });
}

int remove(std::string_view account, CommandIo io) {
  CliEngine cli("accounts remove", io);
  return cli.run(CliEngine::Mode::Online, [account](CliEngine& c) {
    // Resolve first so an unknown or ambiguous ACCOUNT fails with the registry's words; an
    // account listed with a problem can still be removed, by id or name.
    std::string id;
    std::string name;
    for (const api::AccountSummary& s : c.registry().list()) {
      if (s.id == account || s.name == account) {
        id = s.id;
        name = s.name;
      }
    }
    if (id.empty()) {
      core::account::Account* found = c.resolve(account);
      if (found == nullptr) return;
      id = found->id();
      name = c.nameOf(id);
    }
    c.registry().remove(id, [&c, id, name](core::Status removed) {
      if (!removed) return c.fail(removed.error());
      c.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("removed")},
                              {QStringLiteral("id"), qs(id)},
                              {QStringLiteral("name"), qs(name)}});
      c.finish(kExitOk);
    });
  });
}

}  // namespace

int runAccountsCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {}, {});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  const auto& p = parsed.positional;
  if (p.empty()) return usage(io, "missing add, list, rename or remove");
  const std::string_view action = p[0];
  if (action == "add") {
    if (p.size() != 2) return usage(io, "accounts add takes one NAME");
    return add(std::string(p[1]), io);
  }
  if (action == "list") {
    if (p.size() != 1) return usage(io, "accounts list takes no arguments");
    return list(io);
  }
  if (action == "rename") {
    if (p.size() != 3) return usage(io, "accounts rename takes ACCOUNT and NAME");
    return rename(p[1], std::string(p[2]), io);
  }
  if (action == "remove") {
    if (p.size() != 2) return usage(io, "accounts remove takes one ACCOUNT");
    return remove(p[1], io);
  }
  return usage(io, "unknown action '" + std::string(action) + "'");
}

}  // namespace chorus::app::cli
