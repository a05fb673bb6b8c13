#include "app/cli/send_command.h"

#include <QByteArrayView>
#include <QStringDecoder>
#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"
#include "app/cli/message_json.h"

namespace chorus::app::cli {
namespace {

constexpr int kDefaultTimeoutSeconds = 30;
constexpr int kMaxTimeoutSeconds = 3600;
constexpr std::size_t kMaxStdinMessages = 1000;

constexpr std::string_view kUsage =
    "usage: chorus-cli send ACCOUNT JID TEXT [--timeout S] [--wait sent|delivered|read]\n"
    "       chorus-cli send ACCOUNT JID --stdin [--timeout S] [--wait sent|delivered|read]\n"
    "\n"
    "Stores TEXT (or, with --stdin, each non-empty line of standard input, in order; UTF-8;\n"
    "at most 1000) for the chat JID - a number's digits, \"15557654321@s.whatsapp.net\" or a\n"
    "group \"<id>@g.us\" - as queued and prints for each at once\n"
    "  {\"event\":\"queued\",\"chat\",\"id\"}\n"
    "then connects the number and prints, as each message reaches the wanted status,\n"
    "  {\"event\":\"sent\"|\"delivered\"|\"read\",\"chat\",\"id\"}\n"
    "--wait sent (default): the server acknowledged it; delivered / read: the recipient's\n"
    "receipt arrived. Exit 0 when every message got there; 1 when the server refused one or\n"
    "after S seconds for the whole batch (default 30): messages not sent yet stay queued and\n"
    "go out with the same id on the next connection (send, listen, status or the app).\n";

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli send: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

[[nodiscard]] bool isUtf8(std::string_view text) {
  QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
  (void)QString(decode(QByteArrayView(text.data(), static_cast<qsizetype>(text.size()))));
  return !decode.hasError();
}

// Each non-empty line of `in` (a trailing CR removed) is one message.
[[nodiscard]] bool readLines(std::istream& in, std::vector<std::string>& texts,
                             std::string& problem) {
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!isUtf8(line)) {
      problem = "line " + std::to_string(number) + " of standard input is not UTF-8";
      return false;
    }
    if (texts.size() == kMaxStdinMessages) {
      problem = "more than " + std::to_string(kMaxStdinMessages) +
                " messages on standard input; send them in batches";
      return false;
    }
    texts.push_back(std::move(line));
  }
  if (texts.empty()) {
    problem = "standard input holds no message (one per non-empty line)";
    return false;
  }
  return true;
}

[[nodiscard]] bool reaches(api::MessageStatus status, api::MessageStatus wanted) {
  return status != api::MessageStatus::Failed &&
         static_cast<int>(status) >= static_cast<int>(wanted);
}

class SendFlow {
 public:
  SendFlow(CliEngine& cli, std::string accountId, std::string chat, api::MessageStatus wanted)
      : cli_(cli), accountId_(std::move(accountId)), chat_(std::move(chat)), wanted_(wanted) {}

  void begin(core::account::Account& account, const std::vector<std::string>& texts,
             int timeoutSeconds) {
    for (const std::string& text : texts) {
      std::string id;
      if (core::Status stored = account.sendText(chat_, text, &id); !stored) {
        if (ids_.empty()) return cli_.fail(maskedErrorText(stored.error()));
        return cli_.fail(maskedErrorText(stored.error()) +
                         " (message " + std::to_string(ids_.size() + 1) +
                         "; the " + std::to_string(ids_.size()) +
                         " before it stay queued and go out on the next connection)");
      }
      ids_.push_back(id);
      waiting_[id] = true;
      cli_.printJson(line(QStringLiteral("queued"), id));
    }
    // Updates that arrived before sendText returned the id.
    for (const std::string& id : ids_) {
      if (auto it = early_.find(id); it != early_.end()) update(id, it->second);
    }
    early_.clear();
    if (cli_.isFinishing()) return;
    cli_.after(timeoutSeconds * 1000, [this, timeoutSeconds] { timedOut(timeoutSeconds); });
  }

  void onEvent(const api::AccountEvent& event) {
    const auto* updated = std::get_if<api::MessageUpdated>(&event);
    if (updated == nullptr || updated->id != accountId_) return;
    if (waiting_.count(updated->messageId) == 0) {
      early_[updated->messageId] = updated->status;
      return;
    }
    update(updated->messageId, updated->status);
  }

