#include "app/cli/codec_command.h"

#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/text_form.h"
#include "core/util/bytes.h"

namespace chorus::app::cli {
namespace {

namespace binary = core::binary;

constexpr std::string_view kUsage =
    "usage: chorus-cli codec decode --dict {2,3} [--raw] [--compact] HEX|-\n"
    "       chorus-cli codec encode --dict {2,3} [--raw] TEXT|-\n"
    "\n"
    "decode prints the node in the canonical text form (docs/codec-text-form.md);\n"
    "encode prints the node's bytes as hex. '-' reads the input from stdin.\n"
    "\n"
    "HEX is frame plaintext by default: a flags byte (00, or 02 for a zlib stream) and then\n"
    "the node bytes, which is what the §4.6 vectors show and what encode prints.\n"
    "  --dict N    token dictionary: 2 (Baileys 6.x) or 3 (current WhatsApp Web)\n"
    "  --raw       node bytes without the flags byte, for input and output\n"
    "  --compact   print the text form on one line\n";

struct Options {
  bool decode = false;
  std::optional<binary::DictVersion> dict;
  bool raw = false;
  bool compact = false;
  std::optional<std::string_view> input;
};

int usage(CommandIo io, std::string_view problem) {
  io.err << "chorus-cli codec: " << problem << "\n" << kUsage;
  return kExitUsage;
}

// Returns an exit code when the arguments are not usable (or --help), nullopt to go on.
std::optional<int> parseOptions(std::span<const std::string_view> args, CommandIo io, Options& o) {
  if (args.empty()) return usage(io, "missing decode or encode");
  if (args[0] == "--help" || args[0] == "-h") {
    io.out << kUsage;
    return kExitOk;
  }
  if (args[0] != "decode" && args[0] != "encode")
    return usage(io, "unknown action '" + std::string(args[0]) + "'");
  o.decode = args[0] == "decode";
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string_view a = args[i];
    std::string_view dictValue;
    if (a == "--dict") {
      if (i + 1 == args.size()) return usage(io, "--dict needs a value");
      dictValue = args[++i];
    } else if (a.starts_with("--dict=")) {
      dictValue = a.substr(7);
    } else if (a == "--raw") {
      o.raw = true;
      continue;
    } else if (a == "--compact" && o.decode) {
      o.compact = true;
      continue;
    } else if (a == "--help" || a == "-h") {
      io.out << kUsage;
      return kExitOk;
    } else if (a.starts_with("--")) {
      return usage(io, "unknown option '" + std::string(a) + "'");
    } else {
      if (o.input) return usage(io, "more than one input");
      o.input = a;
      continue;
    }
    if (dictValue == "2") {
      o.dict = binary::DictVersion::V2;
    } else if (dictValue == "3") {
      o.dict = binary::DictVersion::V3;
    } else {
      return usage(io, "--dict must be 2 or 3");
    }
  }
  if (!o.dict) return usage(io, "--dict is required");
  if (!o.input) return usage(io, o.decode ? "missing HEX" : "missing TEXT");
  return std::nullopt;
}

int badInput(CommandIo io, const core::Error& e) {
  io.err << "chorus-cli codec: " << core::describe(e) << "\n";
  return kExitBadInput;
}

}  // namespace

int runCodecCommand(std::span<const std::string_view> args, CommandIo io) {
  Options o;
  if (auto exit = parseOptions(args, io, o)) return *exit;
  std::string stdinText;
  std::string_view input = *o.input;
  if (input == "-") {
    stdinText.assign(std::istreambuf_iterator<char>(io.in), std::istreambuf_iterator<char>());
    input = stdinText;
  }

  if (o.decode) {
    auto bytes = core::fromHex(input);
    if (!bytes) return badInput(io, bytes.error());
    auto node = o.raw ? binary::decode(*bytes, *o.dict) : binary::decodeFrame(*bytes, *o.dict);
    if (!node) return badInput(io, node.error());
    io.out << binary::toText(*node,
                             o.compact ? binary::TextStyle::Compact : binary::TextStyle::Indented)
           << "\n";
    return kExitOk;
  }
  auto node = binary::fromText(input);
  if (!node) return badInput(io, node.error());
  auto bytes = o.raw ? binary::encode(*node, *o.dict) : binary::encodeFrame(*node, *o.dict);
  if (!bytes) return badInput(io, bytes.error());
  io.out << core::toHex(*bytes) << "\n";
  return kExitOk;
}

}  // namespace chorus::app::cli
