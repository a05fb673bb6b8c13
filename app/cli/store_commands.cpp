#include "app/cli/store_commands.h"

#include <ostream>
#include <string>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/global_options.h"
#include "app/cli/message_json.h"

namespace chorus::app::cli {
namespace {

constexpr int kDefaultChatLimit = 1000;
constexpr int kMaxChatLimit = 100000;
constexpr int kDefaultMessageLimit = 50;
constexpr int kMaxMessageLimit = 500;  // Account::messages' own bound

constexpr std::string_view kChatsUsage =
    "usage: chorus-cli chats ACCOUNT [--limit N]\n"
    "\n"
    "Prints the number's chats as stored here, most recent activity first, one JSON line each\n"
    "(at most N, default 1000):\n"
    "  {\"chat\",\"kind\":\"direct|group\",\"name\",\"unread\",\"last_activity\",\n"
    "   \"last\":{\"id\",\"direction\",\"status\",\"kind\",\"text\"}}\n"
    "last_activity is in Unix seconds (0 when the chat has no message); last is left out then.\n"
    "Does not connect.\n";
constexpr std::string_view kMessagesUsage =
    "usage: chorus-cli messages ACCOUNT CHAT [--before ID] [--limit N]\n"
    "\n"
    "Prints up to N (default 50, at most 500) stored messages of CHAT (a number's digits, a user\n"
    "JID or a group JID \"<id>@g.us\"), oldest first, one JSON line each:\n"
    "  {\"id\",\"direction\":\"in|out\",\"status\",\"kind\",\"t\",\"from\",\"name\",\"text\"[,\"failure\"]}\n"
    "The newest ones without --before; with --before ID those just older than message ID (the\n"
    "first id of the previous page): page back until nothing is printed. Does not connect.\n";

int usage(CommandIo io, std::string_view command, std::string_view usageText,
          std::string_view problem) {
  io.err << "chorus-cli " << command << ": " << problem << "\n"
         << usageText << "\n"
         << kGlobalOptionsUsage;
  return kExitUsage;
}

}  // namespace

int runChatsCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {}, {"--limit"});
  if (parsed.help) {
    io.out << kChatsUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  const auto bad = [&](std::string_view problem) { return usage(io, "chats", kChatsUsage, problem); };
  if (!parsed.error.empty()) return bad(parsed.error);
  if (parsed.positional.size() != 1) return bad("give exactly one ACCOUNT");
  int limit = kDefaultChatLimit;
  if (parsed.values.count("--limit") != 0 &&
      !parseInteger(parsed.value("--limit"), 1, kMaxChatLimit, limit)) {
    return bad("--limit takes a whole number between 1 and 100000");
  }
  const std::string wanted(parsed.positional[0]);
  CliEngine cli("chats", io);
  return cli.run(CliEngine::Mode::Offline, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(wanted);
    if (account == nullptr) return;
    auto chats = account->chats(static_cast<std::size_t>(limit));
    if (!chats) return c.fail(chats.error());
    for (const api::ChatSummary& chat : *chats) c.printJson(chatJson(chat));
    c.finish(kExitOk);
  });
}

int runMessagesCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {}, {"--before", "--limit"});
  if (parsed.help) {
    io.out << kMessagesUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  const auto bad = [&](std::string_view problem) {
    return usage(io, "messages", kMessagesUsage, problem);
  };
  if (!parsed.error.empty()) return bad(parsed.error);
  if (parsed.positional.size() != 2) return bad("give ACCOUNT and CHAT");
  if (parsed.positional[1].empty()) return bad("CHAT is empty");
  int limit = kDefaultMessageLimit;
  if (parsed.values.count("--limit") != 0 &&
      !parseInteger(parsed.value("--limit"), 1, kMaxMessageLimit, limit)) {
    return bad("--limit takes a whole number between 1 and 500");
  }
  if (parsed.values.count("--before") != 0 && parsed.value("--before").empty()) {
    return bad("--before needs a message id");
  }
  const std::string wanted(parsed.positional[0]);
  const std::string chat = chatJidOf(parsed.positional[1]);
  const std::string before(parsed.value("--before"));
  CliEngine cli("messages", io);
  return cli.run(CliEngine::Mode::Offline, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(wanted);
    if (account == nullptr) return;
    auto page = account->messages(chat, before, static_cast<std::size_t>(limit));
    if (!page) {
      // The chat's JID is the person's data: not on stderr.
      if (page.error().code == core::Errc::NotFound) {
        return c.fail("no message " + before + " in this chat (--before takes an id that "
                      "`messages` printed for it)");
      }
      return c.fail(page.error());
    }
    for (const api::MessageView& m : *page) c.printJson(messageJson(m));
    c.finish(kExitOk);
  });
}

}  // namespace chorus::app::cli
