// The passphrase the user picks when no keychain works (architecture §2 "Secrets": never a
// silent plaintext fallback). Modal dialogs with password echo: a new passphrase is asked for
// twice (until both match and it is not empty), an existing one once (again after a wrong one).
#pragma once

#include <QString>
#include <memory>

#include "app/platform/passphrase_secret_store.h"
#include "core/util/random.h"

class QWidget;

namespace chorus::app::desktop {

// The unlocked (or newly created) store in `folder` (normally <data>/secrets); nullptr when the
// user cancelled. `error` gets a message for failures that are not the user's choice (a
// damaged passphrase.json, an unwritable folder); then nullptr too. `random` must outlive the
// store.
[[nodiscard]] std::unique_ptr<PassphraseSecretStore> askPassphraseStore(QWidget* parent,
                                                                        const QString& folder,
                                                                        core::Random& random,
                                                                        QString& error);

}  // namespace chorus::app::desktop
