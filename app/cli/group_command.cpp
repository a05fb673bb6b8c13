#include "app/cli/group_command.h"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/global_options.h"
#include "app/cli/message_json.h"
#include "app/cli/ready_wait.h"

namespace chorus::app::cli {
namespace {

constexpr int kDefaultTimeoutS = 30;
constexpr int kMaxTimeoutS = 3600;

constexpr std::string_view kUsage =
    "usage: chorus-cli group create ACCOUNT SUBJECT JID... [--timeout S]\n"
    "       chorus-cli group info ACCOUNT GROUP [--timeout S]\n"
    "       chorus-cli group add ACCOUNT GROUP JID... [--timeout S]\n"
    "       chorus-cli group remove ACCOUNT GROUP JID... [--timeout S]\n"
    "\n"
    "Connects the number, waits until it is ready and asks the server: create a group with\n"
    "SUBJECT and the participants JID... (numbers' digits or user JIDs; the number itself is the\n"
    "creator and super admin), show GROUP (\"<id>@g.us\" or the id alone), or add / remove\n"
    "participants (admins only). Prints the group as it is then, one JSON line:\n"
    "  {\"group\",\"subject\",\"creator\",\"created\",\n"
    "   \"participants\":[{\"jid\",\"admin\",\"super_admin\"}]}\n"
    "created is in Unix seconds. Exit 1 when the server refuses (not an admin, no such group,\n"
    "no participant could be changed) or after S seconds (default 30).\n";

enum class Action { Create, Info, Add, Remove };

struct Request {
  Action action = Action::Info;
  std::string account;
  std::string subject;                    // create
  std::string group;                      // info, add, remove
  std::vector<std::string> participants;  // create, add, remove
  int timeoutS = kDefaultTimeoutS;
};

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli group: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

// The command line → a request; returns an exit code (>= 0) when there is nothing to run.
int parse(std::span<const std::string_view> args, CommandIo io, Request& r) {
  const CommandArgs parsed = parseCommandArgs(args, {}, {"--timeout"});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  const auto& p = parsed.positional;
  if (p.empty()) return usage(io, "give an action: create, info, add or remove");
  if (p[0] == "create") {
    r.action = Action::Create;
  } else if (p[0] == "info") {
    r.action = Action::Info;
  } else if (p[0] == "add") {
    r.action = Action::Add;
  } else if (p[0] == "remove") {
    r.action = Action::Remove;
  } else {
    return usage(io, "unknown action '" + std::string(p[0]) + "'");
  }
  if (r.action == Action::Info && p.size() != 3) return usage(io, "give ACCOUNT and GROUP");
  if (r.action != Action::Info && p.size() < 4) {
    return usage(io, r.action == Action::Create ? "give ACCOUNT, SUBJECT and at least one JID"
                                                : "give ACCOUNT, GROUP and at least one JID");
  }
  if (parsed.values.count("--timeout") != 0 &&
      !parseSeconds(parsed.value("--timeout"), 1, kMaxTimeoutS, r.timeoutS)) {
    return usage(io, "--timeout takes whole seconds between 1 and 3600");
  }
  r.account = std::string(p[1]);
  if (p[2].empty()) return usage(io, r.action == Action::Create ? "SUBJECT is empty" : "GROUP is empty");
  if (r.action == Action::Create) {
    r.subject = std::string(p[2]);
  } else {
    r.group = groupJidOf(p[2]);
    if (!r.group.ends_with("@g.us")) return usage(io, "GROUP is a group JID \"<id>@g.us\"");
  }
  for (std::size_t i = 3; i < p.size(); ++i) {
    if (p[i].empty()) return usage(io, "a JID is empty");
    r.participants.push_back(chatJidOf(p[i]));
  }
  return -1;
}

}  // namespace

int runGroupCommand(std::span<const std::string_view> args, CommandIo io) {
  Request r;
  if (const int rc = parse(args, io, r); rc >= 0) return rc;

  CliEngine cli("group", io);
  std::unique_ptr<ReadyWait> ready;
  return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(r.account);
    if (account == nullptr) return;
    ready = std::make_unique<ReadyWait>(c, *account);
    c.onEvent([&ready](const api::AccountEvent& e) { ready->onEvent(e); });
    ready->start(r.timeoutS, [&c, &r, account] {
      auto done = [&c](core::Result<api::GroupInfo> group) {
        if (c.isFinishing()) return;
        if (!group) return c.fail(maskedErrorText(group.error()));
        c.printJson(groupJson(*group));
        c.finish(kExitOk);
      };
      switch (r.action) {
        case Action::Create:
          return account->createGroup(r.subject, r.participants, done);
        case Action::Info:
          return account->groupInfo(r.group, done);
        case Action::Add:
          return account->changeGroupParticipants(r.group, api::ParticipantChange::Add,
                                                  r.participants, done);
        case Action::Remove:
          return account->changeGroupParticipants(r.group, api::ParticipantChange::Remove,
                                                  r.participants, done);
      }
    });
  });
}

}  // namespace chorus::app::cli
