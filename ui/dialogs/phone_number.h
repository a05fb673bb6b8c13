// The number typed into the link dialog's phone tab: digits with the country code, as people
// write them ("+44 7700 900-123", "(+1) 555 123 4567"). What the engine gets is the bare digits.
#pragma once

#include <QString>

namespace chorus::ui {

inline constexpr int kMinPhoneDigits = 7;   // the shortest numbers in use with a country code
inline constexpr int kMaxPhoneDigits = 15;  // E.164

struct PhoneNumberCheck {
  QString digits;  // country code and number, digits only; empty when the input was refused
  QString error;   // a sentence for the person when refused

  [[nodiscard]] bool isValid() const { return error.isEmpty(); }
};

// Accepts digits, spaces, dashes, brackets and one leading '+'; then 7–15 digits that do not
// start with 0 (a country code never does: "0044…" or a national "07700…" lacks it).
[[nodiscard]] PhoneNumberCheck checkPhoneNumber(const QString& input);

}  // namespace chorus::ui
