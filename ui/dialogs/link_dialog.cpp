#include "ui/dialogs/link_dialog.h"

#include <QDialogButtonBox>
#include <QFont>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <chrono>
#include <variant>

#include "ui/conversions.h"
#include "ui/dialogs/phone_number.h"
#include "ui/dialogs/qr_code_widget.h"
#include "ui/status_text.h"

namespace chorus::ui {

namespace {

constexpr std::chrono::milliseconds kTick{1000};
constexpr int kTabsPage = 0;
constexpr int kExpiredPage = 1;
constexpr int kQrTab = 0;
constexpr int kPhoneTab = 1;
constexpr int kLinkCodeLength = 8;

// "abcdefgh" or "ABCD-EFGH" → "ABCD-EFGH"; anything else as it came.
QString formatLinkCode(const std::string& raw) {
  QString code = qs(raw).trimmed().toUpper();
  if (code.size() == kLinkCodeLength && !code.contains(u'-'))
    code.insert(kLinkCodeLength / 2, u'-');
  return code;
}

QLabel* wrappedLabel(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setWordWrap(true);
  label->setTextFormat(Qt::PlainText);
  return label;
}

}  // namespace

LinkDialog::LinkDialog(Backend& backend, api::AccountId id, QString numberName, QWidget* parent)
    : QDialog(parent),
      backend_(backend),
      id_(std::move(id)),
      numberName_(std::move(numberName)),
      now_(systemNow),
      tick_(new QTimer(this)) {
  setWindowTitle(tr("Link %1").arg(numberName_));
  setObjectName(QStringLiteral("linkDialog"));

  auto* heading = new QLabel(tr("Link “%1” to its WhatsApp").arg(numberName_), this);
  heading->setTextFormat(Qt::PlainText);
  QFont headingFont = heading->font();
  headingFont.setPointSizeF(headingFont.pointSizeF() * 1.3);
  headingFont.setBold(true);
  heading->setFont(headingFont);

  tabs_ = new QTabWidget(this);
  tabs_->addTab(buildQrTab(), tr("Scan a QR code"));
  tabs_->addTab(buildPhoneTab(), tr("Link with phone number"));

  auto* expired = new QWidget(this);
  auto* expiredLayout = new QVBoxLayout(expired);
  auto* expiredTitle = new QLabel(tr("The code expired"), expired);
  expiredTitle->setObjectName(QStringLiteral("expiredTitle"));
  expiredTitle->setFont(headingFont);
  auto* tryAgain = new QPushButton(tr("Try again"), expired);
  tryAgain->setObjectName(QStringLiteral("tryAgain"));
  expiredLayout->addStretch();
  expiredLayout->addWidget(expiredTitle, 0, Qt::AlignHCenter);
  auto* expiredText =
      wrappedLabel(tr("Nobody linked the phone in time, so WhatsApp stopped offering codes. "
                      "Have the phone ready, then ask for a new code."),
                   expired);
  expiredText->setAlignment(Qt::AlignHCenter);
  expiredLayout->addWidget(expiredText);
  expiredLayout->addSpacing(8);
  expiredLayout->addWidget(tryAgain, 0, Qt::AlignHCenter);
  expiredLayout->addStretch();

  pages_ = new QStackedWidget(this);
  pages_->insertWidget(kTabsPage, tabs_);
  pages_->insertWidget(kExpiredPage, expired);

  note_ = wrappedLabel({}, this);
  note_->setObjectName(QStringLiteral("note"));
  note_->hide();

  auto* help = wrappedLabel(
      tr("Good to know: a WhatsApp number can have at most 4 linked devices besides the phone. "
         "The phone must come online at least once every 14 days, or WhatsApp logs its linked "
         "devices out."),
      this);
  help->setObjectName(QStringLiteral("limitsHelp"));
  help->setForegroundRole(QPalette::PlaceholderText);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading);
  layout->addWidget(pages_, 1);
  layout->addWidget(note_);
  layout->addWidget(help);
  layout->addWidget(buttons);

  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(tryAgain, &QPushButton::clicked, this, &LinkDialog::tryAgain);
  connect(tabs_, &QTabWidget::currentChanged, this, &LinkDialog::onTabChanged);
  connect(tick_, &QTimer::timeout, this, &LinkDialog::updateCountdown);
  connect(&backend_, &Backend::accountEvent, this, &LinkDialog::onEvent);
  connect(&backend_, &Backend::commandFailed, this, &LinkDialog::onCommandFailed);
  tick_->setInterval(kTick);
}

LinkDialog::~LinkDialog() = default;

