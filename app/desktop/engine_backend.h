// EngineBackend: ui::Backend over the real Engine on its EngineThread (architecture §2 "One
// engine thread"). Every command and query is posted to the engine thread, where it runs
// against the AccountRegistry and its Accounts; answers come back to the GUI thread as queued
// calls carrying copies of core/api values, and leave as the Backend's signals. Engine::event
// is forwarded as accountEvent; after AccountsChanged (and on refreshAccounts) the registry's
// list is read again and sent as accountsLoaded. A command that cannot be carried out ends in
// commandFailed with words for the person.
//
// `what` in commandFailed is an untranslated command name: "add", "rename", "remove",
// "reconnect", "link", "chats", "messages", "send", "read", "retry".
//
//   EngineBackend backend(startup.engine());
//   connect(&startup, &EngineStartup::opened, &backend, &EngineBackend::refreshAccounts);
//
// The backend may be destroyed before or after the EngineThread: answers still on their way
// to a destroyed backend are dropped.
#pragma once

#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/platform/engine_thread.h"
#include "core/util/result.h"
#include "ui/backend.h"

namespace chorus::app::desktop {

class EngineBackend final : public ui::Backend {
  Q_OBJECT

 public:
  // `engine` must outlive every call of the backend's methods (its answers need not).
  explicit EngineBackend(EngineThread& engine, QObject* parent = nullptr);
  ~EngineBackend() override;

  // Reads the registry's list and emits accountsLoaded (call once the engine is open).
  void refreshAccounts();

  void addAccount(const QString& name) override;
  void renameAccount(const api::AccountId& id, const QString& name) override;
  void removeAccount(const api::AccountId& id) override;
  void reconnect(const api::AccountId& id) override;
  void linkWithQr(const api::AccountId& id) override;
  void linkWithPhone(const api::AccountId& id, const QString& phone) override;

  void loadChats(const api::AccountId& id) override;
  std::uint64_t loadNewerMessages(const api::AccountId& id, const std::string& chatJid,
                                  std::int64_t afterLocalId, int limit) override;
  std::uint64_t loadMessages(const api::AccountId& id, const std::string& chatJid,
                             std::int64_t beforeLocalId, int limit) override;
  void sendText(const api::AccountId& id, const std::string& chatJid, const QString& text) override;
  void markChatRead(const api::AccountId& id, const std::string& chatJid) override;
  void retryMessage(const api::AccountId& id, const std::string& chatJid,
                    const std::string& messageId) override;

 private:
  struct Relay;  // the engine thread's way back to this object (cleared when it goes)
  using AccountWork = std::function<core::Status(core::account::Account&)>;

  // Runs `work` on the engine thread with the account `id`; a lookup error or a failed Status
  // becomes commandFailed(id, what, ...).
  void withAccount(const api::AccountId& id, QString what, AccountWork work);
  // On the engine thread: runs `fn` on the GUI thread, unless the backend is gone.
  static void toGui(const std::shared_ptr<Relay>& relay, std::function<void(EngineBackend&)> fn);
  void failed(const api::AccountId& id, const QString& what, const core::Error& error);
  // A page of messages older than `anchor` (0: the newest), or newer when `newer`.
  std::uint64_t loadPage(const api::AccountId& id, const std::string& chatJid,
                         std::int64_t anchor, int limit, bool newer);

  EngineThread& engine_;
  std::shared_ptr<Relay> relay_;
  std::uint64_t lastRequest_ = 0;
};

// What a failed command's error says to the person: its detail, or words for its code.
[[nodiscard]] QString failureText(const core::Error& error);

// Registers the core/api types the Backend's signals carry, for queued connections.
void registerBackendTypes();

}  // namespace chorus::app::desktop
