// Linking a number (architecture §3, pairing): a QR code to scan, renewed each time the engine
// rotates the ref, with a countdown to the next one; or a phone-number tab that asks for the
// 8-character code to type on the phone. Plain-language help says where to find "Link a device"
// and the limits WhatsApp sets. The dialog closes by itself when the number is linked, and
// offers "Try again" when the codes ran out before anyone scanned.
//
// QR strings and link codes are secrets for the screen: never logged, dropped when closed.
#pragma once

#include <QDialog>
#include <QString>
#include <functional>

#include "core/api/account_events.h"
#include "ui/backend.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace chorus::ui {

class QrCodeWidget;

class LinkDialog : public QDialog {
  Q_OBJECT
  Q_PROPERTY(QString qrCode READ currentQrCode NOTIFY qrCodeChanged)

 public:
  using Now = std::function<api::TimePoint()>;

  LinkDialog(Backend& backend, api::AccountId id, QString numberName, QWidget* parent = nullptr);
  ~LinkDialog() override;

  // Tests: the clock the countdown reads (default: the system clock).
  void setClock(Now now);

  [[nodiscard]] QString currentQrCode() const;    // empty until the first QrCodeShown
  [[nodiscard]] QString currentLinkCode() const;  // "ABCD-EFGH" once shown, else empty

 Q_SIGNALS:
  void qrCodeChanged(const QString& code);

 protected:
  void showEvent(QShowEvent* event) override;
  void done(int result) override;

 private:
  enum class Method { Qr, Phone };

  QWidget* buildQrTab();
  QWidget* buildPhoneTab();
  void onEvent(const api::AccountEvent& event);
  void onStatus(const api::ConnectionStatusChanged& change);
  void onCommandFailed(const api::AccountId& id, const QString& what, const QString& why);
  void onTabChanged(int index);
  void requestQr();
  void requestPhoneCode();
  void tryAgain();
  void showExpired();
  void showNote(const QString& text, bool problem);
  void updateCountdown();

  Backend& backend_;
  api::AccountId id_;
  QString numberName_;
  Now now_;
  Method method_ = Method::Qr;
  bool started_ = false;    // the first request went out (on the first show)
  bool codeShown_ = false;  // a QR or link code reached the screen: pairing is under way
  QString phoneDigits_;     // the number of the last phone request
  QString linkCode_;
  api::TimePoint qrExpiresAt_{};

  QStackedWidget* pages_ = nullptr;  // the tabs, or the "code expired" page
  QTabWidget* tabs_ = nullptr;
  QrCodeWidget* qr_ = nullptr;
  QLabel* countdown_ = nullptr;
  QLineEdit* phoneEdit_ = nullptr;
  QLabel* phoneError_ = nullptr;
  QPushButton* getCode_ = nullptr;
  QLabel* linkCodeLabel_ = nullptr;
  QWidget* linkCodeBox_ = nullptr;
  QLabel* note_ = nullptr;
  QTimer* tick_ = nullptr;
};

}  // namespace chorus::ui
