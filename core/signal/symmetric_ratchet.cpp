#include "core/signal/symmetric_ratchet.h"

#include <array>
#include <cstring>
#include <limits>

#include <openssl/crypto.h>

#include "core/signal/message_crypto.h"
#include "core/signal/protobuf_wire.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::signal::detail {

namespace {

using wire::Field;
using wire::Reader;
using wire::WireType;
using wire::Writer;

constexpr std::uint32_t kSessionVersion = 3;
constexpr std::uint8_t kVersionByte = (kSessionVersion << 4) | kSessionVersion;  // 0x33
constexpr std::size_t kMacSize = 8;  // a SignalMessage carries the first 8 bytes of its HMAC
constexpr std::size_t kKeySize = 32;
constexpr std::size_t kIvSize = 16;
constexpr std::size_t kAesBlock = 16;
constexpr std::size_t kSerializedKeySize = 33;  // 0x05 + 32 bytes
constexpr std::uint8_t kDjbType = 0x05;
constexpr std::size_t kMaxReceiverChains = 8;  // libsignal keeps 5; more means "not ours"

// Field numbers of libsignal's LocalStorageProtocol.proto (RecordStructure, SessionStructure)
// and WhisperTextProtocol.proto (SignalMessage).
namespace record_field {
constexpr std::uint32_t kCurrentSession = 1;
}
namespace session_field {
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kLocalIdentity = 2;
constexpr std::uint32_t kRemoteIdentity = 3;
constexpr std::uint32_t kPreviousCounter = 5;
constexpr std::uint32_t kSenderChain = 6;
constexpr std::uint32_t kReceiverChain = 7;
constexpr std::uint32_t kPendingPreKey = 9;
}  // namespace session_field
namespace chain_field {
constexpr std::uint32_t kRatchetKey = 1;
constexpr std::uint32_t kRatchetKeyPrivate = 2;
constexpr std::uint32_t kChainKey = 3;
constexpr std::uint32_t kMessageKey = 4;
}  // namespace chain_field
namespace chain_key_field {
constexpr std::uint32_t kIndex = 1;
constexpr std::uint32_t kKey = 2;
}  // namespace chain_key_field
namespace message_key_field {
constexpr std::uint32_t kIndex = 1;
constexpr std::uint32_t kCipherKey = 2;
constexpr std::uint32_t kMacKey = 3;
constexpr std::uint32_t kIv = 4;
}  // namespace message_key_field
namespace message_field {
constexpr std::uint32_t kRatchetKey = 1;
constexpr std::uint32_t kCounter = 2;
constexpr std::uint32_t kPreviousCounter = 3;
constexpr std::uint32_t kCiphertext = 4;
}  // namespace message_field

constexpr std::uint64_t kMaxU32 = std::numeric_limits<std::uint32_t>::max();

// Seen-once bookkeeping: a singular field that appears twice is legal protobuf (the last wins,
// messages merge), but nothing libsignal writes looks like that, so such input is left to it.
class Once {
 public:
  [[nodiscard]] bool first(std::uint32_t number) noexcept {
    const std::uint32_t bit = 1U << (number & 31U);
    if ((seen_ & bit) != 0) return false;
    seen_ |= bit;
    return true;
  }

