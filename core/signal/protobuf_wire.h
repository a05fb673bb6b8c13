// Internal to core/signal: just enough of the protobuf wire format to read and rewrite
// libsignal's session records and Signal messages in place (symmetric_ratchet.cpp), without
// unpacking them into objects: a Reader that walks the fields of one message as views into
// the input, and a Writer that either counts or writes, so nested lengths are known before
// anything is written and the result lands in one exact-size buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"

namespace chorus::core::signal::detail::wire {

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

struct Field {
  std::uint32_t number = 0;
  WireType type = WireType::Varint;
  std::uint64_t value = 0;  // Varint, Fixed64, Fixed32
  BytesView bytes;          // WireType::Bytes: the payload
  BytesView whole;          // the field as encoded, tag included
};

class Reader {
 public:
  explicit Reader(BytesView data) noexcept : data_(data) {}
  // The next field, or false at the end of the input — or on malformed input (a truncated
  // field, an overlong varint, field number 0, groups), after which failed() is true.
  [[nodiscard]] bool next(Field& field) noexcept;
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  [[nodiscard]] bool varint(std::uint64_t& value) noexcept;
  BytesView data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

[[nodiscard]] std::size_t varintSize(std::uint64_t value) noexcept;

// Writes to `out` (at most `capacity` bytes), or only counts when `out` is null. Writing past
// the capacity writes nothing more and sets overflowed().
class Writer {
 public:
  Writer() noexcept = default;
  Writer(std::uint8_t* out, std::size_t capacity) noexcept : out_(out), capacity_(capacity) {}
  void raw(BytesView data) noexcept;
  void varint(std::uint64_t value) noexcept;
  void tag(std::uint32_t number, WireType type) noexcept;
  void varintField(std::uint32_t number, std::uint64_t value) noexcept;
  void bytesField(std::uint32_t number, BytesView value) noexcept;
  // The tag and length of a length-delimited field whose `length` payload bytes follow.
  void bytesHeader(std::uint32_t number, std::size_t length) noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool overflowed() const noexcept { return overflowed_; }

 private:
  [[nodiscard]] bool room(std::size_t length) noexcept;
  std::uint8_t* out_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  bool overflowed_ = false;
};

}  // namespace chorus::core::signal::detail::wire
