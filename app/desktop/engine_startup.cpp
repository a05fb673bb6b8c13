#include "app/desktop/engine_startup.h"

#include <QDir>
#include <QMessageBox>
#include <QMetaObject>
#include <QPushButton>
#include <algorithm>

#include "app/desktop/passphrase_prompt.h"
#include "app/platform/account_event_text.h"
#include "app/platform/passphrase_secret_store.h"
#include "app/platform/secret_store_choice.h"

namespace chorus::app::desktop {
namespace {

constexpr char kCategory[] = "app";

}  // namespace

EngineStartup::EngineStartup(EngineOptions options, core::Random& random, core::Logger& logger,
                             QWidget* window, QObject* parent)
    : QObject(parent),
      dataDir_(options.dataDir),
      random_(random),
      logger_(logger),
      window_(window),
      engine_(std::make_unique<EngineThread>(std::move(options))) {
  // Every account event, masked, at info level (the main window shows them in a later issue).
  connect(
      engine_->engine(), &Engine::event, this,
      [this](const api::AccountEvent& e) { logger_.info("account", describeAccountEvent(e)); },
      Qt::QueuedConnection);
}

EngineStartup::~EngineStartup() {
  engine_.reset();  // joins the engine thread: no callback reaches `this` afterwards
}

void EngineStartup::start() {
  auto lock = DataFolderLock::acquire(dataDir_);
  if (!lock) {
    logger_.warn(kCategory, lock.error().detail);
    Q_EMIT failed(tr("Chorus cannot start: %1.").arg(QString::fromStdString(lock.error().detail)));
    return;
  }
  lock_ = std::move(*lock);
  if (passphrase_) {
    openWithPassphrase();
  } else {
    chooseKeychain();
  }
}

void EngineStartup::setPassphrase(std::string passphrase) {
  passphrase_ = std::move(passphrase);
}

void EngineStartup::openWithPassphrase() {
  const QString folder = QDir(dataDir_).filePath(QStringLiteral("secrets"));
  std::string passphrase = std::move(*passphrase_);
  passphrase_.reset();
  auto store = PassphraseSecretStore::isInitialized(folder)
                   ? PassphraseSecretStore::unlock(folder, passphrase, random_)
                   : PassphraseSecretStore::create(folder, passphrase, random_);
  std::fill(passphrase.begin(), passphrase.end(), '\0');
  if (!store) {
    Q_EMIT failed(
        store.error().code == core::Errc::Crypto
            ? tr("Chorus cannot start: wrong passphrase for the numbers in %1.").arg(dataDir_)
            : tr("Chorus cannot start: the passphrase store cannot be used (%1).")
                  .arg(QString::fromStdString(core::describe(store.error()))));
    return;
  }
  openWith(std::make_shared<std::unique_ptr<core::store::SecretStore>>(std::move(*store)),
           tr("a passphrase"));
}

void EngineStartup::chooseKeychain() {
  engine_->post([this](Engine&) {
    chooseSecretStore(random_, [this](core::Result<std::unique_ptr<KeychainSecretStore>> r) {
      if (r) {
        auto holder = std::make_shared<std::unique_ptr<core::store::SecretStore>>(std::move(*r));
        openWith(std::move(holder), QStringLiteral("the keychain"));
        return;
      }
      const core::Errc code = r.error().code;
      const QString detail = QString::fromStdString(core::describe(r.error()));
      QMetaObject::invokeMethod(
          this, [this, code, detail] { onNoKeychain(code, detail); }, Qt::QueuedConnection);
    });
  });
}

void EngineStartup::onNoKeychain(core::Errc code, const QString& detail) {
  logger_.info(kCategory, "no usable keychain (" + detail.toStdString() + ")");
  if (code == core::Errc::Cancelled) {
    // The user dismissed the keychain's unlock prompt: their choice what happens next.
    QMessageBox box(QMessageBox::Question, tr("Chorus"),
                    tr("The keychain was not unlocked. Chorus keeps the keys of your numbers in "
                       "the keychain, or else protects them with a passphrase."),
                    QMessageBox::NoButton, window_);
    QPushButton* retry = box.addButton(tr("Try the keychain again"), QMessageBox::AcceptRole);
    QPushButton* passphrase = box.addButton(tr("Use a passphrase"), QMessageBox::ActionRole);
    box.addButton(tr("Quit"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() == retry) {
      chooseKeychain();
      return;
    }
    if (box.clickedButton() != passphrase) {
      Q_EMIT failed(tr("Chorus quits: the keychain stayed locked and no passphrase was chosen."));
      return;
    }
  }
  QString error;
  std::unique_ptr<PassphraseSecretStore> store = askPassphraseStore(
      window_, QDir(dataDir_).filePath(QStringLiteral("secrets")), random_, error);
  if (store == nullptr) {
    Q_EMIT failed(error.isEmpty()
                      ? tr("Chorus quits: without a keychain it needs a passphrase to protect "
                           "the keys of your numbers, and none was given.")
                      : tr("Chorus quits: the passphrase store cannot be used (%1).").arg(error));
    return;
  }
  openWith(std::make_shared<std::unique_ptr<core::store::SecretStore>>(std::move(store)),
           tr("a passphrase"));
}

void EngineStartup::openWith(std::shared_ptr<std::unique_ptr<core::store::SecretStore>> store,
                             const QString& what) {
  logger_.info(kCategory, "data keys protected by " + what.toStdString());
  // Called once, on either thread; lock_ is not touched elsewhere after start().
  auto lock = std::make_shared<std::unique_ptr<DataFolderLock>>(std::move(lock_));
  engine_->post([this, store = std::move(store), lock = std::move(lock)](Engine& engine) {
    engine.open(
        std::move(*store),
        [this](core::Status status) {
          const QString message =
              status ? QString() : QString::fromStdString(core::describe(status.error()));
          QMetaObject::invokeMethod(
              this,
              [this, message] {
                if (message.isEmpty()) {
                  Q_EMIT opened();
                } else {
                  Q_EMIT failed(tr("Chorus cannot open its data: %1").arg(message));
                }
              },
              Qt::QueuedConnection);
        },
        std::move(*lock));
  });
}

}  // namespace chorus::app::desktop
