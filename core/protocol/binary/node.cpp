#include "core/protocol/binary/node.h"

namespace chorus::core::binary {

const AttrValue* Node::attr(std::string_view key) const noexcept {
  for (const Attr& a : attrs) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

std::optional<std::string> Node::attrText(std::string_view key) const {
  const AttrValue* value = attr(key);
  if (value == nullptr) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(value)) return *s;
  return jid::format(std::get<Jid>(*value));
}

Node& Node::set(std::string_view key, AttrValue value) {
  for (Attr& a : attrs) {
    if (a.key == key) {
      a.value = std::move(value);
      return *this;
    }
  }
  attrs.push_back(Attr{std::string(key), std::move(value)});
  return *this;
}

const Node* Node::child(std::string_view childTag) const noexcept {
  const Children* list = children();
  if (list == nullptr) return nullptr;
  for (const Node& n : *list) {
    if (n.tag == childTag) return &n;
  }
  return nullptr;
}

}  // namespace chorus::core::binary
