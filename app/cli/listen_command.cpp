#include "app/cli/listen_command.h"

#include <string>
#include <variant>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"
#include "app/cli/message_json.h"

namespace chorus::app::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: chorus-cli listen ACCOUNT\n"
    "\n"
    "Connects the number (when it auto-connects) and prints one JSON line per event until\n"
    "Ctrl-C or SIGTERM:\n"
    "  {\"event\":\"status\",\"account\",\"id\",\"state\",\"reason\",...}   (as `status`)\n"
    "  {\"event\":\"message\",\"chat\",\"id\",\"from\",\"name\",\"kind\",\"text\",\"t\"}\n"
    "  {\"event\":\"message_update\",\"chat\",\"id\",\"status\"[,\"kind\",\"text\"]}\n"
    "  {\"event\":\"chat_update\",\"chat\",\"unread\",\"total_unread\"}\n"
    "A message is printed once it is stored; it is then acknowledged to the server, so it is not\n"
    "printed again by a later `listen`. kind is text or placeholder (could not be decrypted yet:\n"
    "\"waiting for this message\"). message_update: one of ours was sent, delivered or read\n"
    "(receipts), or a placeholder's content arrived. While connected the number also sends what\n"
    "`send` left queued. Message text goes to standard output only, never to logs.\n";

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli listen: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

class ListenFlow {
 public:
  ListenFlow(CliEngine& cli, std::string id) : cli_(cli), id_(std::move(id)) {}

  void begin(const core::account::Account& account) { printStatus(account.status()); }

  void onEvent(const api::AccountEvent& event) {
    if (const auto* s = std::get_if<api::AccountStatusEvent>(&event)) {
      if (s->id == id_) printStatus(s->change.status);
    } else if (const auto* added = std::get_if<api::MessageAdded>(&event)) {
      if (added->id == id_) cli_.printJson(messageEventJson(added->chatJid, added->message));
    } else if (const auto* updated = std::get_if<api::MessageUpdated>(&event)) {
      if (updated->id != id_) return;
      QJsonObject line{{QStringLiteral("event"), QStringLiteral("message_update")},
                       {QStringLiteral("chat"), qs(updated->chatJid)},
                       {QStringLiteral("id"), qs(updated->messageId)},
                       {QStringLiteral("status"), statusName(updated->status)}};
      if (updated->hasMessage) {
        line.insert(QStringLiteral("kind"), kindName(updated->message.kind));
        line.insert(QStringLiteral("text"), qs(updated->message.text));
      }
      cli_.printJson(line);
    } else if (const auto* chat = std::get_if<api::ChatUpdated>(&event)) {
      if (chat->id != id_) return;
      cli_.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("chat_update")},
                                 {QStringLiteral("chat"), qs(chat->chatJid)},
                                 {QStringLiteral("unread"), chat->unreadCount},
                                 {QStringLiteral("total_unread"), static_cast<qint64>(chat->totalUnread)}});
    }
  }

 private:
  void printStatus(const api::ConnectionStatus& status) {
    QJsonObject line = statusJson(cli_.nameOf(id_), id_, status);
    line.insert(QStringLiteral("event"), QStringLiteral("status"));
    cli_.printJson(line);
  }

  CliEngine& cli_;
  std::string id_;
};

int listen(std::string_view wanted, CommandIo io) {
  CliEngine cli("listen", io);
  std::unique_ptr<ListenFlow> flow;
  return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(wanted);
    if (account == nullptr) return;
    flow = std::make_unique<ListenFlow>(c, account->id());
    c.onEvent([&flow](const api::AccountEvent& e) { flow->onEvent(e); });
    c.onInterrupt([&c] { c.finish(kExitOk); });
    flow->begin(*account);
  });
}

}  // namespace

int runListenCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {}, {});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  if (parsed.positional.size() != 1) return usage(io, "give exactly one ACCOUNT");
  return listen(parsed.positional[0], io);
}

}  // namespace chorus::app::cli
