#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QIcon>
#include <QInputDialog>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTextCursor>
#include <QTimer>
#include <algorithm>
#include <variant>

#include "core/api/version.h"
#include "ui/backend.h"
#include "ui/chat_list_model.h"
#include "ui/conversions.h"
#include "ui/message_list_model.h"
#include "ui/session_list_model.h"
#include "ui/settings.h"
#include "ui/window/chat_delegate.h"
#include "ui/window/chat_panel.h"
#include "ui/window/composer.h"
#include "ui/window/conversation_panel.h"
#include "ui/window/conversation_view.h"
#include "ui/window/number_panel.h"

namespace chorus::ui {

namespace {

constexpr int kCountdownMs = 1000;
constexpr int kStatusMessageMs = 8000;

// The engine of the compatibility constructor: there is none, nothing happens.
class NullBackend final : public Backend {
 public:
  void addAccount(const QString&) override {}
  void renameAccount(const api::AccountId&, const QString&) override {}
  void removeAccount(const api::AccountId&) override {}
  void reconnect(const api::AccountId&) override {}
  void linkWithQr(const api::AccountId&) override {}
  void linkWithPhone(const api::AccountId&, const QString&) override {}
  void loadChats(const api::AccountId&) override {}
  std::uint64_t loadMessages(const api::AccountId&, const std::string&, std::int64_t,
                             int) override {
    return 0;
  }
  std::uint64_t loadNewerMessages(const api::AccountId&, const std::string&, std::int64_t,
                                  int) override {
    return 0;
  }
  void sendText(const api::AccountId&, const std::string&, const QString&) override {}
  void markChatRead(const api::AccountId&, const std::string&) override {}
  void retryMessage(const api::AccountId&, const std::string&, const std::string&) override {}
};

}  // namespace

MainWindow::MainWindow(Backend& backend, Settings& settings, QWidget* parent)
    : QMainWindow(parent), backend_(backend), settings_(settings) {
  build();
}

MainWindow::MainWindow(QWidget* parent)
    : MainWindow(std::make_unique<NullBackend>(), std::make_unique<Settings>(), parent) {}

MainWindow::MainWindow(std::unique_ptr<Backend> backend, std::unique_ptr<Settings> settings,
                       QWidget* parent)
    : QMainWindow(parent),
      ownBackend_(std::move(backend)),
      ownSettings_(std::move(settings)),
      backend_(*ownBackend_),
      settings_(*ownSettings_) {
  build();
}

MainWindow::~MainWindow() {
  // The views go before the models and the backend they point at.
  delete takeCentralWidget();
}

void MainWindow::build() {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowIcon(QIcon(QStringLiteral(":/chorus/icons/chorus.svg")));
  resize(1100, 700);

  sessions_ = new SessionListModel(backend_, {}, this);
  chats_ = new ChatListModel(backend_, this);
  messages_ = new MessageListModel(backend_, this);

  numbers_ = new NumberPanel(*sessions_, this);
  chatPanel_ = new ChatPanel(
      *chats_, settings_, [this](const QString& id) { return accountName(id); }, this);
  conversation_ = new ConversationPanel(*messages_, settings_, this);

  auto* splitter = splitter_ = new QSplitter(Qt::Horizontal, this);
  splitter->setObjectName(QStringLiteral("mainSplitter"));
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(numbers_);
  splitter->addWidget(chatPanel_);
  splitter->addWidget(conversation_);
  numbers_->setMinimumWidth(220);
  chatPanel_->setMinimumWidth(260);
  conversation_->setMinimumWidth(320);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 0);
  splitter->setStretchFactor(2, 1);
  splitter->setSizes({270, 330, 500});
  setCentralWidget(splitter);
  // Where the person left the window and its columns last time (nothing the first time, or
  // when the saved state no longer fits: Qt then keeps the defaults above).
  if (const QByteArray columns = settings_.columnSizes(); !columns.isEmpty())
    splitter->restoreState(columns);
  if (const QByteArray geometry = settings_.windowGeometry(); !geometry.isEmpty())
    restoreGeometry(geometry);

  createActions();
  createMenus();
  numbers_->setActions(addAction_, {reconnectAction_, linkAction_}, {renameAction_, removeAction_});

  setTabOrder(numbers_->view(), chatPanel_->searchField());
  setTabOrder(chatPanel_->searchField(), chatPanel_->view());
  setTabOrder(chatPanel_->view(), conversation_->view());
  setTabOrder(conversation_->view(), conversation_->composer());
  setTabOrder(conversation_->composer(), conversation_->sendButton());

