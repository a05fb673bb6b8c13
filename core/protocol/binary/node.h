// A WhatsApp binary-XML node: tag, ordered attributes, and content that is nothing, a child
// list, raw bytes, a string or a JID. The variant records what the wire carried, so decoding
// then encoding reproduces the input bytes exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/protocol/jid/jid.h"
#include "core/util/bytes.h"

namespace chorus::core::binary {

using jid::Jid;

// Attribute values: strings (tokens, packed or raw strings on the wire) or JIDs.
using AttrValue = std::variant<std::string, Jid>;

struct Attr {
  std::string key;
  AttrValue value;
  [[nodiscard]] bool operator==(const Attr&) const = default;
};

struct Node;
using Children = std::vector<Node>;
// std::monostate = no content (<x/>); Children (possibly empty: <x></x>); Bytes (BINARY_*);
// std::string (token/packed string content); Jid (JID content).
using Content = std::variant<std::monostate, Children, Bytes, std::string, Jid>;

struct Node {
  std::string tag;
  std::vector<Attr> attrs;  // order preserved; keys are unique
  Content content;

  [[nodiscard]] bool operator==(const Node&) const = default;

  [[nodiscard]] const AttrValue* attr(std::string_view key) const noexcept;
  // The attribute as text (JIDs formatted); nullopt when absent.
  [[nodiscard]] std::optional<std::string> attrText(std::string_view key) const;
  // Adds or replaces an attribute; returns *this for chaining.
  Node& set(std::string_view key, AttrValue value);

  [[nodiscard]] const Children* children() const noexcept { return std::get_if<Children>(&content); }
  [[nodiscard]] const Bytes* bytes() const noexcept { return std::get_if<Bytes>(&content); }
  [[nodiscard]] const std::string* text() const noexcept { return std::get_if<std::string>(&content); }
  // The first child with this tag, or nullptr.
  [[nodiscard]] const Node* child(std::string_view tag) const noexcept;
};

}  // namespace chorus::core::binary
