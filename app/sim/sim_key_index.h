// The account's signed ADV key-index list (§6.3, §8.5): <key-index-list ts=…>ADVSignedKeyIndexList
// </key-index-list>, signed by the simulated phone's account key. Used by usync device lists and
// by devices notifications (§13).
#pragma once

#include <cstdint>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::sim {

struct AccountRecord;
struct DeviceRecord;

// Lists the key indexes of `devices` (those with one), the highest as the current index.
[[nodiscard]] core::Result<core::binary::Node> keyIndexList(
    const AccountRecord& account, const std::vector<const DeviceRecord*>& devices, std::int64_t now,
    core::Random& random);

}  // namespace chorus::sim
