// LinkDialog against FakeBackend: it asks for a QR on show, shows each new QR with a fresh
// countdown, validates the phone number before asking for a code, shows the link code, closes
// by itself when the number is linked, and offers "Try again" when the codes ran out.
#include "ui/dialogs/link_dialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>

#include <gtest/gtest.h>

#include "tests/ui/dialogs/dialogs_test_support.h"
#include "tests/ui/fake_backend.h"

namespace chorus::ui {
namespace {

using api::ConnectionState;
using namespace std::chrono_literals;

class LinkDialogTest : public ::testing::Test {
 protected:
  LinkDialogTest() {
    dialog.setClock([this] { return now; });
  }

  template <typename W>
  W* child(const char* name) {
    W* w = dialog.findChild<W*>(QString::fromLatin1(name));
    EXPECT_NE(w, nullptr) << name;
    return w;
  }
  QString countdown() { return child<QLabel>("countdown")->text(); }
  void tick() {
    dialog.setClock([this] { return now; });
  }  // re-reads the clock at once

  test::FakeBackend backend;
  api::TimePoint now{std::chrono::milliseconds(1'700'000'000'000)};
  LinkDialog dialog{backend, "a", QStringLiteral("Shop")};
};

TEST_F(LinkDialogTest, AsksForAQrCodeWhenShownOnce) {
  EXPECT_TRUE(backend.commands.empty());
  dialog.show();
  EXPECT_EQ(backend.commands, std::vector<std::string>{"qr a"});
  dialog.hide();
  dialog.show();
  EXPECT_EQ(backend.commands.size(), 1U);
  EXPECT_TRUE(dialog.windowTitle().contains(u"Shop"));
}

TEST_F(LinkDialogTest, ANewQrReplacesTheCodeAndRestartsTheCountdown) {
  dialog.show();
  QSignalSpy changed(&dialog, &LinkDialog::qrCodeChanged);
  const QString first = test::realLengthQr(1);
  const QString second = test::realLengthQr(2);
  ASSERT_NE(first, second);

  Q_EMIT backend.accountEvent(api::QrCodeShown{"a", first.toStdString(), now + 60s});
  EXPECT_EQ(dialog.currentQrCode(), first);
  EXPECT_EQ(dialog.property("qrCode").toString(), first);
  EXPECT_TRUE(countdown().contains(u"60 s")) << countdown().toStdString();

  now += 45s;
  tick();
  EXPECT_TRUE(countdown().contains(u"15 s")) << countdown().toStdString();
  now += 16s;
  tick();
  EXPECT_TRUE(countdown().contains(u"Waiting")) << countdown().toStdString();

  // Another number's code is not ours.
  Q_EMIT backend.accountEvent(api::QrCodeShown{"b", second.toStdString(), now + 20s});
  EXPECT_EQ(dialog.currentQrCode(), first);

  Q_EMIT backend.accountEvent(api::QrCodeShown{"a", second.toStdString(), now + 20s});
  EXPECT_EQ(dialog.currentQrCode(), second);
  EXPECT_TRUE(countdown().contains(u"20 s")) << countdown().toStdString();
  ASSERT_EQ(changed.count(), 2);
  EXPECT_EQ(changed[1][0].toString(), second);
}

TEST_F(LinkDialogTest, ThePhoneTabRefusesBadNumbersAndSendsGoodOnes) {
  dialog.show();
  child<QTabWidget>("")->setCurrentIndex(1);
  auto* edit = child<QLineEdit>("phoneNumber");
  auto* error = child<QLabel>("phoneError");
  auto* getCode = child<QPushButton>("getCode");

  edit->setText(QStringLiteral("07700 900123"));
  getCode->click();
  EXPECT_FALSE(error->isHidden());
  EXPECT_TRUE(error->text().contains(u"country code"));
  edit->setText(QStringLiteral("+44 77x0"));
  getCode->click();
  EXPECT_FALSE(error->isHidden());
  EXPECT_EQ(backend.commands, std::vector<std::string>{"qr a"});

  edit->setText(QStringLiteral("+44 (7700) 900-123"));
  getCode->click();
  EXPECT_TRUE(error->isHidden());
  EXPECT_EQ(backend.commands.back(), "phone a 447700900123");
}

TEST_F(LinkDialogTest, ShowsTheLinkCode) {
  dialog.show();
  EXPECT_TRUE(dialog.currentLinkCode().isEmpty());
  Q_EMIT backend.accountEvent(api::LinkCodeShown{"a", "abcdefgh"});
  EXPECT_EQ(dialog.currentLinkCode(), "ABCD-EFGH");
  EXPECT_EQ(child<QLabel>("linkCode")->text(), "ABCD-EFGH");
  EXPECT_FALSE(child<QWidget>("linkCodeBox")->isHidden());
  Q_EMIT backend.accountEvent(api::LinkCodeShown{"a", "WXYZ-2345"});
  EXPECT_EQ(dialog.currentLinkCode(), "WXYZ-2345");
}

TEST_F(LinkDialogTest, ClosesByItselfWhenTheNumberIsReady) {
  dialog.show();
  Q_EMIT backend.accountEvent(api::QrCodeShown{"a", "2@ref,k,k,k", now + 60s});
  Q_EMIT backend.accountEvent(
      test::statusEvent("a", ConnectionState::Pairing, ConnectionState::Connecting));
  EXPECT_TRUE(dialog.isVisible());
  EXPECT_TRUE(child<QLabel>("note")->text().contains(u"linked"));
  Q_EMIT backend.accountEvent(
      test::statusEvent("b", ConnectionState::Connecting, ConnectionState::Ready));
  EXPECT_TRUE(dialog.isVisible());
  Q_EMIT backend.accountEvent(
      test::statusEvent("a", ConnectionState::Connecting, ConnectionState::Ready));
  EXPECT_FALSE(dialog.isVisible());
  EXPECT_EQ(dialog.result(), QDialog::Accepted);
  EXPECT_TRUE(dialog.currentQrCode().isEmpty());  // the secret is gone with the dialog
}

TEST_F(LinkDialogTest, ClosesByItselfWhenLinked) {
  dialog.show();
  Q_EMIT backend.accountEvent(api::AccountLinked{"a", "+44••••••123"});
  EXPECT_FALSE(dialog.isVisible());
  EXPECT_EQ(dialog.result(), QDialog::Accepted);
}

TEST_F(LinkDialogTest, OffersTryAgainWhenTheCodesRanOut) {
  dialog.show();
  Q_EMIT backend.accountEvent(
      api::QrCodeShown{"a", test::realLengthQr(1).toStdString(), now + 20s});
  Q_EMIT backend.accountEvent(
      test::statusEvent("a", ConnectionState::Pairing, ConnectionState::Unlinked));
  EXPECT_TRUE(dialog.isVisible());
  EXPECT_TRUE(child<QLabel>("expiredTitle")->isVisible());
  EXPECT_TRUE(dialog.currentQrCode().isEmpty());
  child<QPushButton>("tryAgain")->click();
  EXPECT_EQ(backend.commands, (std::vector<std::string>{"qr a", "qr a"}));
  EXPECT_FALSE(child<QLabel>("expiredTitle")->isVisible());
  Q_EMIT backend.accountEvent(
      api::QrCodeShown{"a", test::realLengthQr(3).toStdString(), now + 60s});
  EXPECT_EQ(dialog.currentQrCode(), test::realLengthQr(3));
}

TEST_F(LinkDialogTest, TryAgainAfterAPhoneCodeAsksForAPhoneCode) {
  dialog.show();
  child<QTabWidget>("")->setCurrentIndex(1);
  child<QLineEdit>("phoneNumber")->setText(QStringLiteral("+1 555 123 4567"));
  child<QPushButton>("getCode")->click();
  Q_EMIT backend.accountEvent(api::LinkCodeShown{"a", "ABCD-EFGH"});
  Q_EMIT backend.accountEvent(
      test::statusEvent("a", ConnectionState::Pairing, ConnectionState::Unlinked));
  EXPECT_TRUE(dialog.currentLinkCode().isEmpty());
  child<QPushButton>("tryAgain")->click();
  EXPECT_EQ(backend.commands.back(), "phone a 15551234567");
}

TEST_F(LinkDialogTest, SaysWhatWentWrong) {
  dialog.show();
  Q_EMIT backend.commandFailed("a", QStringLiteral("link"), QStringLiteral("No internet"));
  EXPECT_EQ(child<QLabel>("note")->text(), "No internet");
  EXPECT_TRUE(dialog.isVisible());
}

TEST_F(LinkDialogTest, TheHelpSaysWhereAndTheLimits) {
  const QString steps = child<QLabel>("qrSteps")->text();
  EXPECT_TRUE(steps.contains(u"Linked devices"));
  EXPECT_TRUE(steps.contains(u"Link a device"));
  const QString limits = child<QLabel>("limitsHelp")->text();
  EXPECT_TRUE(limits.contains(u"4 linked devices"));
  EXPECT_TRUE(limits.contains(u"14 days"));
}

}  // namespace
}  // namespace chorus::ui