 private:
  std::uint32_t seen_ = 0;
};

[[nodiscard]] bool isSerializedKey(BytesView key) noexcept {
  return key.size() == kSerializedKeySize && key[0] == kDjbType;
}

// One chain of a session state, as views into the record.
struct ChainView {
  BytesView whole;  // the chain field in the session, tag included
  BytesView bytes;  // its payload
  BytesView ratchetKey;
  bool hasRatchetPrivate = false;
  bool hasChainKey = false;  // index and key both present, as libsignal requires
  std::uint32_t index = 0;
  BytesView key;
  BytesView chainKeyWhole;  // the chainKey field, tag included
};

// The current session state of a record, as views into it.
struct SessionView {
  BytesView whole;  // the currentSession field in the record
  BytesView bytes;
  bool hasVersion = false;
  std::uint32_t version = 0;
  BytesView localIdentity;
  BytesView remoteIdentity;
  std::uint32_t previousCounter = 0;
  bool hasSender = false;
  ChainView sender;
  std::array<ChainView, kMaxReceiverChains> receivers{};
  std::size_t receiverCount = 0;
  bool hasPendingPreKey = false;
  BytesView pendingPreKeyWhole;
};

[[nodiscard]] bool readU32(const Field& field, std::uint32_t& out) noexcept {
  if (field.type != WireType::Varint || field.value > kMaxU32) return false;
  out = static_cast<std::uint32_t>(field.value);
  return true;
}

[[nodiscard]] bool parseChainKey(BytesView bytes, ChainView& chain) {
  Reader reader(bytes);
  Field field;
  Once once;
  bool hasIndex = false;
  bool hasKey = false;
  while (reader.next(field)) {
    if (field.number == chain_key_field::kIndex) {
      if (!once.first(field.number) || !readU32(field, chain.index)) return false;
      hasIndex = true;
    } else if (field.number == chain_key_field::kKey) {
      if (!once.first(field.number) || field.type != WireType::Bytes) return false;
      chain.key = field.bytes;
      hasKey = true;
    }
  }
  chain.hasChainKey = hasIndex && hasKey;
  return !reader.failed();
}

[[nodiscard]] bool parseChain(const Field& chainField, ChainView& chain) {
  if (chainField.type != WireType::Bytes) return false;
  chain.whole = chainField.whole;
  chain.bytes = chainField.bytes;
  Reader reader(chain.bytes);
  Field field;
  Once once;
  while (reader.next(field)) {
    switch (field.number) {
      case chain_field::kRatchetKey:
        if (!once.first(field.number) || field.type != WireType::Bytes) return false;
        chain.ratchetKey = field.bytes;
        break;
      case chain_field::kRatchetKeyPrivate:
        if (!once.first(field.number) || field.type != WireType::Bytes) return false;
        chain.hasRatchetPrivate = true;
        break;
      case chain_field::kChainKey:
        if (!once.first(field.number) || field.type != WireType::Bytes ||
            !parseChainKey(field.bytes, chain)) {
          return false;
        }
        chain.chainKeyWhole = field.whole;
        break;
      case chain_field::kMessageKey:  // read only when a late message needs one
        if (field.type != WireType::Bytes) return false;
        break;
      default:
        break;
    }
  }
  return !reader.failed();
}

[[nodiscard]] bool parseSession(const Field& sessionField, SessionView& session) {
  if (sessionField.type != WireType::Bytes) return false;
  session.whole = sessionField.whole;
  session.bytes = sessionField.bytes;
  Reader reader(session.bytes);
  Field field;
  Once once;
  while (reader.next(field)) {
    switch (field.number) {
      case session_field::kVersion:
        if (!once.first(field.number) || !readU32(field, session.version)) return false;
        session.hasVersion = true;
        break;
      case session_field::kLocalIdentity:
        if (!once.first(field.number) || field.type != WireType::Bytes) return false;
        session.localIdentity = field.bytes;
        break;
      case session_field::kRemoteIdentity:
        if (!once.first(field.number) || field.type != WireType::Bytes) return false;
        session.remoteIdentity = field.bytes;
        break;
      case session_field::kPreviousCounter:
        if (!once.first(field.number) || !readU32(field, session.previousCounter)) return false;
        break;
      case session_field::kSenderChain:
        if (!once.first(field.number) || !parseChain(field, session.sender)) return false;
        session.hasSender = true;
        break;
      case session_field::kReceiverChain:
        if (session.receiverCount == kMaxReceiverChains) return false;
        if (!parseChain(field, session.receivers[session.receiverCount])) return false;
        ++session.receiverCount;
        break;
      case session_field::kPendingPreKey:
        if (!once.first(field.number) || field.type != WireType::Bytes) return false;
        session.hasPendingPreKey = true;
        session.pendingPreKeyWhole = field.whole;
        break;
      default:
        break;
    }
  }
  return !reader.failed();
}

// The record's current session; false when it has none or is anything but plain.
[[nodiscard]] bool parseRecord(BytesView record, SessionView& session) {
  Reader reader(record);
  Field field;
  bool found = false;
  while (reader.next(field)) {
    if (field.number != record_field::kCurrentSession) continue;
    if (found || !parseSession(field, session)) return false;
    found = true;
  }
  if (reader.failed() || !found) return false;
  // What both directions need; libsignal fails or behaves differently without it.
  return session.hasVersion && session.version == kSessionVersion &&
         isSerializedKey(session.localIdentity) && isSerializedKey(session.remoteIdentity) &&
         session.hasSender;
}

[[nodiscard]] bool usableChain(const ChainView& chain) noexcept {
  return chain.hasChainKey && chain.key.size() == kKeySize && isSerializedKey(chain.ratchetKey);
}

// The keys of one message, wiped when done.
struct MessageKeys {
  std::uint8_t cipherKey[kKeySize] = {};
  std::uint8_t macKey[kKeySize] = {};
  std::uint8_t iv[kIvSize] = {};
  MessageKeys() = default;
  MessageKeys(const MessageKeys&) = delete;
  MessageKeys& operator=(const MessageKeys&) = delete;
  ~MessageKeys() { OPENSSL_cleanse(this, sizeof *this); }
};

struct ChainKey {
  std::uint8_t key[kKeySize] = {};
  ChainKey() = default;
  ChainKey(const ChainKey&) = delete;
  ChainKey& operator=(const ChainKey&) = delete;
  ~ChainKey() { OPENSSL_cleanse(key, sizeof key); }
};

// libsignal's ratchet_chain_key_get_message_keys and ratchet_chain_key_create_next: the
// message key seed is HMAC(chain key, 0x01), the next chain key HMAC(chain key, 0x02); the
// seed is expanded with HKDF-SHA256 (zero salt, info "WhisperMessageKeys", the v3 counter
// starting at 1) into 80 bytes: cipher key, MAC key, IV.
[[nodiscard]] bool deriveKeys(BytesView chainKey, MessageKeys& keys, ChainKey& next) {
  static constexpr std::uint8_t kMessageKeySeed[] = {0x01};
  static constexpr std::uint8_t kChainKeySeed[] = {0x02};
  static constexpr std::uint8_t kZeroSalt[crypto::kSha256Size] = {};
  static constexpr std::string_view kInfo = "WhisperMessageKeys";

  std::uint8_t seed[crypto::kSha256Size];
  std::uint8_t prk[crypto::kSha256Size];
  std::uint8_t block[crypto::kSha256Size];
  HmacSha256 chain;
  HmacSha256 extract;
  HmacSha256 expand;
  bool ok = chain.init(chainKey) && chain.update(kMessageKeySeed) && chain.finish(seed) &&
            chain.update(kChainKeySeed) && chain.finish(next.key) && extract.init(kZeroSalt) &&
            extract.update(seed) && extract.finish(prk) && expand.init(prk);
  // T(i) = HMAC(prk, T(i-1) || info || i) for i = 1..3.
  std::uint8_t* const outputs[] = {keys.cipherKey, keys.macKey, keys.iv};
  const std::size_t sizes[] = {kKeySize, kKeySize, kIvSize};
  for (std::uint8_t i = 1; ok && i <= 3; ++i) {
    const std::uint8_t counter[] = {i};
    ok = (i == 1 || expand.update(block)) && expand.update(asBytes(kInfo)) &&
         expand.update(counter) && expand.finish(block);
    if (ok) std::memcpy(outputs[i - 1], block, sizes[i - 1]);
  }
  OPENSSL_cleanse(seed, sizeof seed);
  OPENSSL_cleanse(prk, sizeof prk);
  OPENSSL_cleanse(block, sizeof block);
  return ok;
}

// signal_message_get_mac (v3): HMAC(mac key, sender identity || receiver identity || message),
// both identities serialized (33 bytes).
[[nodiscard]] bool messageMac(const MessageKeys& keys, BytesView senderIdentity,
                              BytesView receiverIdentity, BytesView serialized,
                              std::uint8_t (&mac)[crypto::kSha256Size]) {
  HmacSha256 hmac;
  return hmac.init(keys.macKey) && hmac.update(senderIdentity) &&
         hmac.update(receiverIdentity) && hmac.update(serialized) && hmac.finish(mac);
}

// What changes in the record: one chain's key moves on, and/or one of its kept message keys
// is used up; a session that received a message no longer waits for its first reply.
struct RecordEdit {
  const ChainView* chain = nullptr;
  const ChainKey* nextKey = nullptr;  // null: the chain key stays
  std::uint32_t nextIndex = 0;
  BytesView usedMessageKey;  // the whole field of a kept key now used, or empty
  bool dropPendingPreKey = false;
};

void writeChainKey(Writer& out, const RecordEdit& edit) {
  out.varintField(chain_key_field::kIndex, edit.nextIndex);
  out.bytesField(chain_key_field::kKey, edit.nextKey->key);
}

// The size of a length-delimited field with `payload` bytes.
std::size_t fieldSize(std::uint32_t number, std::size_t payload) {
  return wire::varintSize(static_cast<std::uint64_t>(number) << 3) + wire::varintSize(payload) +
         payload;
}

// The new payload sizes of the edited chain, session and record, worked out from the old ones
// so the rewrite walks each level once.
struct EditSizes {
  std::size_t chainKey = 0;
  std::size_t chain = 0;
  std::size_t session = 0;
  std::size_t record = 0;
};

EditSizes editSizes(BytesView record, const SessionView& session, const RecordEdit& edit) {
  const ChainView& chain = *edit.chain;
  EditSizes sizes;
  sizes.chain = chain.bytes.size() - edit.usedMessageKey.size();
  if (edit.nextKey != nullptr) {
    Writer counter;
    writeChainKey(counter, edit);
    sizes.chainKey = counter.size();
    sizes.chain =
        sizes.chain - chain.chainKeyWhole.size() + fieldSize(chain_field::kChainKey, sizes.chainKey);
  }
  sizes.session = session.bytes.size() - chain.whole.size() +
                  fieldSize(session_field::kSenderChain, sizes.chain);  // 6 and 7: same tag size
  if (edit.dropPendingPreKey) sizes.session -= session.pendingPreKeyWhole.size();
  sizes.record = record.size() - session.whole.size() +
                 fieldSize(record_field::kCurrentSession, sizes.session);
  return sizes;
}

// Writes the edited chain as field `number` of the session.
void writeChain(Writer& out, std::uint32_t number, const RecordEdit& edit,
                const EditSizes& sizes) {
  out.bytesHeader(number, sizes.chain);
  Reader reader(edit.chain->bytes);
  Field field;
  while (reader.next(field)) {
    if (edit.nextKey != nullptr && field.whole.data() == edit.chain->chainKeyWhole.data()) {
      out.bytesHeader(chain_field::kChainKey, sizes.chainKey);
      writeChainKey(out, edit);
    } else if (!edit.usedMessageKey.empty() && field.whole.data() == edit.usedMessageKey.data()) {
      // used up: gone, as libsignal removes it
    } else {
      out.raw(field.whole);
    }
  }
}

void writeSession(Writer& out, const SessionView& session, const RecordEdit& edit,
                  const EditSizes& sizes) {
  out.bytesHeader(record_field::kCurrentSession, sizes.session);
  Reader reader(session.bytes);
  Field field;
  while (reader.next(field)) {
    if (field.whole.data() == edit.chain->whole.data()) {
      writeChain(out, field.number, edit, sizes);
    } else if (edit.dropPendingPreKey && field.whole.data() == session.pendingPreKeyWhole.data()) {
      // acknowledged
    } else {
      out.raw(field.whole);
    }
  }
}

// The record with `edit` applied, in one exact-size secret buffer. The input was parsed
// successfully already, so walking it again cannot fail; a size that does not come out exact
// would be our bug, and then nothing is stored (nullopt: libsignal's turn).
std::optional<SecretBytes> rewriteRecord(BytesView record, const SessionView& session,
                                         const RecordEdit& edit) {
  const EditSizes sizes = editSizes(record, session, edit);
  SecretBytes out(sizes.record);
  Writer writer(out.data(), out.size());
  Reader reader(record);
  Field field;
  while (reader.next(field)) {
    if (field.whole.data() == session.whole.data()) {
      writeSession(writer, session, edit, sizes);
    } else {
      writer.raw(field.whole);  // earlier session states, untouched
    }
  }
  if (writer.overflowed() || writer.size() != out.size()) return std::nullopt;
  return out;
}

// A SignalMessage as views: version byte, protobuf, 8-byte MAC.
struct MessageView {
  BytesView ratchetKey;
  std::uint32_t counter = 0;
  BytesView ciphertext;
  BytesView signedPart;  // everything the MAC covers
  BytesView mac;
};

[[nodiscard]] bool parseMessage(BytesView bytes, MessageView& message) {
  if (bytes.size() <= 1 + kMacSize || (bytes[0] >> 4) != kSessionVersion) return false;
  message.signedPart = bytes.first(bytes.size() - kMacSize);
  message.mac = bytes.last(kMacSize);
  Reader reader(message.signedPart.subspan(1));
  Field field;
  Once once;
  bool hasCounter = false;
  while (reader.next(field)) {
    if (!once.first(field.number)) return false;
    switch (field.number) {
      case message_field::kRatchetKey:
        if (field.type != WireType::Bytes) return false;
        message.ratchetKey = field.bytes;
        break;
      case message_field::kCounter:
        if (!readU32(field, message.counter)) return false;
        hasCounter = true;
        break;
      case message_field::kPreviousCounter:
        if (field.type != WireType::Varint) return false;
        break;
      case message_field::kCiphertext:
        if (field.type != WireType::Bytes) return false;
        message.ciphertext = field.bytes;
        break;
      default:
        return false;
    }
  }
  return !reader.failed() && hasCounter && isSerializedKey(message.ratchetKey) &&
         !message.ciphertext.empty() && message.ciphertext.size() % kAesBlock == 0;
}

// A kept key of `chain` for `counter` (the first, as libsignal searches): its whole field and
// the keys. False when there is none or any kept key is not in libsignal's exact shape.
[[nodiscard]] bool findKeptKey(const ChainView& chain, std::uint32_t counter, BytesView& whole,
                               MessageKeys& keys) {
  Reader reader(chain.bytes);
  Field field;
  while (reader.next(field)) {
    if (field.number != chain_field::kMessageKey) continue;
    Reader keyReader(field.bytes);
    Field part;
    Once once;
    std::uint32_t index = 0;
    BytesView cipherKey;
    BytesView macKey;
    BytesView iv;
    bool hasIndex = false;
    while (keyReader.next(part)) {
      if (!once.first(part.number)) return false;
      if (part.number == message_key_field::kIndex) {
        if (!readU32(part, index)) return false;
        hasIndex = true;
      } else if (part.type == WireType::Bytes) {
        if (part.number == message_key_field::kCipherKey) cipherKey = part.bytes;
        if (part.number == message_key_field::kMacKey) macKey = part.bytes;
        if (part.number == message_key_field::kIv) iv = part.bytes;
      }
    }
    if (keyReader.failed() || !hasIndex || cipherKey.size() != kKeySize ||
        macKey.size() != kKeySize || iv.size() != kIvSize) {
      return false;
    }
    if (index == counter) {
      whole = field.whole;
      std::memcpy(keys.cipherKey, cipherKey.data(), kKeySize);
      std::memcpy(keys.macKey, macKey.data(), kKeySize);
      std::memcpy(keys.iv, iv.data(), kIvSize);
      return true;
    }
  }
  return false;
}

[[nodiscard]] Status storeRecord(SignalContext::Impl& impl, const SignalAddress& address,
                                 const SecretBytes& record) {
  return impl.store.storeSession(address, record.view());
}

}  // namespace

