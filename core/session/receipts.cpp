#include "core/session/receipts.h"

#include <charconv>
#include <limits>
#include <utility>

#include "core/session/prekey_bundle.h"
#include "core/session/stanzas.h"

namespace chorus::core::session {
namespace {

using binary::Children;
using binary::Node;

constexpr std::string_view kRetryVersion = "1";
constexpr std::string_view kPeerCategory = "peer";
constexpr std::uint64_t kMaxCountAttr = 1000;
constexpr std::uint64_t kMaxErrorCode = 999;
constexpr auto kMaxTimestamp = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

struct TypeName {
  ReceiptType type;
  std::string_view name;
};
constexpr TypeName kTypeNames[] = {
    {ReceiptType::Sender, "sender"},          {ReceiptType::Inactive, "inactive"},
    {ReceiptType::PeerMsg, "peer_msg"},       {ReceiptType::Read, "read"},
    {ReceiptType::ReadSelf, "read-self"},     {ReceiptType::Played, "played"},
    {ReceiptType::PlayedSelf, "played-self"}, {ReceiptType::Retry, "retry"},
};

bool usableId(const std::string& id) {
  return !id.empty() && id.size() <= kMaxMessageIdLength;
}

Node bytesNode(std::string tag, Bytes content) {
  Node node;
  node.tag = std::move(tag);
  node.content = std::move(content);
  return node;
}

// The optional JID attribute `key`: absent is fine, present must parse.
Status optionalJid(const Node& node, std::string_view key, std::optional<jid::Jid>& out) {
  if (!node.attr(key)) return ok();
  out = jidAttr(node, key);
  if (!out) return fail(Errc::Protocol, "<" + node.tag + "> with a malformed " + std::string(key));
  return ok();
}

// The receipt's base attributes from the message (whatsmeow buildBaseReceipt).
Node baseReceipt(const IncomingMessage& message) {
  Node receipt;
  receipt.tag = "receipt";
  receipt.set("id", message.id).set("to", message.from);
  if (message.recipient) receipt.set("recipient", *message.recipient);
  if (message.participant) receipt.set("participant", *message.participant);
  return receipt;
}

Result<Node> keysNode(const RetryKeys& keys) {
  if (keys.identityKey.size() != signal::kKeySize || keys.deviceIdentity.empty()) {
    return fail(Errc::InvalidArgument, "retry keys need a 32-byte identity and a device identity");
  }
  CHORUS_TRY(preKey, preKeyEntryNode(keys.preKeyId, keys.preKey));
  CHORUS_TRY(signedPreKey, signedPreKeyEntryNode(keys.signedPreKeyId, keys.signedPreKey,
                                                 keys.signedPreKeySignature));
  Node node;
  node.tag = "keys";
  node.content =
      Children{bytesNode("type", Bytes{signal::kDjbType}), bytesNode("identity", keys.identityKey),
               std::move(preKey), std::move(signedPreKey),
               bytesNode("device-identity", keys.deviceIdentity)};
  return node;
}

Result<IncomingRetry> parseRetry(const Node& receipt, const jid::Jid& sender) {
  const Node* retry = receipt.child("retry");
  if (!retry) return fail(Errc::Protocol, "retry receipt without <retry>");
  bool ok = true;
  const auto count = numberAttr(*retry, "count", kMaxCountAttr, ok);
  const auto t = numberAttr(*retry, "t", kMaxTimestamp, ok);
  IncomingRetry out;
  out.messageId = retry->attrText("id").value_or("");
  if (!ok || !count || *count == 0 || !t || !usableId(out.messageId)) {
    return fail(Errc::Protocol, "retry receipt with a malformed <retry>");
  }
  out.count = static_cast<std::uint32_t>(*count);
  out.timestamp = static_cast<std::int64_t>(*t);
  CHORUS_TRY(registrationId, parseRegistrationId(receipt));
  out.registrationId = registrationId;
  if (const Node* keys = receipt.child("keys")) {
    CHORUS_TRY(bundle, parseBundleKeys(*keys, registrationId, sender.device));
    out.bundle = std::move(bundle);
    if (const Node* identity = keys->child("device-identity")) {
      if (const auto bytes = contentBytes(*identity)) out.deviceIdentity = toBytes(*bytes);
    }
  }
  return out;
}

Result<std::vector<GroupedReceiptEntry>> parseGrouped(const Node& receipt) {
  std::vector<GroupedReceiptEntry> out;
  const Children* children = receipt.children();
  if (!children) return out;
  for (const Node& participants : *children) {
    if (participants.tag != "participants") continue;
    const std::string key = participants.attrText("key").value_or("");
    if (!usableId(key)) return fail(Errc::Protocol, "grouped receipt without a usable key");
    const Children* users = participants.children();
    if (!users) continue;
    for (const Node& user : *users) {
      if (user.tag != "user") continue;
      if (out.size() == kMaxReceiptIds) return fail(Errc::Protocol, "grouped receipt too long");
      const auto sender = jidAttr(user, "jid");
      bool ok = true;
      const auto t = numberAttr(user, "t", kMaxTimestamp, ok);
      if (!sender || !isUserJid(*sender) || !ok) {
        return fail(Errc::Protocol, "grouped receipt with a malformed user");
      }
      out.push_back({key, *sender, static_cast<std::int64_t>(t.value_or(0))});
    }
  }
  return out;
}

}  // namespace

std::string_view receiptTypeName(ReceiptType type) noexcept {
  if (type == ReceiptType::Delivery) return "";
  for (const TypeName& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "other";
}

ReceiptType parseReceiptType(std::string_view name) noexcept {
  if (name.empty()) return ReceiptType::Delivery;
  for (const TypeName& entry : kTypeNames) {
    if (entry.name == name) return entry.type;
  }
  return ReceiptType::Other;
}

Result<binary::Node> buildReceipt(const OutgoingReceipt& receipt) {
  if (receipt.ids.empty()) return fail(Errc::InvalidArgument, "receipt for no message");
  if (receipt.ids.size() > kMaxReceiptIds) return fail(Errc::InvalidArgument, "too many ids");
  if (receipt.type == ReceiptType::Other || receipt.type == ReceiptType::Retry) {
    return fail(Errc::InvalidArgument, "receipt type needs its own builder");
  }
  for (const std::string& id : receipt.ids) {
    if (!usableId(id)) return fail(Errc::InvalidArgument, "receipt with an unusable id");
  }
  Node node;
  node.tag = "receipt";
  node.set("id", receipt.ids.front()).set("to", receipt.to);
  if (receipt.participant) node.set("participant", *receipt.participant);
  if (receipt.recipient) node.set("recipient", *receipt.recipient);
  if (receipt.type != ReceiptType::Delivery) {
    node.set("type", std::string(receiptTypeName(receipt.type)));
  }
  if (receipt.timestamp) node.set("t", std::to_string(*receipt.timestamp));
  if (receipt.ids.size() > 1) {
    Children items;
    items.reserve(receipt.ids.size() - 1);
    for (std::size_t i = 1; i < receipt.ids.size(); ++i) {
      Node item;
      item.tag = "item";
      item.set("id", receipt.ids[i]);
      items.push_back(std::move(item));
    }
    Node list;
    list.tag = "list";
    list.content = std::move(items);
    node.content = Children{std::move(list)};
  }
  return node;
}

binary::Node buildDeliveryReceipt(const IncomingMessage& message, bool active) {
  Node receipt = baseReceipt(message);
  if (message.fromMe) {
    const bool peer = message.category == kPeerCategory;
    receipt.set("type",
                std::string(receiptTypeName(peer ? ReceiptType::PeerMsg : ReceiptType::Sender)));
  } else if (!active) {
    receipt.set("type", std::string(receiptTypeName(ReceiptType::Inactive)));
  }
  return receipt;
}

Result<binary::Node> buildReadReceipt(const jid::Jid& chat, const std::optional<jid::Jid>& sender,
                                      const std::vector<std::string>& ids, std::int64_t timestamp,
                                      bool readSelf) {
  OutgoingReceipt receipt{ids,
                          chat.toNonDevice(),
                          std::nullopt,
                          std::nullopt,
                          readSelf ? ReceiptType::ReadSelf : ReceiptType::Read,
                          timestamp};
  if (sender && !chat.isUser()) receipt.participant = sender->toNonDevice();
  return buildReceipt(receipt);
}

std::optional<std::uint32_t> nextRetryCount(std::uint32_t alreadySent,
                                            std::uint32_t countInMessage) noexcept {
  std::uint64_t next = std::uint64_t{alreadySent} + 1;
  if (next == 1 && countInMessage > 0) next = std::uint64_t{countInMessage} + 1;
  if (next > kMaxRetryCount) return std::nullopt;
  return static_cast<std::uint32_t>(next);
}

Result<binary::Node> buildRetryReceipt(const IncomingMessage& message,
                                       const RetryRequest& request) {
  if (request.count == 0 || request.count > kMaxRetryCount) {
    return fail(Errc::InvalidArgument, "retry count must be 1 to 5");
  }
  Node receipt = baseReceipt(message);
  receipt.set("type", std::string(receiptTypeName(ReceiptType::Retry)));
  if (message.category == kPeerCategory) receipt.set("category", std::string(kPeerCategory));
  Node retry;
  retry.tag = "retry";
  retry.set("count", std::to_string(request.count))
      .set("id", message.id)
      .set("t", std::to_string(message.timestamp))
      .set("v", std::string(kRetryVersion));
  Bytes registration;
  putU32BE(registration, request.registrationId);
  Children content{std::move(retry), bytesNode("registration", std::move(registration))};
  if (request.keys) {
    CHORUS_TRY(keys, keysNode(*request.keys));
    content.push_back(std::move(keys));
  }
  receipt.content = std::move(content);
  return receipt;
}

Result<IncomingReceipt> parseIncomingReceipt(const binary::Node& node, const OwnJids& self) {
  if (node.tag != "receipt") return fail(Errc::Protocol, "not a <receipt>");
  IncomingReceipt out;
  const std::string id = node.attrText("id").value_or("");
  if (!usableId(id)) return fail(Errc::Protocol, "<receipt> without a usable id");
  const auto from = jidAttr(node, "from");
  if (!from || from->server.empty()) return fail(Errc::Protocol, "<receipt> without a usable from");
  out.from = *from;
  CHORUS_CHECK(optionalJid(node, "participant", out.participant));
  CHORUS_CHECK(optionalJid(node, "recipient", out.recipient));
  bool ok = true;
  const auto t = numberAttr(node, "t", kMaxTimestamp, ok);
  if (!ok) return fail(Errc::Protocol, "<receipt> with a malformed t");
  out.timestamp = static_cast<std::int64_t>(t.value_or(0));
  out.typeName = node.attrText("type").value_or("");
  out.type = parseReceiptType(out.typeName);

  out.isGroup = (from->isGroup() || from->isBroadcast()) && !from->user.empty();
  if (out.isGroup) {
    out.chat = from->toNonDevice();
    if (!out.participant) {
      // An aggregated group receipt: readers listed under <participants key=id>.
      CHORUS_TRY(grouped, parseGrouped(node));
      if (grouped.empty()) return fail(Errc::Protocol, "group receipt without participant");
      out.grouped = std::move(grouped);
      for (const GroupedReceiptEntry& entry : out.grouped) {
        if (out.ids.empty() || out.ids.back() != entry.messageId)
          out.ids.push_back(entry.messageId);
      }
      return out;
    }
    if (!isUserJid(*out.participant)) return fail(Errc::Protocol, "group receipt participant");
    out.sender = *out.participant;
  } else if (isUserJid(*from)) {
    out.sender = *from;
  } else {
    return fail(Errc::Protocol, "<receipt> from neither a user nor a group");
  }
  out.fromMe = self.owns(out.sender);
  if (!out.isGroup) {
    out.chat = (out.fromMe && out.recipient && isUserJid(*out.recipient))
                   ? out.recipient->toNonDevice()
                   : from->toNonDevice();
  }

  out.ids.push_back(id);
  if (const Node* list = node.child("list")) {
    if (const Children* items = list->children()) {
      if (items->size() >= kMaxReceiptIds)
        return fail(Errc::Protocol, "receipt lists too many ids");
      for (const Node& item : *items) {
        if (item.tag != "item") continue;
        const std::string itemId = item.attrText("id").value_or("");
        if (!usableId(itemId)) return fail(Errc::Protocol, "receipt list item without id");
        out.ids.push_back(itemId);
      }
    }
  }
  if (out.type == ReceiptType::Retry) {
    CHORUS_TRY(retry, parseRetry(node, out.sender));
    out.retry = std::move(retry);
  }
  return out;
}

Result<binary::Node> buildAckFor(const binary::Node& stanza, int nack) {
  if (stanza.tag != "message" && stanza.tag != "receipt" && stanza.tag != "notification" &&
      stanza.tag != "call") {
    return fail(Errc::InvalidArgument, "<" + stanza.tag + "> is not acknowledged");
  }
  const binary::AttrValue* id = stanza.attr("id");
  const binary::AttrValue* from = stanza.attr("from");
  if (!id || !from) return fail(Errc::Protocol, "stanza without id or from cannot be acked");
  Node ack;
  ack.tag = "ack";
  ack.set("class", stanza.tag).set("id", *id).set("to", *from);
  if (const auto* participant = stanza.attr("participant")) ack.set("participant", *participant);
  if (const auto* recipient = stanza.attr("recipient")) ack.set("recipient", *recipient);
  if (const auto* type = stanza.attr("type"); type && stanza.tag != "message")
    ack.set("type", *type);
  if (nack != 0) ack.set("error", std::to_string(nack));
  return ack;
}

Result<ServerAck> parseServerAck(const binary::Node& node) {
  if (node.tag != "ack") return fail(Errc::Protocol, "not an <ack>");
  ServerAck out;
  out.stanzaClass = node.attrText("class").value_or("");
  out.id = node.attrText("id").value_or("");
  if (out.stanzaClass.empty() || !usableId(out.id)) {
    return fail(Errc::Protocol, "<ack> without class or id");
  }
  if (node.attr("from")) {
    out.from = jidAttr(node, "from");
    if (!out.from) return fail(Errc::Protocol, "<ack> with a malformed from");
  }
  CHORUS_CHECK(optionalJid(node, "participant", out.participant));
  bool ok = true;
  const auto t = numberAttr(node, "t", kMaxTimestamp, ok);
  const auto error = numberAttr(node, "error", kMaxErrorCode, ok);
  if (!ok) return fail(Errc::Protocol, "<ack> with a malformed t or error");
  out.timestamp = static_cast<std::int64_t>(t.value_or(0));
  out.error = static_cast<int>(error.value_or(0));
  out.type = node.attrText("type").value_or("");
  out.phash = node.attrText("phash").value_or("");
  return out;
}

}  // namespace chorus::core::session