  connect(numbers_, &NumberPanel::shownAccountsChanged, this, &MainWindow::onShownAccountsChanged);
  connect(numbers_, &NumberPanel::selectedNumberChanged, this, &MainWindow::updateActions);
  connect(chatPanel_, &ChatPanel::currentChatChanged, this, &MainWindow::onChatChosen);
  connect(chatPanel_->view(), &QListView::activated, this,
          [this] { conversation_->composer()->setFocus(Qt::OtherFocusReason); });
  // The open chat's row comes back after its list reloads (a number added under "All").
  connect(chats_, &QAbstractItemModel::rowsInserted, this, [this] {
    if (chatPanel_->currentChat().isValid() || messages_->chatJid().empty()) return;
    const int row = chats_->rowOf(messages_->account(), messages_->chatJid());
    if (row >= 0) chatPanel_->selectChat(row);
  });
  connect(chats_, &QAbstractItemModel::dataChanged, this, [this] { refreshConversationHeader(); });
  connect(conversation_, &ConversationPanel::sendRequested, this, [this](const QString& text) {
    if (!messages_->chatJid().empty()) {
      backend_.sendText(messages_->account(), messages_->chatJid(), text);
    }
  });
  connect(conversation_->view(), &ConversationView::retryRequested, this, [this](int row) {
    const api::MessageView* message = messages_->message(row);
    if (message == nullptr || message->status != api::MessageStatus::Failed) return;
    backend_.retryMessage(messages_->account(), messages_->chatJid(), message->id);
  });
  connect(&backend_, &Backend::accountEvent, this, [this](const api::AccountEvent& event) {
    const auto* added = std::get_if<api::MessageAdded>(&event);
    if (added != nullptr && added->id == messages_->account() &&
        added->chatJid == messages_->chatJid() &&
        added->message.direction == api::MessageDirection::Incoming) {
      markOpenChatReadIfSeen();
    }
  });
  connect(&backend_, &Backend::commandFailed, this,
          [this](const api::AccountId& id, const QString& what, const QString& why) {
            const QString name = accountName(qs(id));
            statusBar()->showMessage(name.isEmpty()
                                         ? tr("Could not %1: %2").arg(what, why)
                                         : tr("%1: could not %2: %3").arg(name, what, why),
                                     kStatusMessageMs);
          });
  connect(sessions_, &SessionListModel::totalUnreadChanged, this, &MainWindow::updateTitle);
  connect(&settings_, &Settings::changed, this, [this] {
    chatPanel_->view()->viewport()->update();
    conversation_->view()->viewport()->update();
    refreshConversationHeader();
  });

  countdown_ = new QTimer(this);
  countdown_->setInterval(kCountdownMs);
  connect(countdown_, &QTimer::timeout, sessions_, &SessionListModel::refreshCountdowns);
  countdown_->start();

  statusBar()->setSizeGripEnabled(true);
  updateTitle();
  updateActions();
  onShownAccountsChanged();
}