std::optional<Result<Bytes>> encryptInChain(SignalContext::Impl& impl,
                                            const SignalAddress& address, BytesView plaintext) {
  Result<std::optional<SecretBytes>> loaded = impl.store.session(address);
  if (!loaded) return Result<Bytes>(Unexpected<Error>(loaded.error()));
  if (!loaded->has_value()) return std::nullopt;
  const BytesView record = (*loaded)->view();
  SessionView session;
  if (!parseRecord(record, session) || session.hasPendingPreKey) return std::nullopt;
  const ChainView& chain = session.sender;
  if (!usableChain(chain) || !chain.hasRatchetPrivate || chain.index == kMaxU32)
    return std::nullopt;

  MessageKeys keys;
  ChainKey next;
  if (!deriveKeys(chain.key, keys, next)) return std::nullopt;

  // version byte || SignalMessage{ratchetKey, counter, previousCounter, ciphertext} || MAC
  const std::size_t sealedSize = (plaintext.size() / kAesBlock + 1) * kAesBlock;
  auto writeHeader = [&](Writer& w) {
    w.bytesField(message_field::kRatchetKey, chain.ratchetKey);
    w.varintField(message_field::kCounter, chain.index);
    w.varintField(message_field::kPreviousCounter, session.previousCounter);
    w.bytesHeader(message_field::kCiphertext, sealedSize);
  };
  Writer headerSize;
  writeHeader(headerSize);
  const std::size_t signedSize = 1 + headerSize.size() + sealedSize;
  Bytes message(signedSize + kMacSize);
  message[0] = kVersionByte;
  Writer header(message.data() + 1, headerSize.size());
  writeHeader(header);
  std::size_t sealed = 0;
  if (!runAesCbc(impl.cbc.get(), keys.cipherKey, keys.iv, plaintext,
                 message.data() + 1 + header.size(), sealed, true) ||
      sealed != sealedSize) {
    return std::nullopt;
  }
  std::uint8_t mac[crypto::kSha256Size];
  if (!messageMac(keys, session.localIdentity, session.remoteIdentity,
                  BytesView(message).first(signedSize), mac)) {
    return std::nullopt;
  }
  std::memcpy(message.data() + signedSize, mac, kMacSize);

  RecordEdit edit;
  edit.chain = &chain;
  edit.nextKey = &next;
  edit.nextIndex = chain.index + 1;
  const std::optional<SecretBytes> updated = rewriteRecord(record, session, edit);
  if (!updated) return std::nullopt;
  if (Status stored = storeRecord(impl, address, *updated); !stored)
    return Result<Bytes>(Unexpected<Error>(stored.error()));
  return Result<Bytes>(std::move(message));
}

