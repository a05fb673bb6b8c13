#include "app/cli/send_command.h"

#include <charconv>
#include <ostream>
#include <string>
#include <variant>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"

namespace chorus::app::cli {
namespace {

constexpr int kDefaultTimeoutSeconds = 30;
constexpr int kMaxTimeoutSeconds = 3600;
constexpr std::string_view kUserServerSuffix = "@s.whatsapp.net";

constexpr std::string_view kUsage =
    "usage: chorus-cli send ACCOUNT JID TEXT [--timeout S]\n"
    "\n"
    "Stores TEXT for the 1:1 chat JID (\"15557654321@s.whatsapp.net\", or just the number's\n"
    "digits) as queued, connects the number and waits until the server acknowledges the\n"
    "message, then prints\n"
    "  {\"event\":\"sent\",\"chat\",\"id\"}\n"
    "and exits 0. Not acknowledged within S seconds (default 30): exit 1; the message stays\n"
    "queued and goes out with the same id on the next connection.\n";

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli send: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

// Digits alone (optionally with '+') name a phone number's chat.
std::string chatOf(std::string_view jid) {
  std::string_view digits = jid;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  const bool allDigits = !digits.empty() && digits.find_first_not_of("0123456789") == digits.npos;
  return allDigits ? std::string(digits) + std::string(kUserServerSuffix) : std::string(jid);
}

class SendFlow {
 public:
  SendFlow(CliEngine& cli, std::string accountId) : cli_(cli), accountId_(std::move(accountId)) {}

  void begin(core::account::Account& account, const std::string& chat, std::string_view text,
             int timeoutSeconds) {
    if (core::Status sent = account.sendText(chat, text, &id_); !sent) {
      return cli_.fail(sent.error());
    }
    chat_ = chat;
    if (done_) return;
    cli_.after(timeoutSeconds * 1000, [this, timeoutSeconds] {
      cli_.fail("not acknowledged by the server within " + std::to_string(timeoutSeconds) +
                " s; the message " + id_ + " stays queued and goes out on the next connection");
    });
  }

  void onEvent(const api::AccountEvent& event) {
    const auto* updated = std::get_if<api::MessageUpdated>(&event);
    if (updated == nullptr || updated->id != accountId_ || id_.empty()) return;
    if (updated->messageId != id_ || done_) return;
    if (updated->status == api::MessageStatus::Failed) {
      done_ = true;
      return cli_.fail("the server refused the message " + id_);
    }
    if (updated->status == api::MessageStatus::Queued) return;
    done_ = true;
    cli_.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("sent")},
                               {QStringLiteral("chat"), qs(chat_)},
                               {QStringLiteral("id"), qs(id_)}});
    cli_.finish(kExitOk);
  }

 private:
  CliEngine& cli_;
  std::string accountId_;
  std::string chat_;
  std::string id_;
  bool done_ = false;
};

int send(std::string_view wanted, const std::string& chat, std::string_view text,
         int timeoutSeconds, CommandIo io) {
  CliEngine cli("send", io);
  std::unique_ptr<SendFlow> flow;
  return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(wanted);
    if (account == nullptr) return;
    if (!account->isLinked()) return c.fail("this number is not linked: link it first");
    flow = std::make_unique<SendFlow>(c, account->id());
    c.onEvent([&flow](const api::AccountEvent& e) { flow->onEvent(e); });
    if (account->summary().autoConnect == false) {
      if (core::Status connected = account->connect(); !connected) {
        return c.fail(connected.error());
      }
    }
    flow->begin(*account, chat, text, timeoutSeconds);
  });
}

}  // namespace

int runSendCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {}, {"--timeout"});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  if (parsed.positional.size() != 3) return usage(io, "give ACCOUNT, JID and TEXT");
  int timeoutSeconds = kDefaultTimeoutSeconds;
  if (const std::string_view t = parsed.value("--timeout"); !t.empty()) {
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), timeoutSeconds);
    if (ec != std::errc{} || end != t.data() + t.size() || timeoutSeconds <= 0 ||
        timeoutSeconds > kMaxTimeoutSeconds) {
      return usage(io, "--timeout takes whole seconds between 1 and 3600");
    }
  }
  if (parsed.positional[2].empty()) return usage(io, "TEXT is empty");
  return send(parsed.positional[0], chatOf(parsed.positional[1]), parsed.positional[2],
              timeoutSeconds, io);
}

}  // namespace chorus::app::cli
