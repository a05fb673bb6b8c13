#include "app/desktop/engine_backend.h"

#include <QMetaObject>
#include <QMetaType>
#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "core/account/account_registry.h"

namespace chorus::app::desktop {
namespace {

// Account::messagesBefore answers at most this many per page.
constexpr int kMaxPage = 500;

QString qs(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

}  // namespace

struct EngineBackend::Relay {
  std::mutex mutex;
  EngineBackend* target = nullptr;
};

QString failureText(const core::Error& error) {
  if (!error.detail.empty()) {
    QString text = qs(error.detail);
    text[0] = text[0].toUpper();
    return text;
  }
  switch (error.code) {
    case core::Errc::InvalidArgument: return QObject::tr("This cannot be done now.");
    case core::Errc::NotFound: return QObject::tr("This number or message no longer exists.");
    case core::Errc::Storage: return QObject::tr("The number's data could not be read or saved.");
    case core::Errc::Io: return QObject::tr("A file could not be read or written.");
    case core::Errc::Timeout: return QObject::tr("There was no answer in time.");
    case core::Errc::Banned: return QObject::tr("This number is banned for now.");
    case core::Errc::Cancelled: return QObject::tr("Chorus is shutting down.");
    case core::Errc::Unsupported: return QObject::tr("The number must be connected first.");
    default: return QObject::tr("Something went wrong (%1).").arg(qs(core::errcName(error.code)));
  }
}

void registerBackendTypes() {
  qRegisterMetaType<chorus::api::AccountEvent>();
  qRegisterMetaType<chorus::api::AccountId>("chorus::api::AccountId");
  qRegisterMetaType<std::vector<chorus::api::AccountSummary>>();
  qRegisterMetaType<std::vector<chorus::api::ChatSummary>>();
  qRegisterMetaType<chorus::ui::MessagePage>();
}

EngineBackend::EngineBackend(EngineThread& engine, QObject* parent)
    : ui::Backend(parent), engine_(engine), relay_(std::make_shared<Relay>()) {
  registerBackendTypes();
  relay_->target = this;
  connect(
      engine_.engine(), &Engine::event, this,
      [this](const api::AccountEvent& event) {
        Q_EMIT accountEvent(event);
        if (std::holds_alternative<api::AccountsChanged>(event)) refreshAccounts();
      },
      Qt::QueuedConnection);
}

EngineBackend::~EngineBackend() {
  const std::lock_guard<std::mutex> lock(relay_->mutex);
  relay_->target = nullptr;
}

void EngineBackend::toGui(const std::shared_ptr<Relay>& relay,
                          std::function<void(EngineBackend&)> fn) {
  const std::lock_guard<std::mutex> lock(relay->mutex);
  EngineBackend* target = relay->target;
  if (target == nullptr) return;
  // Posted while the target cannot go away; ~QObject drops it if the target goes first.
  QMetaObject::invokeMethod(
      target, [target, fn = std::move(fn)] { fn(*target); }, Qt::QueuedConnection);
}

void EngineBackend::failed(const api::AccountId& id, const QString& what,
                           const core::Error& error) {
  Q_EMIT commandFailed(id, what, failureText(error));
}

void EngineBackend::refreshAccounts() {
  engine_.post([relay = relay_](Engine& engine) {
    if (!engine.isOpen()) return;
    toGui(relay, [accounts = engine.registry().list()](EngineBackend& self) {
      Q_EMIT self.accountsLoaded(accounts);
    });
  });
}

void EngineBackend::withAccount(const api::AccountId& id, QString what, AccountWork work) {
  engine_.post(
      [relay = relay_, id, what = std::move(what), work = std::move(work)](Engine& engine) {
        auto report = [&](const core::Error& error) {
          toGui(relay, [id, what, error](EngineBackend& self) { self.failed(id, what, error); });
        };
        if (!engine.isOpen()) return report({core::Errc::Cancelled, "Chorus is not running yet"});
        auto account = engine.registry().resolve(id);
        if (!account) return report(account.error());
        if (core::Status done = work(**account); !done) report(done.error());
      });
}

void EngineBackend::addAccount(const QString& name) {
  engine_.post([relay = relay_, name = name.toStdString()](Engine& engine) {
    auto report = [relay](const core::Error& error) {
      toGui(relay, [error](EngineBackend& self) { self.failed({}, QStringLiteral("add"), error); });
    };
    if (!engine.isOpen()) return report({core::Errc::Cancelled, "Chorus is not running yet"});
    // The new number appears through AccountsChanged → accountsLoaded.
    engine.registry().add(name, [report](core::Result<api::AccountId> added) {
      if (!added) report(added.error());
    });
  });
}

void EngineBackend::renameAccount(const api::AccountId& id, const QString& name) {
  engine_.post([relay = relay_, id, name = name.toStdString()](Engine& engine) {
    if (!engine.isOpen()) return;
    if (core::Status renamed = engine.registry().rename(id, name); !renamed) {
      toGui(relay, [id, error = renamed.error()](EngineBackend& self) {
        self.failed(id, QStringLiteral("rename"), error);
      });
    }
  });
}

void EngineBackend::removeAccount(const api::AccountId& id) {
  engine_.post([relay = relay_, id](Engine& engine) {
    if (!engine.isOpen()) return;
    engine.registry().remove(id, [relay, id](core::Status removed) {
      if (removed) return;
      toGui(relay, [id, error = removed.error()](EngineBackend& self) {
        self.failed(id, QStringLiteral("remove"), error);
      });
    });
  });
}

void EngineBackend::reconnect(const api::AccountId& id) {
  withAccount(id, QStringLiteral("reconnect"),
              [](core::account::Account& a) { return a.connect(); });
}

void EngineBackend::linkWithQr(const api::AccountId& id) {
  withAccount(id, QStringLiteral("link"), [](core::account::Account& a) { return a.linkWithQr(); });
}

void EngineBackend::linkWithPhone(const api::AccountId& id, const QString& phone) {
  withAccount(id, QStringLiteral("link"), [phone = phone.toStdString()](core::account::Account& a) {
    return a.linkWithPhone(phone);
  });
}

void EngineBackend::loadChats(const api::AccountId& id) {
  withAccount(id, QStringLiteral("chats"), [relay = relay_, id](core::account::Account& a) {
    auto chats = a.chats();
    if (!chats) return core::Status(core::Unexpected<core::Error>(chats.error()));
    toGui(relay, [id, list = std::move(*chats)](EngineBackend& self) {
      Q_EMIT self.chatsLoaded(id, list);
    });
    return core::ok();
  });
}

std::uint64_t EngineBackend::loadMessages(const api::AccountId& id, const std::string& chatJid,
                                          std::int64_t beforeLocalId, int limit) {
  return loadPage(id, chatJid, beforeLocalId, limit, false);
}

std::uint64_t EngineBackend::loadNewerMessages(const api::AccountId& id,
                                               const std::string& chatJid,
                                               std::int64_t afterLocalId, int limit) {
  return loadPage(id, chatJid, afterLocalId, limit, true);
}

std::uint64_t EngineBackend::loadPage(const api::AccountId& id, const std::string& chatJid,
                                      std::int64_t anchor, int limit, bool newer) {
  const std::uint64_t request = ++lastRequest_;
  const auto wanted = static_cast<std::size_t>(std::clamp(limit, 1, kMaxPage));
  withAccount(
      id, QStringLiteral("messages"),
      [relay = relay_, request, id, chatJid, anchor, wanted, newer](core::account::Account& a) {
        auto messages = newer ? a.messagesAfter(chatJid, anchor, wanted)
                              : a.messagesBefore(chatJid, anchor, wanted);
        if (!messages) {
          return core::Status(core::Unexpected<core::Error>(messages.error()));
        }
        ui::MessagePage page;
        page.request = request;
        page.account = id;
        page.chatJid = chatJid;
        page.newer = newer;
        // Fewer than asked for: that end of the chat is in the page.
        const bool atEdge = messages->size() < wanted;
        if (newer) {
          page.afterLocalId = anchor;
          page.reachedEnd = atEdge;
        } else {
          page.beforeLocalId = anchor;
          page.reachedStart = atEdge;
        }
        page.messages = std::move(*messages);
        toGui(relay,
              [page = std::move(page)](EngineBackend& self) { Q_EMIT self.messagesLoaded(page); });
        return core::ok();
      });
  return request;
}

void EngineBackend::sendText(const api::AccountId& id, const std::string& chatJid,
                             const QString& text) {
  withAccount(id, QStringLiteral("send"),
              [chatJid, text = text.toStdString()](core::account::Account& a) {
                return a.sendText(chatJid, text);
              });
}

void EngineBackend::markChatRead(const api::AccountId& id, const std::string& chatJid) {
  withAccount(id, QStringLiteral("read"),
              [chatJid](core::account::Account& a) { return a.markChatRead(chatJid); });
}

void EngineBackend::retryMessage(const api::AccountId& id, const std::string& chatJid,
                                 const std::string& messageId) {
  withAccount(id, QStringLiteral("retry"), [chatJid, messageId](core::account::Account& a) {
    return a.retryMessage(chatJid, messageId);
  });
}

}  // namespace chorus::app::desktop
