#include "ui/dialogs/phone_number.h"

#include <QObject>

namespace chorus::ui {

namespace {

bool isSeparator(QChar c) {
  return c == u' ' || c == u'-' || c == u'(' || c == u')' || c == u'[' || c == u']' ||
         c == QChar(0x00A0);  // a no-break space, as pasted from web pages
}

PhoneNumberCheck refused(QString why) {
  return PhoneNumberCheck{{}, std::move(why)};
}

}  // namespace

PhoneNumberCheck checkPhoneNumber(const QString& input) {
  const QString text = input.trimmed();
  if (text.isEmpty()) {
    return refused(
        QObject::tr("Type the number with its country code, for example "
                    "+44 7700 900123."));
  }
  QString digits;
  bool seenDigitOrPlus = false;
  for (QChar c : text) {
    if (c >= u'0' && c <= u'9') {
      digits += c;
      seenDigitOrPlus = true;
    } else if (c == u'+' && !seenDigitOrPlus) {
      seenDigitOrPlus = true;
    } else if (!isSeparator(c)) {
      return refused(
          QObject::tr("Use only digits, spaces, dashes and brackets, with an "
                      "optional + in front."));
    }
  }
  if (digits.startsWith(u'0')) {
    return refused(
        QObject::tr("Start with the country code, for example +44 for the United "
                    "Kingdom, instead of 0 or 00."));
  }
  if (digits.size() < kMinPhoneDigits) {
    return refused(QObject::tr("This number is too short: with its country code it has at "
                               "least %1 digits.")
                       .arg(kMinPhoneDigits));
  }
  if (digits.size() > kMaxPhoneDigits) {
    return refused(QObject::tr("This number is too long: with its country code it has at "
                               "most %1 digits.")
                       .arg(kMaxPhoneDigits));
  }
  return PhoneNumberCheck{digits, {}};
}

}  // namespace chorus::ui
