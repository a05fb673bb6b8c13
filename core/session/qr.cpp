#include "core/session/qr.h"

#include <utility>

#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

constexpr std::string_view kPairDeviceTag = "pair-device";
constexpr std::string_view kRefTag = "ref";

bool isValidRef(std::string_view ref) {
  if (ref.empty() || ref.size() > kMaxQrRefSize) return false;
  for (const char c : ref) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return true;
}

}  // namespace

std::string qrString(std::string_view ref, BytesView noisePublicKey, BytesView identityPublicKey,
                     BytesView advSecret) {
  std::string out(ref);
  out += ',';
  out += toBase64(noisePublicKey);
  out += ',';
  out += toBase64(identityPublicKey);
  out += ',';
  out += toBase64(advSecret);
  return out;
}

Result<std::vector<std::string>> parsePairDeviceRefs(const binary::Node& iq) {
  const binary::Node* pairDevice = iq.child(kPairDeviceTag);
  if (pairDevice == nullptr) return fail(Errc::Protocol, "no <pair-device>");
  const binary::Children* children = pairDevice->children();
  if (children == nullptr) return fail(Errc::Protocol, "<pair-device> has no refs");
  std::vector<std::string> refs;
  for (const binary::Node& child : *children) {
    if (child.tag != kRefTag) continue;
    const std::optional<BytesView> content = contentBytes(child);
    if (!content) return fail(Errc::Protocol, "<ref> without content");
    const std::string_view ref = asString(*content);
    if (!isValidRef(ref)) return fail(Errc::Protocol, "<ref> is not a usable QR ref");
    if (refs.size() == kMaxQrRefs) return fail(Errc::Protocol, "too many <ref>s");
    refs.emplace_back(ref);
  }
  if (refs.empty()) return fail(Errc::Protocol, "<pair-device> has no refs");
  return refs;
}

QrRotation::QrRotation(std::vector<std::string> codes, TimePoint start, QrTiming timing)
    : codes_(std::move(codes)), start_(start), timing_(timing) {}

TimePoint QrRotation::expiryOf(std::size_t index) const {
  return start_ + timing_.first + timing_.next * static_cast<Millis::rep>(index);
}

QrStep QrRotation::onTimer(TimePoint now) {
  if (isTimedOut()) return QrStep::None;
  const std::size_t before = index_;
  while (index_ < codes_.size() && expiryOf(index_) <= now) ++index_;
  if (index_ == before) return QrStep::None;
  return isTimedOut() ? QrStep::TimedOut : QrStep::Rotated;
}

std::optional<QrCode> QrRotation::current() const {
  if (isTimedOut()) return std::nullopt;
  return QrCode{codes_[index_], expiryOf(index_), index_, codes_.size()};
}

std::optional<TimePoint> QrRotation::nextDeadline() const {
  if (isTimedOut()) return std::nullopt;
  return expiryOf(index_);
}

}  // namespace chorus::core::session
