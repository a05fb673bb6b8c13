#include "app/desktop/passphrase_prompt.h"

#include <QApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QObject>
#include <string>

namespace chorus::app::desktop {
namespace {

// Asks once; false when cancelled. The text is wiped from `out`'s previous content.
bool ask(QWidget* parent, const QString& label, QString& out) {
  bool ok = false;
  out = QInputDialog::getText(parent, QObject::tr("Chorus passphrase"), label,
                              QLineEdit::Password, QString(), &ok);
  return ok;
}

void wipe(QString& s) {
  s.fill(QChar(u'\0'));
  s.clear();
}

void wipe(std::string& s) {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

// Runs the Argon2id derivation with a busy cursor (it takes up to a second).
template <class F>
auto derive(F&& f) {
  QApplication::setOverrideCursor(Qt::WaitCursor);
  auto result = f();
  QApplication::restoreOverrideCursor();
  return result;
}

}  // namespace

std::unique_ptr<PassphraseSecretStore> askPassphraseStore(QWidget* parent, const QString& folder,
                                                          core::Random& random, QString& error) {
  const bool existing = PassphraseSecretStore::isInitialized(folder);
  QString hint = existing
      ? QObject::tr("No keychain is available. Enter the passphrase that protects your "
                    "numbers:")
      : QObject::tr("No keychain is available, so Chorus protects your numbers with a "
                    "passphrase.\nChoose a passphrase:");
  for (;;) {
    QString first;
    if (!ask(parent, hint, first)) return nullptr;
    if (first.isEmpty()) {
      hint = QObject::tr("The passphrase cannot be empty. Enter it again:");
      continue;
    }
    if (!existing) {
      QString second;
      if (!ask(parent, QObject::tr("Repeat the passphrase:"), second)) {
        wipe(first);
        return nullptr;
      }
      const bool same = first == second;
      wipe(second);
      if (!same) {
        wipe(first);
        hint = QObject::tr("The two passphrases differ. Choose a passphrase:");
        continue;
      }
    }
    std::string passphrase = first.toStdString();
    wipe(first);
    auto store = derive([&] {
      return existing ? PassphraseSecretStore::unlock(folder, passphrase, random)
                      : PassphraseSecretStore::create(folder, passphrase, random);
    });
    wipe(passphrase);
    if (store) return std::move(store).value();
    if (existing && store.error().code == core::Errc::Crypto) {
      hint = QObject::tr("Wrong passphrase. Enter the passphrase that protects your numbers:");
      continue;
    }
    error = QString::fromStdString(core::describe(store.error()));
    return nullptr;
  }
}

}  // namespace chorus::app::desktop
