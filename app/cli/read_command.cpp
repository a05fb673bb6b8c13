#include "app/cli/read_command.h"

#include <memory>
#include <ostream>
#include <string>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"
#include "app/cli/message_json.h"
#include "app/cli/ready_wait.h"

namespace chorus::app::cli {
namespace {

constexpr int kDefaultTimeoutS = 30;
constexpr int kMaxTimeoutS = 3600;

constexpr std::string_view kUsage =
    "usage: chorus-cli read ACCOUNT CHAT [--timeout S]\n"
    "\n"
    "Marks CHAT (a number's digits, a user JID or a group JID \"<id>@g.us\") as read: connects\n"
    "the number, waits until it is ready (at most S seconds, default 30), sets the chat's unread\n"
    "count to zero and sends read receipts for its unread incoming messages, then prints\n"
    "  {\"event\":\"read\",\"chat\",\"count\"}\n"
    "(count: how many were unread) and exits 0 once the connection is closed, so the receipts\n"
    "have left.\n";

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli read: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

// The chat's unread count as stored (0 for a chat the store does not know).
[[nodiscard]] core::Result<int> unreadOf(core::account::Account& account, std::string_view chat) {
  auto chats = account.chats();
  if (!chats) return core::Unexpected(chats.error());
  for (const api::ChatSummary& c : *chats) {
    if (c.jid == chat) return c.unreadCount;
  }
  return 0;
}

}  // namespace

int runReadCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {}, {"--timeout"});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  if (parsed.positional.size() != 2) return usage(io, "give ACCOUNT and CHAT");
  if (parsed.positional[1].empty()) return usage(io, "CHAT is empty");
  int timeoutS = kDefaultTimeoutS;
  if (parsed.values.count("--timeout") != 0 &&
      !parseSeconds(parsed.value("--timeout"), 1, kMaxTimeoutS, timeoutS)) {
    return usage(io, "--timeout takes whole seconds between 1 and 3600");
  }
  const std::string wanted(parsed.positional[0]);
  const std::string chat = chatJidOf(parsed.positional[1]);

  CliEngine cli("read", io);
  std::unique_ptr<ReadyWait> ready;
  return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(wanted);
    if (account == nullptr) return;
    ready = std::make_unique<ReadyWait>(c, *account);
    c.onEvent([&ready](const api::AccountEvent& e) { ready->onEvent(e); });
    ready->start(timeoutS, [&c, account, &chat] {
      const core::Result<int> unread = unreadOf(*account, chat);
      if (!unread) return c.fail(unread.error());
      if (core::Status marked = account->markChatRead(chat); !marked) {
        return c.fail(maskedErrorText(marked.error()));
      }
      c.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("read")},
                              {QStringLiteral("chat"), qs(chat)},
                              {QStringLiteral("count"), *unread}});
      c.finish(kExitOk);  // closes the connection politely: the receipts leave first
    });
  });
}

}  // namespace chorus::app::cli