QWidget* LinkDialog::buildQrTab() {
  auto* tab = new QWidget(this);
  qr_ = new QrCodeWidget(tab);
  qr_->setObjectName(QStringLiteral("qrCode"));
  countdown_ = new QLabel(tab);
  countdown_->setObjectName(QStringLiteral("countdown"));
  countdown_->setAlignment(Qt::AlignHCenter);

  auto* stepsTitle = new QLabel(tr("On the phone of this number:"), tab);
  QFont titleFont = stepsTitle->font();
  titleFont.setBold(true);
  stepsTitle->setFont(titleFont);
  auto* steps = wrappedLabel(tr("1. Open WhatsApp.\n\n"
                                "2. Open Linked devices: in Settings on iPhone, in the ⋮ menu "
                                "on Android.\n\n"
                                "3. Tap Link a device and point the phone at this code."),
                             tab);
  steps->setObjectName(QStringLiteral("qrSteps"));
  auto* stepsColumn = new QVBoxLayout;
  stepsColumn->addStretch();
  stepsColumn->addWidget(stepsTitle);
  stepsColumn->addSpacing(6);
  stepsColumn->addWidget(steps);
  stepsColumn->addStretch();

  auto* codeColumn = new QVBoxLayout;
  codeColumn->addWidget(qr_, 1);
  codeColumn->addWidget(countdown_);
  auto* layout = new QHBoxLayout(tab);
  layout->addLayout(codeColumn, 3);
  layout->addSpacing(12);
  layout->addLayout(stepsColumn, 2);
  return tab;
}

QWidget* LinkDialog::buildPhoneTab() {
  auto* tab = new QWidget(this);
  auto* intro = wrappedLabel(tr("No camera at hand? Type the number of the phone with its "
                                "country code and Chorus shows a code to type on the phone."),
                             tab);
  phoneEdit_ = new QLineEdit(tab);
  phoneEdit_->setObjectName(QStringLiteral("phoneNumber"));
  phoneEdit_->setPlaceholderText(tr("+44 7700 900123"));
  phoneEdit_->setInputMethodHints(Qt::ImhDialableCharactersOnly);
  phoneEdit_->setAccessibleName(tr("Phone number with country code"));
  getCode_ = new QPushButton(tr("Get code"), tab);
  getCode_->setObjectName(QStringLiteral("getCode"));
  phoneError_ = wrappedLabel({}, tab);
  phoneError_->setObjectName(QStringLiteral("phoneError"));
  QPalette errorPalette = phoneError_->palette();
  errorPalette.setColor(QPalette::WindowText, QColor(0xb3, 0x26, 0x1e));
  phoneError_->setPalette(errorPalette);
  phoneError_->hide();

  linkCodeBox_ = new QWidget(tab);
  linkCodeBox_->setObjectName(QStringLiteral("linkCodeBox"));
  linkCodeLabel_ = new QLabel(linkCodeBox_);
  linkCodeLabel_->setObjectName(QStringLiteral("linkCode"));
  linkCodeLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  linkCodeLabel_->setAlignment(Qt::AlignHCenter);
  QFont codeFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  codeFont.setPointSizeF(codeFont.pointSizeF() * 2.4);
  codeFont.setBold(true);
  codeFont.setLetterSpacing(QFont::PercentageSpacing, 115);
  linkCodeLabel_->setFont(codeFont);
  auto* codeSteps = wrappedLabel(tr("On the phone: WhatsApp → Linked devices → Link a device → "
                                    "Link with phone number instead, then type this code."),
                                 linkCodeBox_);
  auto* codeLayout = new QVBoxLayout(linkCodeBox_);
  codeLayout->setContentsMargins(0, 0, 0, 0);
  codeLayout->addWidget(linkCodeLabel_);
  codeLayout->addWidget(codeSteps);
  linkCodeBox_->hide();

  auto* row = new QHBoxLayout;
  row->addWidget(phoneEdit_, 1);
  row->addWidget(getCode_);
  auto* layout = new QVBoxLayout(tab);
  layout->addWidget(intro);
  layout->addLayout(row);
  layout->addWidget(phoneError_);
  layout->addSpacing(12);
  layout->addWidget(linkCodeBox_);
  layout->addStretch();

  connect(getCode_, &QPushButton::clicked, this, &LinkDialog::requestPhoneCode);
  connect(phoneEdit_, &QLineEdit::returnPressed, this, &LinkDialog::requestPhoneCode);
  connect(phoneEdit_, &QLineEdit::textEdited, phoneError_, &QWidget::hide);
  return tab;
}

void LinkDialog::setClock(Now now) {
  now_ = now ? std::move(now) : Now(systemNow);
  updateCountdown();
}

QString LinkDialog::currentQrCode() const {
  return qr_->code();
}

QString LinkDialog::currentLinkCode() const {
  return linkCode_;
}

void LinkDialog::showEvent(QShowEvent* event) {
  QDialog::showEvent(event);
  if (started_) return;
  started_ = true;
  requestQr();
}

void LinkDialog::done(int result) {
  tick_->stop();
  // The codes are secrets for the screen: none stays in memory once the dialog is closed.
  qr_->clear();
  linkCode_.clear();
  linkCodeLabel_->clear();
  QDialog::done(result);
}

