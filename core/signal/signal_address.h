// Signal addresses in WhatsApp's local naming (protocol §5.3, §14.3): a device is
// "user.device" (e.g. "15550000002.1"), a sender key is "<group>::<user>::<device>".
// These names are local bookkeeping only; they never go on the wire.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace chorus::core::signal {

struct SignalAddress {
  std::string user;         // phone number or LID digits, without '@server'
  std::int32_t device = 0;  // 0 is the primary device (the phone)

  [[nodiscard]] std::string toString() const;  // "user.device"
  auto operator<=>(const SignalAddress&) const = default;
};

struct SenderKeyName {
  std::string groupId;  // "<group>@g.us"
  SignalAddress sender;

  [[nodiscard]] std::string toString() const;  // "<group>::<user>::<device>"
  auto operator<=>(const SenderKeyName&) const = default;
};

}  // namespace chorus::core::signal