std::optional<Result<Bytes>> decryptInChain(SignalContext::Impl& impl,
                                            const SignalAddress& address, BytesView bytes) {
  MessageView message;
  if (!parseMessage(bytes, message)) return std::nullopt;
  Result<std::optional<SecretBytes>> loaded = impl.store.session(address);
  if (!loaded) return Result<Bytes>(Unexpected<Error>(loaded.error()));
  if (!loaded->has_value()) return std::nullopt;
  const BytesView record = (*loaded)->view();
  SessionView session;
  if (!parseRecord(record, session)) return std::nullopt;

  const ChainView* chain = nullptr;
  for (std::size_t i = 0; i < session.receiverCount && chain == nullptr; ++i) {
    const ChainView& candidate = session.receivers[i];
    if (candidate.ratchetKey.size() == message.ratchetKey.size() &&
        std::memcmp(candidate.ratchetKey.data(), message.ratchetKey.data(),
                    message.ratchetKey.size()) == 0) {
      chain = &candidate;
    }
  }
  if (chain == nullptr || !usableChain(*chain)) return std::nullopt;  // a DH ratchet step

  MessageKeys keys;
  ChainKey next;
  RecordEdit edit;
  edit.chain = chain;
  edit.dropPendingPreKey = true;
  if (message.counter == chain->index && chain->index != kMaxU32) {
    if (!deriveKeys(chain->key, keys, next)) return std::nullopt;
    edit.nextKey = &next;
    edit.nextIndex = chain->index + 1;
  } else if (message.counter < chain->index) {
    if (!findKeptKey(*chain, message.counter, edit.usedMessageKey, keys)) return std::nullopt;
  } else {
    return std::nullopt;  // skipped counters: libsignal keeps their keys
  }

  std::uint8_t mac[crypto::kSha256Size];
  if (!messageMac(keys, session.remoteIdentity, session.localIdentity, message.signedPart, mac) ||
      CRYPTO_memcmp(mac, message.mac.data(), kMacSize) != 0) {
    return std::nullopt;  // libsignal tries earlier session states, then reports
  }
  Bytes plaintext(message.ciphertext.size());
  std::size_t opened = 0;
  if (!runAesCbc(impl.cbc.get(), keys.cipherKey, keys.iv, message.ciphertext, plaintext.data(),
                 opened, false)) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return std::nullopt;
  }
  plaintext.resize(opened);

  const std::optional<SecretBytes> updated = rewriteRecord(record, session, edit);
  if (!updated) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return std::nullopt;
  }
  if (Status stored = storeRecord(impl, address, *updated); !stored) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return Result<Bytes>(Unexpected<Error>(stored.error()));
  }
  return Result<Bytes>(std::move(plaintext));
}

}  // namespace chorus::core::signal::detail
