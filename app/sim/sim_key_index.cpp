#include "app/sim/sim_key_index.h"

#include <algorithm>
#include <string>

#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/crypto/xeddsa.h"
#include "proto/adv.pb.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::binary::Node;

// Signature prefix of an ADVSignedKeyIndexList (account key over 06 02 ‖ details).
constexpr std::uint8_t kKeyIndexListPrefix[] = {0x06, 0x02};

Bytes serialize(const google::protobuf::MessageLite& message) {
  const std::string s = message.SerializeAsString();
  return core::toBytes(std::string_view(s));
}

}  // namespace

// <key-index-list ts=…>ADVSignedKeyIndexList</key-index-list>, signed by the account key.
core::Result<Node> keyIndexList(const AccountRecord& account,
                                const std::vector<const DeviceRecord*>& devices, std::int64_t now,
                                core::Random& random) {
  proto::ADVKeyIndexList list;
  list.set_rawid(account.advRawId);
  list.set_timestamp(static_cast<std::uint64_t>(now));
  std::uint32_t current = 0;
  for (const DeviceRecord* device : devices) {
    if (device->keyIndex == 0) continue;
    list.add_validindexes(device->keyIndex);
    current = std::max(current, device->keyIndex);
  }
  list.set_currentindex(current);
  const Bytes details = serialize(list);
  const Bytes message = core::concat({kKeyIndexListPrefix, details});
  CHORUS_TRY(signature, core::crypto::xeddsaSign(account.identityPrivate.view(), message, random));
  proto::ADVSignedKeyIndexList signedList;
  signedList.set_details(std::string(core::asString(details)));
  signedList.set_accountsignature(std::string(core::asString(signature)));
  signedList.set_accountsignaturekey(std::string(core::asString(account.identityKey)));
  Node node = stanza::leaf("key-index-list", serialize(signedList));
  node.set("ts", std::to_string(now));
  return node;
}

}  // namespace chorus::sim
