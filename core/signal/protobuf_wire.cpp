#include "core/signal/protobuf_wire.h"

#include <cstring>

namespace chorus::core::signal::detail::wire {

namespace {
constexpr std::size_t kMaxVarintBytes = 10;
constexpr std::uint32_t kMaxFieldNumber = (1U << 29) - 1;
}  // namespace

bool Reader::varint(std::uint64_t& value) noexcept {
  value = 0;
  for (std::size_t i = 0; i < kMaxVarintBytes; ++i) {
    if (pos_ >= data_.size()) return false;
    const std::uint8_t byte = data_[pos_++];
    if (i == kMaxVarintBytes - 1 && byte > 1) return false;  // more than 64 bits
    value |= static_cast<std::uint64_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool Reader::next(Field& field) noexcept {
  if (failed_ || pos_ >= data_.size()) return false;
  const std::size_t start = pos_;
  std::uint64_t key = 0;
  failed_ = true;  // until the field is read whole
  if (!varint(key) || (key >> 3) == 0 || (key >> 3) > kMaxFieldNumber) return false;
  field.number = static_cast<std::uint32_t>(key >> 3);
  field.bytes = {};
  field.value = 0;
  const std::size_t left = data_.size() - pos_;
  switch (key & 7) {
    case 0:
      field.type = WireType::Varint;
      if (!varint(field.value)) return false;
      break;
    case 1:
    case 5: {
      const std::size_t width = (key & 7) == 1 ? 8 : 4;
      if (left < width) return false;
      field.type = (key & 7) == 1 ? WireType::Fixed64 : WireType::Fixed32;
      for (std::size_t i = 0; i < width; ++i)
        field.value |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
      pos_ += width;
      break;
    }
    case 2: {
      std::uint64_t length = 0;
      if (!varint(length) || length > data_.size() - pos_) return false;
      field.type = WireType::Bytes;
      field.bytes = data_.subspan(pos_, static_cast<std::size_t>(length));
      pos_ += static_cast<std::size_t>(length);
      break;
    }
    default:  // groups (3, 4) are not used by anything we read; 6 and 7 do not exist
      return false;
  }
  field.whole = data_.subspan(start, pos_ - start);
  failed_ = false;
  return true;
}

std::size_t varintSize(std::uint64_t value) noexcept {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

bool Writer::room(std::size_t length) noexcept {
  if (out_ == nullptr) return false;  // counting only
  if (overflowed_ || length > capacity_ - size_) {
    overflowed_ = true;
    return false;
  }
  return true;
}

void Writer::raw(BytesView data) noexcept {
  if (room(data.size()) && !data.empty()) std::memcpy(out_ + size_, data.data(), data.size());
  size_ += data.size();
}

void Writer::varint(std::uint64_t value) noexcept {
  do {
    std::uint8_t byte = static_cast<std::uint8_t>(value & 0x7F);
    value >>= 7;
    if (value != 0) byte |= 0x80;
    if (room(1)) out_[size_] = byte;
    ++size_;
  } while (value != 0);
}

void Writer::tag(std::uint32_t number, WireType type) noexcept {
  varint((static_cast<std::uint64_t>(number) << 3) | static_cast<std::uint64_t>(type));
}

void Writer::varintField(std::uint32_t number, std::uint64_t value) noexcept {
  tag(number, WireType::Varint);
  varint(value);
}

void Writer::bytesField(std::uint32_t number, BytesView value) noexcept {
  bytesHeader(number, value.size());
  raw(value);
}

void Writer::bytesHeader(std::uint32_t number, std::size_t length) noexcept {
  tag(number, WireType::Bytes);
  varint(length);
}

}  // namespace chorus::core::signal::detail::wire