void MainWindow::createActions() {
  addAction_ = new QAction(tr("Add number…"), this);
  addAction_->setObjectName(QStringLiteral("addNumberAction"));
  addAction_->setShortcut(QKeySequence::New);
  addAction_->setToolTip(tr("Add a WhatsApp number and link it (Ctrl+N)"));
  connect(addAction_, &QAction::triggered, this, &MainWindow::addNumberRequested);

  reconnectAction_ = new QAction(tr("Reconnect"), this);
  reconnectAction_->setObjectName(QStringLiteral("reconnectAction"));
  reconnectAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  reconnectAction_->setToolTip(tr("Connect this number now (Ctrl+R)"));
  connect(reconnectAction_, &QAction::triggered, this, [this] {
    const api::AccountId id = numbers_->selectedAccount();
    if (!id.empty()) backend_.reconnect(id);
  });

  linkAction_ = new QAction(tr("Link again…"), this);
  linkAction_->setObjectName(QStringLiteral("linkAction"));
  linkAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  connect(linkAction_, &QAction::triggered, this, [this] {
    const api::AccountId id = numbers_->selectedAccount();
    if (!id.empty()) Q_EMIT linkRequested(id);
  });

  renameAction_ = new QAction(tr("Rename…"), this);
  renameAction_->setObjectName(QStringLiteral("renameAction"));
  renameAction_->setShortcut(QKeySequence(Qt::Key_F2));
  renameAction_->setShortcutContext(Qt::WindowShortcut);
  connect(renameAction_, &QAction::triggered, this, &MainWindow::renameSelected);

  removeAction_ = new QAction(tr("Remove…"), this);
  removeAction_->setObjectName(QStringLiteral("removeAction"));
  connect(removeAction_, &QAction::triggered, this, &MainWindow::removeSelected);

  settingsAction_ = new QAction(tr("Settings…"), this);
  settingsAction_->setObjectName(QStringLiteral("settingsAction"));
  settingsAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
  settingsAction_->setMenuRole(QAction::PreferencesRole);
  connect(settingsAction_, &QAction::triggered, this, &MainWindow::settingsRequested);

  findAction_ = new QAction(tr("Find chat"), this);
  findAction_->setObjectName(QStringLiteral("findAction"));
  findAction_->setShortcut(QKeySequence::Find);
  connect(findAction_, &QAction::triggered, this, [this] { chatPanel_->focusSearch(); });

  quitAction_ = new QAction(tr("Quit"), this);
  quitAction_->setShortcut(QKeySequence::Quit);
  quitAction_->setMenuRole(QAction::QuitRole);
  connect(quitAction_, &QAction::triggered, qApp, &QApplication::quit, Qt::QueuedConnection);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&Chorus"));
  file->addAction(addAction_);
  file->addAction(settingsAction_);
  file->addSeparator();
  file->addAction(quitAction_);
  QMenu* number = menuBar()->addMenu(tr("&Number"));
  number->addActions({reconnectAction_, linkAction_});
  number->addSeparator();
  number->addActions({renameAction_, removeAction_});
  QMenu* go = menuBar()->addMenu(tr("&Go"));
  go->addAction(findAction_);
  const auto focusAction = [&](const QString& text, QKeySequence key, QWidget* target) {
    QAction* action = go->addAction(text);
    action->setShortcut(key);
    connect(action, &QAction::triggered, target,
            [target] { target->setFocus(Qt::ShortcutFocusReason); });
  };
  focusAction(tr("Numbers"), QKeySequence(Qt::CTRL | Qt::Key_1), numbers_->view());
  focusAction(tr("Chats"), QKeySequence(Qt::CTRL | Qt::Key_2), chatPanel_->view());
  focusAction(tr("Messages"), QKeySequence(Qt::CTRL | Qt::Key_3), conversation_->view());
  focusAction(tr("Write a message"), QKeySequence(Qt::CTRL | Qt::Key_4), conversation_->composer());
}

void MainWindow::updateActions() {
  const api::AccountId id = numbers_->selectedAccount();
  const api::AccountSummary* account = sessions_->account(sessions_->rowOf(id));
  const bool chosen = account != nullptr;
  using State = api::ConnectionState;
  const State state = chosen ? account->status.state : State::Disconnected;
  const bool linked = state != State::Unlinked && state != State::LoggedOut;
  reconnectAction_->setEnabled(chosen && linked && state != State::Ready &&
                               state != State::Outdated && state != State::Connecting);
  linkAction_->setEnabled(chosen && state != State::Ready && state != State::Connecting &&
                          state != State::Outdated);
  linkAction_->setText(state == State::Unlinked ? tr("Link…") : tr("Link again…"));
  linkAction_->setToolTip(state == State::Unlinked ? tr("Link this number by QR code or code")
                                                   : tr("Link this number again (Ctrl+L)"));
  renameAction_->setEnabled(chosen);
  removeAction_->setEnabled(chosen);
}

void MainWindow::updateTitle() {
  const QString app = qs(std::string(api::kAppName));
  const long long unread = sessions_->totalUnread();
  setWindowTitle(unread > 0 ? tr("%1 (%2 unread)").arg(app).arg(unread) : app);
}

QString MainWindow::accountName(const QString& accountId) const {
  const api::AccountSummary* account =
      sessions_->account(sessions_->rowOf(accountId.toStdString()));
  return account == nullptr ? QString() : qs(account->name);
}

void MainWindow::onShownAccountsChanged() {
  const std::vector<api::AccountId> shown = numbers_->shownAccounts();
  chatPanel_->setShowAccounts(numbers_->selectedAccount().empty() && shown.size() > 1);
  chats_->showAccounts(shown);
  const bool keep = std::find(shown.begin(), shown.end(), messages_->account()) != shown.end();
  if (!keep && !messages_->chatJid().empty()) messages_->close();
  if (messages_->chatJid().empty()) {
    conversation_->showEmpty(sessions_->rowCount() == 0
                                 ? tr("No numbers linked yet.\nAdd a number (Ctrl+N), then link it "
                                      "from WhatsApp on the phone: Linked devices → Link a device.")
                                 : tr("Choose a chat to read and answer it."));
  }
}

