// Reading the files the interop node scripts write: length-prefixed record files and the typed
// trees of the generated corpus (format documented in node/corpus.js). Shared by the interop
// tool and the benchmarks.
#pragma once

#include <string>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::interop {

// Records: 4-byte big-endian length + bytes, back to back.
[[nodiscard]] core::Result<std::vector<core::Bytes>> readRecords(const std::string& path);
[[nodiscard]] core::Status writeRecords(const std::string& path,
                                        const std::vector<core::Bytes>& records);

// One typed tree as a Chorus node. JID values are parsed with jid::parse, so "x:0@..." keeps
// its AD form exactly as Baileys' encoder writes it.
[[nodiscard]] core::Result<core::binary::Node> parseTypedTree(core::BytesView record);

// Whole-file helpers.
[[nodiscard]] core::Result<std::string> readFile(const std::string& path);
[[nodiscard]] core::Result<std::vector<std::string>> readLines(const std::string& path);

}  // namespace chorus::interop
