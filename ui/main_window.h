// The main window: the numbers (with "All numbers") on the left, the chats of the chosen
// numbers in the middle with a search, the open conversation on the right. It speaks to the
// engine only through ui::Backend; linking, adding a number's name and the settings dialog are
// the application's (signals), everything else is done here: reconnect, rename, remove, send,
// retry, and read receipts while the conversation is in sight.
#pragma once

#include <QMainWindow>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "core/api/account_events.h"

class QAction;
class QSplitter;
class QTimer;

namespace chorus::ui {

class Backend;
class ChatListModel;
class ChatPanel;
class ConversationPanel;
class MessageListModel;
class NumberPanel;
class SessionListModel;
class Settings;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  MainWindow(Backend& backend, Settings& settings, QWidget* parent = nullptr);
  // Compatibility until app/desktop passes the engine: an empty window with no engine behind it.
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // The numbers as the window shows them; the tray uses the same model.
  [[nodiscard]] SessionListModel& sessions() { return *sessions_; }
  [[nodiscard]] ChatListModel& chats() { return *chats_; }
  [[nodiscard]] MessageListModel& messages() { return *messages_; }
  [[nodiscard]] NumberPanel* numberPanel() const { return numbers_; }
  [[nodiscard]] ChatPanel* chatPanel() const { return chatPanel_; }
  [[nodiscard]] ConversationPanel* conversationPanel() const { return conversation_; }

  // When on, closing the window only hides it (the tray brings it back; Quit quits).
  void setKeepRunningInTray(bool on) { keepRunningInTray_ = on; }
  [[nodiscard]] bool keepRunningInTray() const { return keepRunningInTray_; }

  // Saves where the window is and how its columns are split (Settings), for the next start.
  // Done on close; the application also calls it when it quits from the tray.
  void rememberLayout();

 Q_SIGNALS:
  // "Link" / "Link again": the application opens its link dialog for this number.
  void linkRequested(const chorus::api::AccountId& id);
  // "Add number": the application asks for a name, adds it and opens the link dialog.
  void addNumberRequested();
  void settingsRequested();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  MainWindow(std::unique_ptr<Backend> backend, std::unique_ptr<Settings> settings, QWidget* parent);
  void build();
  void createActions();
  void createMenus();
  void updateActions();
  void updateTitle();
  void onShownAccountsChanged();
  void onChatChosen(const QModelIndex& chatIndex);
  void refreshConversationHeader();
  void markOpenChatReadIfSeen();
  void renameSelected();
  void removeSelected();
  [[nodiscard]] QString accountName(const QString& accountId) const;

  std::unique_ptr<Backend> ownBackend_;    // only for the compatibility constructor
  std::unique_ptr<Settings> ownSettings_;  // likewise
  Backend& backend_;
  Settings& settings_;
  SessionListModel* sessions_ = nullptr;
  ChatListModel* chats_ = nullptr;
  MessageListModel* messages_ = nullptr;
  NumberPanel* numbers_ = nullptr;
  ChatPanel* chatPanel_ = nullptr;
  ConversationPanel* conversation_ = nullptr;
  QSplitter* splitter_ = nullptr;
  QTimer* countdown_ = nullptr;
  QAction* addAction_ = nullptr;
  QAction* reconnectAction_ = nullptr;
  QAction* linkAction_ = nullptr;
  QAction* renameAction_ = nullptr;
  QAction* removeAction_ = nullptr;
  QAction* settingsAction_ = nullptr;
  QAction* findAction_ = nullptr;
  QAction* quitAction_ = nullptr;
  bool keepRunningInTray_ = false;
  // What was typed but not sent in chats other than the open one, by (account, chat JID).
  // Memory only: a draft is message text, which never goes to disk unencrypted.
  std::map<std::pair<api::AccountId, std::string>, QString> drafts_;
};

}  // namespace chorus::ui
