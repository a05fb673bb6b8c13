// Option builders for the frame tests (designated initializers that skip members trip
// -Wmissing-field-initializers).
#pragma once

#include <utility>

#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"

namespace chorus::core::frame::test {

inline FrameEncoder::Options clientOptions(std::uint8_t dictVersion, Bytes routingInfo = {}) {
  FrameEncoder::Options options;
  options.role = Role::Client;
  options.dictVersion = dictVersion;
  options.routingInfo = std::move(routingInfo);
  return options;
}

inline FrameEncoder::Options serverOptions() {
  FrameEncoder::Options options;
  options.role = Role::Server;
  return options;
}

inline FrameEncoder::Options withRouting(FrameEncoder::Options options, Bytes routingInfo) {
  options.routingInfo = std::move(routingInfo);
  return options;
}

inline FrameEncoder::Options withDict(FrameEncoder::Options options, std::uint8_t dictVersion) {
  options.dictVersion = dictVersion;
  return options;
}

inline FrameEncoder::Options withCap(FrameEncoder::Options options, std::size_t cap) {
  options.maxFrameSize = cap;
  return options;
}

inline FrameDecoder::Options decoderOptions(Role role, std::size_t cap = kMaxFrameSize) {
  FrameDecoder::Options options;
  options.role = role;
  options.maxFrameSize = cap;
  return options;
}

}  // namespace chorus::core::frame::test
