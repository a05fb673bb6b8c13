#include "core/store/message_id.h"

#include <cstdint>

#include "core/crypto/hash.h"

namespace chorus::core::store {

namespace {

constexpr std::string_view kUserSuffix = "@c.us";
constexpr std::size_t kRandomBytes = 16;
constexpr std::size_t kHashBytes = 9;

}  // namespace

std::string newMessageId(Random& random, TimePoint now, std::string_view ownUser) {
  Bytes data;
  data.reserve(8 + ownUser.size() + kUserSuffix.size() + kRandomBytes);
  const auto seconds = static_cast<std::uint64_t>(toUnixSeconds(now));
  putU32BE(data, static_cast<std::uint32_t>(seconds >> 32));
  putU32BE(data, static_cast<std::uint32_t>(seconds));
  if (!ownUser.empty()) {
    append(data, asBytes(ownUser));
    append(data, asBytes(kUserSuffix));
  }
  append(data, random.bytes(kRandomBytes));
  const Bytes hash = crypto::sha256(data);
  std::string id(kMessageIdPrefix);
  for (char c : toHex(BytesView(hash).first(kHashBytes))) {
    id.push_back(c >= 'a' && c <= 'f' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return id;
}

}  // namespace chorus::core::store
