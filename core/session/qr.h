// QR pairing codes (protocol §6.2): the string a phone scans, the refs of <pair-device> and
// their rotation schedule (first code 60 s, each later one 20 s, then timeout). Sans-I/O:
// QrRotation is driven with `now` and reports its next deadline.
//
// QR strings carry the ADV secret: they go to the screen, never to logs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::session {

struct QrTiming {
  Millis first{60'000};  // lifetime of the first code
  Millis next{20'000};   // lifetime of every later code
};

// Limits on hostile <pair-device> content.
inline constexpr std::size_t kMaxQrRefs = 64;
inline constexpr std::size_t kMaxQrRefSize = 512;

// "ref,base64(noisePub),base64(identityPub),base64(advSecret)" with standard padded base64
// (the format Baileys 6.17.16 shows and every phone accepts).
[[nodiscard]] std::string qrString(std::string_view ref, BytesView noisePublicKey,
                                   BytesView identityPublicKey, BytesView advSecret);

// The refs of <iq type="set" xmlns="md"><pair-device><ref>…</ref>…</pair-device></iq>, in order.
// Errc::Protocol when there is no <pair-device>, no ref, more than kMaxQrRefs, or a ref that is
// empty, longer than kMaxQrRefSize or not printable ASCII without ',' (it would break the QR).
[[nodiscard]] Result<std::vector<std::string>> parsePairDeviceRefs(const binary::Node& iq);

struct QrCode {
  std::string code;  // the QR string
  TimePoint expiresAt{};
  std::size_t index = 0;  // 0-based position among the refs
  std::size_t count = 0;  // number of refs in this rotation
  [[nodiscard]] bool operator==(const QrCode&) const = default;
};

enum class QrStep : std::uint8_t {
  None,      // nothing changed
  Rotated,   // current() is a new code
  TimedOut,  // every code has expired: pairing timed out
};

// The codes of one <pair-device>, shown in turn. Code i expires at
// start + first + i·next, a fixed schedule: a late timer skips the codes whose time has passed
// rather than stretching the schedule.
class QrRotation {
 public:
  QrRotation(std::vector<std::string> codes, TimePoint start, QrTiming timing = {});

  // Call at (or after) nextDeadline().
  [[nodiscard]] QrStep onTimer(TimePoint now);

  // The code to show; nullopt once timed out (or when there were no codes).
  [[nodiscard]] std::optional<QrCode> current() const;
  [[nodiscard]] std::optional<TimePoint> nextDeadline() const;
  [[nodiscard]] bool isTimedOut() const noexcept { return index_ >= codes_.size(); }

 private:
  [[nodiscard]] TimePoint expiryOf(std::size_t index) const;

  std::vector<std::string> codes_;
  TimePoint start_;
  QrTiming timing_;
  std::size_t index_ = 0;
};

}  // namespace chorus::core::session