void MainWindow::onChatChosen(const QModelIndex& chatIndex) {
  if (!chatIndex.isValid()) return;  // the list reloads; the open chat stays open
  const api::AccountId account =
      chatIndex.data(ChatListModel::AccountIdRole).toString().toStdString();
  const std::string jid = chatIndex.data(ChatListModel::ChatJidRole).toString().toStdString();
  if (account != messages_->account() || jid != messages_->chatJid()) {
    // What was typed in the chat we leave waits for us there.
    Composer* composer = conversation_->composer();
    if (!messages_->chatJid().empty()) {
      const auto left = std::make_pair(messages_->account(), messages_->chatJid());
      const QString typed = composer->toPlainText();
      if (typed.trimmed().isEmpty()) {
        drafts_.erase(left);
      } else {
        drafts_[left] = typed;
      }
    }
    messages_->open(account, jid);
    const auto draft = drafts_.find(std::make_pair(account, jid));
    if (draft == drafts_.end()) {
      composer->clear();
    } else {
      composer->setPlainText(draft->second);
      composer->moveCursor(QTextCursor::End);
    }
  }
  refreshConversationHeader();
  markOpenChatReadIfSeen();
}

void MainWindow::refreshConversationHeader() {
  if (messages_->chatJid().empty()) return;
  const int row = chats_->rowOf(messages_->account(), messages_->chatJid());
  if (row < 0) return;
  const QModelIndex chat = chats_->index(row);
  const bool group = chat.data(ChatListModel::IsGroupRole).toBool();
  const QString title = chatTitle(chat, settings_);
  QStringList parts;
  if (group) {
    parts << tr("Group");
  } else {
    const QString jid = qs(messages_->chatJid());
    const QString number =
        settings_.displayNumber(QStringLiteral("+") + jid.left(jid.indexOf(QLatin1Char('@'))));
    if (number != title) parts << number;
  }
  const QString on = accountName(qs(messages_->account()));
  if (!on.isEmpty()) parts << tr("on %1").arg(on);
  conversation_->showChat(title, parts.join(QStringLiteral(" · ")), group);
}

void MainWindow::markOpenChatReadIfSeen() {
  if (messages_->chatJid().empty() || !conversation_->isShowingChat()) return;
  if (!isVisible() || isMinimized() || !isActiveWindow()) return;
  backend_.markChatRead(messages_->account(), messages_->chatJid());
}

void MainWindow::renameSelected() {
  const api::AccountId id = numbers_->selectedAccount();
  const QString current = accountName(qs(id));
  if (id.empty()) return;
  auto* dialog = new QInputDialog(this);
  dialog->setObjectName(QStringLiteral("renameDialog"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Rename number"));
  dialog->setLabelText(tr("New name for “%1”:").arg(current));
  dialog->setTextValue(current);
  connect(dialog, &QInputDialog::textValueSelected, this, [this, id, current](const QString& text) {
    const QString name = text.trimmed();
    if (!name.isEmpty() && name != current) backend_.renameAccount(id, name);
  });
  dialog->open();
}

void MainWindow::removeSelected() {
  const api::AccountId id = numbers_->selectedAccount();
  if (id.empty()) return;
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Remove number"),
                              tr("Remove “%1” from Chorus?").arg(accountName(qs(id))),
                              QMessageBox::Cancel, this);
  box->setObjectName(QStringLiteral("removeDialog"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setInformativeText(
      tr("This computer forgets the number, its chats and its messages. "
         "The phone keeps them; link it again to use it here."));
  QPushButton* remove = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
  remove->setObjectName(QStringLiteral("confirmRemove"));
  box->setDefaultButton(QMessageBox::Cancel);
  connect(box, &QMessageBox::buttonClicked, this, [this, id, remove](QAbstractButton* clicked) {
    if (clicked == remove) backend_.removeAccount(id);
  });
  box->open();
}

void MainWindow::rememberLayout() {
  settings_.setWindowGeometry(saveGeometry());
  if (splitter_ != nullptr) settings_.setColumnSizes(splitter_->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  rememberLayout();
  if (keepRunningInTray_) {
    hide();
    event->ignore();
    return;
  }
  QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent* event) {
  QMainWindow::changeEvent(event);
  if (event->type() != QEvent::ActivationChange || !isActiveWindow()) return;
  const int row = chats_->rowOf(messages_->account(), messages_->chatJid());
  if (row >= 0 && chats_->data(chats_->index(row), ChatListModel::UnreadRole).toInt() > 0) {
    markOpenChatReadIfSeen();
  }
}

}  // namespace chorus::ui
