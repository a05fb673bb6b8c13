#include "core/session/stanzas.h"

#include <charconv>
#include <utility>

namespace chorus::core::session {

jid::Jid serverJid() {
  jid::Jid server;
  server.server = std::string(jid::kUserServer);
  return server;
}

bool isServerJid(const binary::AttrValue& value) {
  if (const auto* j = std::get_if<jid::Jid>(&value)) {
    return j->user.empty() && j->server == jid::kUserServer && j->device == 0;
  }
  const auto& text = std::get<std::string>(value);
  return text == jid::kUserServer || text == "@s.whatsapp.net";
}

namespace {

binary::Node iq(std::string id, std::string_view type) {
  binary::Node node;
  node.tag = std::string(kIqTag);
  node.set("to", serverJid());
  node.set("type", std::string(type));
  node.set("id", std::move(id));
  return node;
}

}  // namespace

binary::Node buildIqResult(std::string id) {
  return iq(std::move(id), kIqResult);
}

binary::Node buildIqError(std::string id, int code, std::string text) {
  binary::Node node = iq(std::move(id), kIqError);
  binary::Node error;
  error.tag = "error";
  error.set("code", std::to_string(code));
  error.set("text", std::move(text));
  node.content = binary::Children{std::move(error)};
  return node;
}

binary::Node buildSetActive(std::string id) {
  binary::Node node = iq(std::move(id), kIqSet);
  node.set("xmlns", std::string("passive"));
  binary::Node active;
  active.tag = "active";
  node.content = binary::Children{std::move(active)};
  return node;
}

binary::Node buildRemoveCompanionDevice(std::string id, binary::AttrValue device) {
  binary::Node node = iq(std::move(id), kIqSet);
  node.set("xmlns", std::string("md"));
  binary::Node remove;
  remove.tag = "remove-companion-device";
  remove.set("jid", std::move(device));
  remove.set("reason", std::string("user_initiated"));
  node.content = binary::Children{std::move(remove)};
  return node;
}

std::optional<BytesView> contentBytes(const binary::Node& node) noexcept {
  if (const Bytes* b = node.bytes()) return BytesView(*b);
  if (const std::string* s = node.text()) return asBytes(*s);
  return std::nullopt;
}

std::optional<jid::Jid> toJid(const binary::AttrValue& value) {
  if (const auto* j = std::get_if<jid::Jid>(&value)) return *j;
  auto parsed = jid::parse(std::get<std::string>(value));
  if (!parsed) return std::nullopt;
  return *parsed;
}

std::optional<jid::Jid> jidAttr(const binary::Node& node, std::string_view key) {
  const binary::AttrValue* value = node.attr(key);
  return value ? toJid(*value) : std::nullopt;
}

std::optional<std::uint64_t> numberAttr(const binary::Node& node, std::string_view key,
                                        std::uint64_t max, bool& ok) {
  const auto text = node.attrText(key);
  if (!text) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value > max) {
    ok = false;
    return std::nullopt;
  }
  return value;
}

bool isUserJid(const jid::Jid& j) {
  return !j.user.empty() && j.isUser();
}

}  // namespace chorus::core::session
