#include "ui/dialogs/settings_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chorus::ui {

namespace {

QLabel* hint(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setWordWrap(true);
  label->setTextFormat(Qt::PlainText);
  label->setForegroundRole(QPalette::PlaceholderText);
  label->setIndent(24);
  return label;
}

}  // namespace

SettingsDialog::SettingsDialog(Settings& settings, const SessionListModel& sessions,
                               QWidget* parent)
    : QDialog(parent), settings_(settings) {
  setWindowTitle(tr("Chorus settings"));
  setObjectName(QStringLiteral("settingsDialog"));

  auto* general = new QGroupBox(tr("General"), this);
  startMinimised_ = new QCheckBox(tr("Start minimised to the tray"), general);
  startMinimised_->setObjectName(QStringLiteral("startMinimised"));
  startMinimised_->setChecked(settings_.startMinimised());
  privacyMode_ = new QCheckBox(tr("Privacy mode: mask customer numbers on screen"), general);
  privacyMode_->setObjectName(QStringLiteral("privacyMode"));
  privacyMode_->setChecked(settings_.privacyMode());
  auto* generalLayout = new QVBoxLayout(general);
  generalLayout->addWidget(startMinimised_);
  generalLayout->addWidget(privacyMode_);
  generalLayout->addWidget(hint(tr("Numbers show as %1, for screens customers can see.")
                                    .arg(maskNumber(QStringLiteral("+15551234567"))),
                                general));

  auto* notifications = new QGroupBox(tr("Notifications"), this);
  auto* notifyLayout = new QVBoxLayout(notifications);
  for (int row = 0; row < sessions.rowCount(); ++row) {
    const api::AccountSummary* a = sessions.account(row);
    auto* box =
        new QCheckBox(tr("Notify about %1").arg(QString::fromStdString(a->name)), notifications);
    box->setObjectName(QStringLiteral("notify:") + QString::fromStdString(a->id));
    box->setChecked(settings_.notificationsEnabled(a->id));
    notifyLayout->addWidget(box);
    notify_.emplace_back(a->id, box);
  }
  if (notify_.empty()) notifyLayout->addWidget(hint(tr("No numbers yet."), notifications));
  notifyLayout->addWidget(hint(tr("When a number stays disconnected for a minute, or WhatsApp "
                                  "logs it out, restricts it or asks for an update."),
                               notifications));

  auto* sandbox = new QGroupBox(tr("Sandbox"), this);
  sandbox_ = new QLineEdit(settings_.sandboxServer(), sandbox);
  sandbox_->setObjectName(QStringLiteral("sandboxServer"));
  sandbox_->setPlaceholderText(tr("None: Chorus talks to WhatsApp"));
  sandbox_->setClearButtonEnabled(true);
  auto* choose = new QPushButton(tr("Choose…"), sandbox);
  choose->setObjectName(QStringLiteral("chooseSandbox"));
  sandboxError_ = new QLabel(sandbox);
  sandboxError_->setObjectName(QStringLiteral("sandboxError"));
  sandboxError_->setWordWrap(true);
  QPalette errorPalette = sandboxError_->palette();
  errorPalette.setColor(QPalette::WindowText, QColor(0xb3, 0x26, 0x1e));
  sandboxError_->setPalette(errorPalette);
  sandboxError_->hide();
  auto* row = new QHBoxLayout;
  row->addWidget(sandbox_, 1);
  row->addWidget(choose);
  auto* sandboxLayout = new QVBoxLayout(sandbox);
  sandboxLayout->addWidget(
      new QLabel(tr("Practice server (server.json written by chorus-sim):"), sandbox));
  sandboxLayout->addLayout(row);
  sandboxLayout->addWidget(sandboxError_);
  sandboxLayout->addWidget(hint(tr("Rehearse linking and sending with simulated phones; no "
                                   "message reaches WhatsApp."),
                                sandbox));

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(general);
  layout->addWidget(notifications);
  layout->addWidget(sandbox);
  layout->addStretch();
  layout->addWidget(buttons);

  connect(choose, &QPushButton::clicked, this, &SettingsDialog::chooseSandboxServer);
  connect(sandbox_, &QLineEdit::textEdited, sandboxError_, &QWidget::hide);
  connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
}

void SettingsDialog::chooseSandboxServer() {
  const QString start = sandbox_->text().isEmpty() ? QString() : QFileInfo(sandbox_->text()).path();
  const QString file = QFileDialog::getOpenFileName(this, tr("Choose the sandbox server file"),
                                                    start, tr("Server file (*.json)"));
  if (file.isEmpty()) return;
  sandbox_->setText(file);
  sandboxError_->hide();
}

void SettingsDialog::accept() {
  const QString server = sandbox_->text().trimmed();
  if (!server.isEmpty() && !QFileInfo(server).isFile()) {
    sandboxError_->setText(
        tr("There is no file at this path. Choose the server.json that "
           "chorus-sim wrote, or leave it empty."));
    sandboxError_->show();
    sandbox_->setFocus();
    return;
  }
  // Only what changed: each setter announces a change, and windows follow every announcement.
  if (startMinimised_->isChecked() != settings_.startMinimised()) {
    settings_.setStartMinimised(startMinimised_->isChecked());
  }
  if (privacyMode_->isChecked() != settings_.privacyMode()) {
    settings_.setPrivacyMode(privacyMode_->isChecked());
  }
  for (const auto& [id, box] : notify_) {
    if (box->isChecked() != settings_.notificationsEnabled(id)) {
      settings_.setNotificationsEnabled(id, box->isChecked());
    }
  }
  if (server != settings_.sandboxServer()) settings_.setSandboxServer(server);
  QDialog::accept();
}

}  // namespace chorus::ui
