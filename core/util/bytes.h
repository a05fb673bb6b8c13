// Byte buffers and their text encodings. Bytes holds public data; key material goes in
// SecretBytes (secret_bytes.h), which is wiped when it dies.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace chorus::core {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;

[[nodiscard]] inline BytesView asBytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
[[nodiscard]] inline std::string_view asString(BytesView b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
[[nodiscard]] inline Bytes toBytes(std::string_view s) { auto v = asBytes(s); return {v.begin(), v.end()}; }
[[nodiscard]] inline Bytes toBytes(BytesView v) { return {v.begin(), v.end()}; }

// Appends `tail` to `out`.
inline void append(Bytes& out, BytesView tail) { out.insert(out.end(), tail.begin(), tail.end()); }
[[nodiscard]] Bytes concat(std::initializer_list<BytesView> parts);

// Lower-case hex. fromHex accepts either case and ignores ASCII whitespace.
[[nodiscard]] std::string toHex(BytesView data);
[[nodiscard]] Result<Bytes> fromHex(std::string_view text);

// RFC 4648 base64, standard and URL-safe alphabets. Decoding accepts missing padding.
[[nodiscard]] std::string toBase64(BytesView data);
[[nodiscard]] std::string toBase64Url(BytesView data, bool pad = false);
[[nodiscard]] Result<Bytes> fromBase64(std::string_view text);
[[nodiscard]] Result<Bytes> fromBase64Url(std::string_view text);

// Constant-time comparison for MACs, keys and tags.
[[nodiscard]] bool constantTimeEqual(BytesView a, BytesView b) noexcept;

// Big-endian integer helpers used by every wire format here.
inline void putU16BE(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void putU24BE(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void putU32BE(Bytes& out, std::uint32_t v) {
  putU16BE(out, static_cast<std::uint16_t>(v >> 16));
  putU16BE(out, static_cast<std::uint16_t>(v));
}
[[nodiscard]] inline std::uint32_t readU24BE(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
}
[[nodiscard]] inline std::uint32_t readU32BE(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace chorus::core
