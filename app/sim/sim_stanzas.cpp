#include "app/sim/sim_stanzas.h"

#include <utility>

namespace chorus::sim::stanza {

using core::binary::Children;
using core::binary::Node;

core::jid::Jid serverJid() {
  core::jid::Jid jid;
  jid.server = std::string(core::jid::kUserServer);
  return jid;
}

Node iqResult(std::string_view id) {
  Node iq{"iq", {}, {}};
  iq.set("id", std::string(id)).set("type", std::string("result")).set("from", serverJid());
  return iq;
}

Node iqError(std::optional<std::string> id, int code, std::string_view text) {
  Node iq{"iq", {}, {}};
  if (id) iq.set("id", std::move(*id));
  iq.set("type", std::string("error")).set("from", serverJid());
  Node error{"error", {}, {}};
  error.set("code", std::to_string(code)).set("text", std::string(text));
  iq.content = Children{std::move(error)};
  return iq;
}

Node pairDevice(std::string_view id, const std::vector<std::string>& refs) {
  Children refNodes;
  refNodes.reserve(refs.size());
  for (const std::string& ref : refs) refNodes.push_back(Node{"ref", {}, core::toBytes(ref)});
  Node iq{"iq", {}, {}};
  iq.set("from", serverJid())
      .set("type", std::string("set"))
      .set("id", std::string(id))
      .set("xmlns", std::string("md"));
  iq.content = Children{Node{"pair-device", {}, std::move(refNodes)}};
  return iq;
}

Node success(std::int64_t unixSeconds, std::optional<core::jid::Jid> lid) {
  Node node{"success", {}, {}};
  node.set("t", std::to_string(unixSeconds));
  if (lid) node.set("lid", std::move(*lid));
  return node;
}

Node failure(int reason) {
  Node node{"failure", {}, {}};
  node.set("reason", std::to_string(reason));
  return node;
}

Node offlineDone(std::size_t count) {
  Node offline{"offline", {}, {}};
  offline.set("count", std::to_string(count));
  return Node{"ib", {}, Children{std::move(offline)}};
}

Node streamError(int code) {
  Node node{"stream:error", {}, {}};
  node.set("code", std::to_string(code));
  return node;
}

Node streamReplaced() {
  Node conflict{"conflict", {}, {}};
  conflict.set("type", std::string("replaced"));
  return Node{"stream:error", {}, Children{std::move(conflict)}};
}

Node streamDeviceRemoved() {
  Node conflict{"conflict", {}, {}};
  conflict.set("type", std::string("device_removed"));
  Node node{"stream:error", {}, Children{std::move(conflict)}};
  node.set("code", std::string("401"));
  return node;
}

Node parent(std::string tag, Children children) {
  return Node{std::move(tag), {}, std::move(children)};
}

Node leaf(std::string tag, core::Bytes content) {
  return Node{std::move(tag), {}, std::move(content)};
}

std::vector<const Node*> childrenNamed(const Node& node, std::string_view tag) {
  std::vector<const Node*> out;
  if (const Children* children = node.children()) {
    for (const Node& child : *children) {
      if (child.tag == tag) out.push_back(&child);
    }
  }
  return out;
}

const core::Bytes* childBytes(const Node& node, std::string_view tag) {
  const Node* child = node.child(tag);
  return child ? child->bytes() : nullptr;
}

core::Bytes beBytes(std::uint32_t value, std::size_t width) {
  core::Bytes out(width);
  for (std::size_t i = 0; i < width; ++i) {
    out[width - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  return out;
}

}  // namespace chorus::sim::stanza
