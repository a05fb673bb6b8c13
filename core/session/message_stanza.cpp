#include "core/session/message_stanza.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include "core/crypto/hash.h"
#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

using binary::Children;
using binary::Node;

constexpr std::string_view kPhashPrefix = "2:";
constexpr std::size_t kPhashBytes = 6;
constexpr int kMaxEncVersion = 9;
constexpr std::uint64_t kMaxRetryCountAttr = 1000;
constexpr auto kMaxTimestamp = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

bool sameUser(const jid::Jid& a, const jid::Jid& b) {
  return a.user == b.user && a.server == b.server;
}

Node encNode(EncType type, const Bytes& ciphertext, const std::string& mediaType) {
  Node enc;
  enc.tag = "enc";
  enc.set("v", std::string(kEncVersion)).set("type", std::string(encTypeName(type)));
  if (!mediaType.empty()) enc.set("mediatype", mediaType);
  enc.content = ciphertext;
  return enc;
}

Node deviceIdentityNode(const Bytes& identity) {
  Node node;
  node.tag = "device-identity";
  node.content = identity;
  return node;
}

Status checkId(const std::string& id) {
  if (id.empty() || id.size() > kMaxMessageIdLength) {
    return fail(Errc::InvalidArgument, "message id must be 1 to 128 characters");
  }
  return ok();
}

Result<IncomingEnc> parseEnc(const Node& node) {
  const auto typeText = node.attrText("type");
  const auto type = typeText ? parseEncType(*typeText) : std::nullopt;
  if (!type) return fail(Errc::Protocol, "<enc> of an unknown type");
  bool ok = true;
  const auto version = numberAttr(node, "v", kMaxEncVersion, ok);
  const auto count = numberAttr(node, "count", kMaxRetryCountAttr, ok);
  if (!ok) return fail(Errc::Protocol, "<enc> with a malformed v or count");
  const auto bytes = contentBytes(node);
  if (!bytes || bytes->empty()) return fail(Errc::Protocol, "<enc> without ciphertext");
  IncomingEnc out;
  out.type = *type;
  out.version = static_cast<int>(version.value_or(2));
  out.ciphertext = toBytes(*bytes);
  out.retryCount = static_cast<std::uint32_t>(count.value_or(0));
  out.mediaType = node.attrText("mediatype").value_or("");
  out.hideOnFailure = node.attrText("decrypt-fail") == "hide";
  return out;
}

}  // namespace

std::string_view encTypeName(EncType type) noexcept {
  switch (type) {
    case EncType::PreKey: return "pkmsg";
    case EncType::Normal: return "msg";
    case EncType::SenderKey: return "skmsg";
  }
  return "msg";
}

std::optional<EncType> parseEncType(std::string_view name) noexcept {
  if (name == "pkmsg") return EncType::PreKey;
  if (name == "msg") return EncType::Normal;
  if (name == "skmsg") return EncType::SenderKey;
  return std::nullopt;
}

EncType encTypeOf(signal::MessageType type) noexcept {
  return type == signal::MessageType::PreKey ? EncType::PreKey : EncType::Normal;
}

bool OwnJids::owns(const jid::Jid& j) const noexcept {
  return sameUser(j, pn) || (lid && sameUser(j, *lid));
}

Result<binary::Node> buildMessageStanza(const OutgoingMessage& message) {
  CHORUS_CHECK(checkId(message.id));
  const bool group = message.to.isGroup() && !message.to.user.empty();
  if (!group && !isUserJid(message.to)) {
    return fail(Errc::InvalidArgument, "message to neither a user nor a group");
  }
  if (group == message.senderKeyCiphertext.empty()) {
    return fail(Errc::InvalidArgument,
                group ? "group message without skmsg" : "skmsg in a 1:1 message");
  }
  if (!group && message.participants.empty()) {
    return fail(Errc::InvalidArgument, "1:1 message without participants");
  }
  if (message.participants.size() > kMaxStanzaParticipants) {
    return fail(Errc::InvalidArgument, "too many participants");
  }

  Children participants;
  participants.reserve(message.participants.size());
  bool anyPreKey = false;
  std::vector<const jid::Jid*> seen;
  for (const OutgoingEnc& part : message.participants) {
    if (!isUserJid(part.device)) return fail(Errc::InvalidArgument, "participant is not a device");
    if (part.encrypted.bytes.empty()) return fail(Errc::InvalidArgument, "empty ciphertext");
    const bool repeated = std::any_of(seen.begin(), seen.end(), [&](const jid::Jid* j) {
      return jid::sameAddress(*j, part.device);
    });
    if (repeated) return fail(Errc::InvalidArgument, "participant listed twice");
    seen.push_back(&part.device);
    anyPreKey = anyPreKey || part.encrypted.type == signal::MessageType::PreKey;
    Node to;
    to.tag = "to";
    to.set("jid", part.device);
    to.content =
        Children{encNode(encTypeOf(part.encrypted.type), part.encrypted.bytes, message.mediaType)};
    participants.push_back(std::move(to));
  }
  if (anyPreKey && message.deviceIdentity.empty()) {
    return fail(Errc::InvalidArgument, "pkmsg without device identity");
  }

  Node stanza;
  stanza.tag = "message";
  stanza.set("id", message.id).set("to", message.to).set("type", message.type);
  if (!message.phash.empty()) stanza.set("phash", message.phash);
  Children content;
  if (!participants.empty()) {
    Node list;
    list.tag = "participants";
    list.content = std::move(participants);
    content.push_back(std::move(list));
  }
  if (anyPreKey) content.push_back(deviceIdentityNode(message.deviceIdentity));
  if (group) {
    content.push_back(encNode(EncType::SenderKey, message.senderKeyCiphertext, message.mediaType));
  }
  stanza.content = std::move(content);
  return stanza;
}

