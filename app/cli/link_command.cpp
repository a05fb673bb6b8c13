#include "app/cli/link_command.h"

#include <ostream>
#include <string>
#include <variant>

#include "app/cli/cli_args.h"
#include "app/cli/cli_engine.h"
#include "app/cli/cli_json.h"
#include "app/cli/global_options.h"
#include "app/cli/qr_art.h"

namespace chorus::app::cli {
namespace {

constexpr int kDefaultTimeoutS = 300;  // beyond the session's own QR/code timeout (~3 min)
constexpr int kMaxTimeoutS = 24 * 3600;

constexpr std::string_view kUsage =
    "usage: chorus-cli link ACCOUNT [--phone NUMBER] [--json] [--timeout S]\n"
    "\n"
    "Links ACCOUNT (id, unique id prefix or name) to a WhatsApp number and waits until it is\n"
    "ready. Without --phone it shows QR codes to scan with the phone (WhatsApp > Linked\n"
    "devices > Link a device), a new one at each rotation. With --phone it shows an\n"
    "8-character code to enter on the phone of NUMBER (international format) instead.\n"
    "  --json       JSON lines only: {\"event\":\"qr\"|\"code\"|\"linked\"|\"problem\",...} and\n"
    "               status lines\n"
    "  --timeout S  give up after S seconds (default 300)\n"
    "Exit codes: 0 linked and ready; 1 linking failed or timed out (the QR codes ran out).\n";

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli link: " << problem << "\n" << kUsage << "\n" << kGlobalOptionsUsage;
  return kExitUsage;
}

struct LinkOptions {
  std::string account;
  std::string phone;  // empty: QR
  bool json = false;
  int timeoutS = kDefaultTimeoutS;
};

// Follows the account's events until it is linked and ready, or linking has ended.
class LinkFlow {
 public:
  LinkFlow(CliEngine& cli, core::account::Account& account, const LinkOptions& options)
      : cli_(cli), account_(account), options_(options), id_(account.id()) {}

  void onEvent(const api::AccountEvent& event) {
    std::visit([this](const auto& e) { handle(e); }, event);
  }

 private:
  void handle(const api::QrCodeShown& e) {
    if (e.id != id_) return;
    shownQr_ = true;
    if (options_.json) {
      return cli_.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("qr")},
                                        {QStringLiteral("code"), qs(e.code)},
                                        {QStringLiteral("expires"), isoTime(e.expiresAt)}});
    }
    auto art = renderQr(e.code, cli_.outputIsTerminal());
    if (art) cli_.printLine(*art);
    cli_.printLine("qr: " + e.code);
    cli_.printLine("Scan it with WhatsApp on the phone: Linked devices > Link a device.");
  }
  void handle(const api::LinkCodeShown& e) {
    if (e.id != id_) return;
    shownCode_ = true;
    if (options_.json) {
      return cli_.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("code")},
                                        {QStringLiteral("code"), qs(e.code)}});
    }
    cli_.printLine("code: " + e.code);
    cli_.printLine(
        "Enter it on the phone: Linked devices > Link a device > "
        "Link with phone number instead.");
  }
  void handle(const api::AccountLinked& e) {
    if (e.id != id_) return;
    linked_ = true;
    if (options_.json) {
      return cli_.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("linked")},
                                        {QStringLiteral("phone"), qs(e.maskedPhone)}});
    }
    cli_.printLine("linked: " + e.maskedPhone);
  }
  void handle(const api::AccountProblem& e) {
    if (e.id != id_) return;
    if (options_.json) {
      return cli_.printJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("problem")},
                                        {QStringLiteral("error"), qs(e.error)},
                                        {QStringLiteral("message"), qs(e.message)}});
    }
    cli_.printLine("problem: " + e.message);
  }
  void handle(const api::AccountStatusEvent& e) {
    if (e.id != id_) return;
    const api::ConnectionStatus& s = e.change.status;
    if (options_.json) {
      cli_.printJson(statusJson(cli_.nameOf(id_), id_, s));
    } else {
      cli_.printLine("status: " + std::string(api::stateName(s.state)) +
                     (s.reason.empty() ? "" : " (" + s.reason + ")"));
    }
    using api::ConnectionState;
    if (s.state == ConnectionState::Connecting || s.state == ConnectionState::Pairing) {
      started_ = true;
    }
    if (!started_) return;  // what the account was in before linking began
    if (s.state == ConnectionState::Ready && account_.isLinked()) return cli_.finish(kExitOk);
    if (s.state == ConnectionState::Unlinked) return cli_.fail(notLinked(s.reason));
    if (api::needsAction(s.state)) {
      return cli_.fail("linking failed: " + std::string(api::stateName(s.state)) +
                       (s.reason.empty() ? "" : " (" + s.reason + ")"));
    }
  }
  void handle(const api::AccountLoggedOut&) {}

  // Why linking ended without a link, in the words of what the person saw.
  [[nodiscard]] std::string notLinked(const std::string& reason) const {
    const std::string why = reason.empty() ? std::string() : " (" + reason + ")";
    if (linked_) return "not linked" + why;
    if (shownCode_) return "not linked: the code was not entered on the phone in time" + why;
    if (shownQr_) return "not linked: no phone scanned the QR code in time" + why;
    return "not linked" + (reason.empty() ? std::string() : ": " + reason);
  }
  void handle(const api::AccountsChanged&) {}
  void handle(const api::MessageAdded&) {}
  void handle(const api::MessageUpdated&) {}
  void handle(const api::ChatUpdated&) {}

  CliEngine& cli_;
  core::account::Account& account_;
  const LinkOptions& options_;
  std::string id_;
  bool started_ = false;
  bool shownQr_ = false;
  bool shownCode_ = false;
  bool linked_ = false;
};

int link(const LinkOptions& options, CommandIo io) {
  CliEngine cli("link", io);
  std::unique_ptr<LinkFlow> flow;
  return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
    core::account::Account* account = c.resolve(options.account);
    if (account == nullptr) return;
    flow = std::make_unique<LinkFlow>(c, *account, options);
    c.onEvent([&flow](const api::AccountEvent& e) { flow->onEvent(e); });
    const core::Status started =
        options.phone.empty() ? account->linkWithQr() : account->linkWithPhone(options.phone);
    if (!started) return c.fail(started.error());
    c.after(options.timeoutS * 1000, [&c, &options] {
      c.fail("not linked after " + std::to_string(options.timeoutS) + " s");
    });
  });
}

}  // namespace

int runLinkCommand(std::span<const std::string_view> args, CommandIo io) {
  const CommandArgs parsed = parseCommandArgs(args, {"--json"}, {"--phone", "--timeout"});
  if (parsed.help) {
    io.out << kUsage << "\n" << kGlobalOptionsUsage;
    return kExitOk;
  }
  if (!parsed.error.empty()) return usage(io, parsed.error);
  if (parsed.positional.size() != 1) return usage(io, "link takes one ACCOUNT");
  LinkOptions options;
  options.account = std::string(parsed.positional[0]);
  options.json = parsed.has("--json");
  if (parsed.values.count("--phone") != 0) {
    options.phone = std::string(parsed.value("--phone"));
    if (options.phone.empty()) return usage(io, "--phone needs a NUMBER");
  }
  if (parsed.values.count("--timeout") != 0 &&
      !parseSeconds(parsed.value("--timeout"), 1, kMaxTimeoutS, options.timeoutS)) {
    return usage(io, "--timeout must be a number of seconds (1-86400)");
  }
  return link(options, io);
}

}  // namespace chorus::app::cli
