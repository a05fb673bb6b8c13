// A small parser for a command's own arguments: flags (--json), options with a value
// (--timeout S, --timeout=S) and positionals; "--" ends the options.
#pragma once

#include <initializer_list>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chorus::app::cli {

struct CommandArgs {
  std::vector<std::string_view> positional;
  std::map<std::string_view, std::string_view, std::less<>> values;
  std::set<std::string_view, std::less<>> flags;
  bool help = false;  // --help or -h
  std::string error;  // non-empty: a usage error

  [[nodiscard]] bool has(std::string_view flag) const { return flags.count(flag) != 0; }
  [[nodiscard]] std::string_view value(std::string_view option) const {
    auto it = values.find(option);
    return it == values.end() ? std::string_view{} : it->second;
  }
};

[[nodiscard]] CommandArgs parseCommandArgs(std::span<const std::string_view> args,
                                           std::initializer_list<std::string_view> flags,
                                           std::initializer_list<std::string_view> valueOptions);

// "30" → 30; false (and `out` untouched) for anything that is not a whole number in [min, max].
[[nodiscard]] bool parseInteger(std::string_view text, int min, int max, int& out);
[[nodiscard]] inline bool parseSeconds(std::string_view text, int min, int max, int& out) {
  return parseInteger(text, min, max, out);
}

}  // namespace chorus::app::cli
