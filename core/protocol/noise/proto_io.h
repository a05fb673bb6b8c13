// Bytes <-> protobuf for hostile input: a parse failure is an Errc, never an exception or a
// half-filled message the caller forgets to check.
#pragma once

#include <climits>
#include <string>

#include <google/protobuf/message_lite.h>

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::noise {

template <class Message>
[[nodiscard]] Result<Message> parseProto(BytesView bytes, const char* what) {
  Message msg;
  // ParsePartial + IsInitialized instead of ParseFromArray: same verdict on missing required
  // fields, without libprotobuf printing an error to stderr for every hostile blob.
  if (bytes.size() > static_cast<std::size_t>(INT_MAX) ||
      !msg.ParsePartialFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      !msg.IsInitialized()) {
    return fail(Errc::Malformed, std::string("cannot parse ") + what);
  }
  return msg;
}

[[nodiscard]] inline Bytes serializeProto(const google::protobuf::MessageLite& msg) {
  Bytes out(msg.ByteSizeLong());
  // Cannot fail for the proto2 messages built here: they have no required fields unset and
  // are far below the 2 GiB protobuf limit.
  msg.SerializeWithCachedSizesToArray(out.data());
  return out;
}

[[nodiscard]] inline BytesView protoBytes(const std::string& field) noexcept { return asBytes(field); }

}  // namespace chorus::core::noise