Result<binary::Node> buildRetryResend(const RetryResend& resend) {
  CHORUS_CHECK(checkId(resend.id));
  if (resend.encrypted.bytes.empty()) return fail(Errc::InvalidArgument, "empty ciphertext");
  if (resend.retryCount == 0) return fail(Errc::InvalidArgument, "retry count 0");
  const bool preKey = resend.encrypted.type == signal::MessageType::PreKey;
  if (preKey && resend.deviceIdentity.empty()) {
    return fail(Errc::InvalidArgument, "pkmsg without device identity");
  }
  Node stanza;
  stanza.tag = "message";
  stanza.set("to", resend.to)
      .set("type", resend.type)
      .set("id", resend.id)
      .set("t", std::to_string(resend.timestamp));
  if (!resend.group) stanza.set("device_fanout", std::string("false"));
  if (resend.participant) stanza.set("participant", *resend.participant);
  if (resend.recipient) stanza.set("recipient", *resend.recipient);
  Node enc = encNode(encTypeOf(resend.encrypted.type), resend.encrypted.bytes, resend.mediaType);
  enc.set("count", std::to_string(resend.retryCount));
  Children content{std::move(enc)};
  if (preKey) content.push_back(deviceIdentityNode(resend.deviceIdentity));
  stanza.content = std::move(content);
  return stanza;
}

std::string participantHash(std::span<const jid::Jid> devices) {
  std::vector<std::string> names;
  names.reserve(devices.size());
  for (const jid::Jid& device : devices) {
    names.push_back(device.user + "." + std::to_string(device.agent) + ":" +
                    std::to_string(device.device) + "@" + device.server);
  }
  std::sort(names.begin(), names.end());
  std::string joined;
  for (const std::string& name : names) joined += name;
  const Bytes digest = crypto::sha256(asBytes(joined));
  std::string encoded = toBase64(BytesView(digest).first(kPhashBytes));
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  return std::string(kPhashPrefix) + encoded;
}

Result<IncomingMessage> parseIncomingMessage(const binary::Node& node, const OwnJids& self) {
  if (node.tag != "message") return fail(Errc::Protocol, "not a <message>");
  IncomingMessage out;
  out.id = node.attrText("id").value_or("");
  if (out.id.empty() || out.id.size() > kMaxMessageIdLength) {
    return fail(Errc::Protocol, "<message> without a usable id");
  }
  const auto from = jidAttr(node, "from");
  if (!from || from->server.empty()) return fail(Errc::Protocol, "<message> without a usable from");
  out.from = *from;

  if (node.attr("participant")) {
    const auto participant = jidAttr(node, "participant");
    if (!participant) return fail(Errc::Protocol, "<message> with a malformed participant");
    out.participant = *participant;
  }
  if (node.attr("recipient")) {
    const auto recipient = jidAttr(node, "recipient");
    if (!recipient) return fail(Errc::Protocol, "<message> with a malformed recipient");
    out.recipient = *recipient;
  }

  if ((from->isGroup() || from->isBroadcast()) && !from->user.empty()) {
    out.chatKind = from->isGroup() ? ChatKind::Group : ChatKind::Broadcast;
    if (!out.participant || !isUserJid(*out.participant)) {
      return fail(Errc::Protocol, "group message without a user participant");
    }
    out.chat = from->toNonDevice();
    out.sender = *out.participant;
    out.fromMe = self.owns(out.sender);
  } else if (isUserJid(*from)) {
    out.sender = *from;
    out.fromMe = self.owns(*from);
    // recipient names the chat only on copies of our own messages (whatsmeow ignores it
    // otherwise; Baileys refuses the stanza).
    out.chat = (out.fromMe && out.recipient && isUserJid(*out.recipient))
                   ? out.recipient->toNonDevice()
                   : from->toNonDevice();
  } else {
    return fail(Errc::Unsupported, "messages from " + from->server + " are not handled");
  }

  bool ok = true;
  const auto t = numberAttr(node, "t", kMaxTimestamp, ok);
  if (!ok || !t) return fail(Errc::Protocol, "<message> without a usable t");
  out.timestamp = static_cast<std::int64_t>(*t);
  out.pushName = node.attrText("notify").value_or("");
  out.type = node.attrText("type").value_or("");
  out.category = node.attrText("category").value_or("");
  out.offline = node.attr("offline") != nullptr;

  if (const Children* children = node.children()) {
    for (const Node& child : *children) {
      if (child.tag == "enc") {
        if (out.encs.size() == kMaxIncomingEncs) return fail(Errc::Protocol, "too many <enc>");
        CHORUS_TRY(enc, parseEnc(child));
        if (enc.type == EncType::SenderKey && out.chatKind == ChatKind::Direct) {
          return fail(Errc::Protocol, "skmsg outside a group");
        }
        out.encs.push_back(std::move(enc));
      } else if (child.tag == "device-identity") {
        if (const auto bytes = contentBytes(child)) out.deviceIdentity = toBytes(*bytes);
      } else if (child.tag == "unavailable") {
        out.unavailable = true;
      }
    }
  }
  return out;
}

}  // namespace chorus::core::session