void LinkDialog::requestQr() {
  method_ = Method::Qr;
  showNote({}, false);
  backend_.linkWithQr(id_);
  updateCountdown();
}

void LinkDialog::requestPhoneCode() {
  const PhoneNumberCheck check = checkPhoneNumber(phoneEdit_->text());
  if (!check.isValid()) {
    phoneError_->setText(check.error);
    phoneError_->show();
    phoneEdit_->setFocus();
    return;
  }
  phoneError_->hide();
  method_ = Method::Phone;
  phoneDigits_ = check.digits;
  linkCode_.clear();
  linkCodeLabel_->setText(tr("Asking WhatsApp for a code…"));
  linkCodeBox_->show();
  showNote({}, false);
  backend_.linkWithPhone(id_, phoneDigits_);
}

void LinkDialog::tryAgain() {
  codeShown_ = false;
  pages_->setCurrentIndex(kTabsPage);
  if (method_ == Method::Phone && !phoneDigits_.isEmpty()) {
    tabs_->setCurrentIndex(kPhoneTab);
    requestPhoneCode();
  } else {
    tabs_->setCurrentIndex(kQrTab);
    qr_->clear();
    requestQr();
  }
}

void LinkDialog::onTabChanged(int index) {
  // Back on the QR tab after asking for a phone code: the engine is pairing by code now, so
  // ask for QR codes again rather than showing a stale one.
  if (index == kQrTab && started_ && method_ == Method::Phone) {
    qr_->clear();
    requestQr();
  }
}

void LinkDialog::onEvent(const api::AccountEvent& event) {
  std::visit(
      [this](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, api::AccountsChanged>) {
          return;
        } else {
          if (e.id != id_) return;
          if constexpr (std::is_same_v<E, api::QrCodeShown>) {
            const QString code = qs(e.code);
            codeShown_ = true;
            qrExpiresAt_ = e.expiresAt;
            pages_->setCurrentIndex(kTabsPage);
            const bool changed = code != qr_->code();
            qr_->setCode(code);
            updateCountdown();
            tick_->start();
            if (changed) Q_EMIT qrCodeChanged(code);
          } else if constexpr (std::is_same_v<E, api::LinkCodeShown>) {
            codeShown_ = true;
            linkCode_ = formatLinkCode(e.code);
            linkCodeLabel_->setText(linkCode_);
            linkCodeBox_->show();
            pages_->setCurrentIndex(kTabsPage);
            tabs_->setCurrentIndex(kPhoneTab);
          } else if constexpr (std::is_same_v<E, api::AccountLinked>) {
            accept();
          } else if constexpr (std::is_same_v<E, api::AccountStatusEvent>) {
            onStatus(e.change);
          }
        }
      },
      event);
}

void LinkDialog::onStatus(const api::ConnectionStatusChanged& change) {
  const api::ConnectionState state = change.status.state;
  const bool afterPairing = codeShown_ || change.previous == api::ConnectionState::Pairing;
  if (state == api::ConnectionState::Ready) {
    accept();
  } else if (state == api::ConnectionState::Unlinked && afterPairing) {
    showExpired();
  } else if (state == api::ConnectionState::Connecting &&
             change.previous == api::ConnectionState::Pairing) {
    tick_->stop();
    showNote(tr("The phone linked this computer. Connecting…"), false);
  } else if (api::needsAction(state)) {
    tick_->stop();
    showNote(statusText(change.status, now_()) + QStringLiteral("\n") + actionText(change.status),
             true);
  }
}

void LinkDialog::onCommandFailed(const api::AccountId& id, const QString& /*what*/,
                                 const QString& why) {
  if (id != id_) return;
  if (method_ == Method::Phone) {
    phoneError_->setText(why);
    phoneError_->show();
    linkCodeBox_->hide();
  } else {
    showNote(why, true);
  }
}

void LinkDialog::showExpired() {
  tick_->stop();
  codeShown_ = false;
  qr_->clear();
  linkCode_.clear();
  linkCodeBox_->hide();
  showNote({}, false);
  pages_->setCurrentIndex(kExpiredPage);
}

void LinkDialog::showNote(const QString& text, bool problem) {
  note_->setText(text);
  QPalette palette = this->palette();
  if (problem) palette.setColor(QPalette::WindowText, QColor(0xb3, 0x26, 0x1e));
  note_->setPalette(palette);
  note_->setVisible(!text.isEmpty());
}

void LinkDialog::updateCountdown() {
  if (qr_->code().isEmpty()) {
    countdown_->setText(method_ == Method::Qr ? tr("The code appears here in a moment.")
                                              : QString());
    return;
  }
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(qrExpiresAt_ - now_()).count();
  if (left <= 0) {
    countdown_->setText(tr("Waiting for a new code…"));
    return;
  }
  const int seconds = static_cast<int>((left + 999) / 1000);
  countdown_->setText(tr("A new code comes in %n s", nullptr, seconds));
}

}  // namespace chorus::ui