 private:
  [[nodiscard]] QJsonObject line(const QString& event, const std::string& id) const {
    return QJsonObject{{QStringLiteral("event"), event},
                       {QStringLiteral("chat"), qs(chat_)},
                       {QStringLiteral("id"), qs(id)}};
  }

  void update(const std::string& id, api::MessageStatus status) {
    auto it = waiting_.find(id);
    if (it == waiting_.end() || !it->second || cli_.isFinishing()) return;
    if (status == api::MessageStatus::Failed) {
      it->second = false;
      return cli_.fail("the server refused the message " + id);
    }
    if (!reaches(status, wanted_)) return;
    it->second = false;
    ++reached_;
    cli_.printJson(line(statusName(wanted_), id));
    if (reached_ == ids_.size()) cli_.finish(kExitOk);
  }

  void timedOut(int timeoutSeconds) {
    const std::size_t pending = ids_.size() - reached_;
    const std::string within = " within " + std::to_string(timeoutSeconds) + " s";
    if (ids_.size() == 1 && wanted_ == api::MessageStatus::Sent) {
      return cli_.fail("not acknowledged by the server" + within + "; the message " + ids_[0] +
                       " stays queued and goes out on the next connection");
    }
    cli_.fail(std::to_string(pending) + " of " + std::to_string(ids_.size()) + " messages not " +
              statusName(wanted_).toStdString() + within +
              "; those not sent yet stay queued and go out on the next connection");
  }

  CliEngine& cli_;
  std::string accountId_;
  std::string chat_;
  api::MessageStatus wanted_;
  std::vector<std::string> ids_;                        // in the order sent
  std::map<std::string, bool, std::less<>> waiting_;    // id → still waiting
  std::map<std::string, api::MessageStatus> early_;     // updates for ids not known yet
  std::size_t reached_ = 0;
};

int send(std::string_view wanted, const std::string& chat, const std::vector<std::string>& texts,
         api::MessageStatus status, int timeoutSeconds, CommandIo io) {
  CliEngine cli("send", io);
  std::unique_ptr<SendFlow> flow;
  return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(wanted);
    if (account == nullptr) return;
    if (!account->isLinked()) return c.fail("this number is not linked: link it first");
    flow = std::make_unique<SendFlow>(c, account->id(), chat, status);
    c.onEvent([&flow](const api::AccountEvent& e) { flow->onEvent(e); });
    if (account->summary().autoConnect == false) {
      if (core::Status connected = account->connect(); !connected) {
        return c.fail(connected.error());
      }
    }
    flow->begin(*account, texts, timeoutSeconds);
  });
}

}  // namespace

int runSendCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {"--stdin"}, {"--timeout", "--wait"});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  const bool fromStdin = parsed.has("--stdin");
  if (fromStdin && parsed.positional.size() != 2) {
    return usage(io, "with --stdin give ACCOUNT and JID only");
  }
  if (!fromStdin && parsed.positional.size() != 3) return usage(io, "give ACCOUNT, JID and TEXT");
  int timeoutSeconds = kDefaultTimeoutSeconds;
  if (parsed.values.count("--timeout") != 0 &&
      !parseSeconds(parsed.value("--timeout"), 1, kMaxTimeoutSeconds, timeoutSeconds)) {
    return usage(io, "--timeout takes whole seconds between 1 and 3600");
  }
  api::MessageStatus status = api::MessageStatus::Sent;
  if (parsed.values.count("--wait") != 0) {
    const std::string_view w = parsed.value("--wait");
    if (w == "sent") {
      status = api::MessageStatus::Sent;
    } else if (w == "delivered") {
      status = api::MessageStatus::Delivered;
    } else if (w == "read") {
      status = api::MessageStatus::Read;
    } else {
      return usage(io, "--wait takes sent, delivered or read");
    }
  }
  if (parsed.positional[1].empty()) return usage(io, "JID is empty");
  std::vector<std::string> texts;
  if (fromStdin) {
    std::string problem;
    if (!readLines(io.in, texts, problem)) {
      io.err << "chorus-cli send: " << problem << "\n";
      return kExitBadInput;
    }
  } else {
    if (parsed.positional[2].empty()) return usage(io, "TEXT is empty");
    if (!isUtf8(parsed.positional[2])) {
      io.err << "chorus-cli send: TEXT is not UTF-8\n";
      return kExitBadInput;
    }
    texts.emplace_back(parsed.positional[2]);
  }
  return send(parsed.positional[0], chatJidOf(parsed.positional[1]), texts, status,
              timeoutSeconds, io);
}

}  // namespace chorus::app::cli
