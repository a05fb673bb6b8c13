#include "app/cli/cli_args.h"

#include <algorithm>
#include <charconv>

namespace chorus::app::cli {

CommandArgs parseCommandArgs(std::span<const std::string_view> args,
                             std::initializer_list<std::string_view> flags,
                             std::initializer_list<std::string_view> valueOptions) {
  CommandArgs parsed;
  const auto isIn = [](std::initializer_list<std::string_view> list, std::string_view a) {
    return std::find(list.begin(), list.end(), a) != list.end();
  };
  bool optionsEnded = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (optionsEnded || !a.starts_with("-") || a == "-") {
      parsed.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      optionsEnded = true;
    } else if (a == "--help" || a == "-h") {
      parsed.help = true;
    } else if (isIn(flags, a)) {
      parsed.flags.insert(a);
    } else if (isIn(valueOptions, a)) {
      if (i + 1 == args.size()) {
        parsed.error = std::string(a) + " needs a value";
        return parsed;
      }
      parsed.values[a] = args[++i];
    } else if (const auto eq = a.find('=');
               eq != std::string_view::npos && isIn(valueOptions, a.substr(0, eq))) {
      parsed.values[a.substr(0, eq)] = a.substr(eq + 1);
    } else {
      parsed.error = "unknown option '" + std::string(a) + "'";
      return parsed;
    }
  }
  return parsed;
}

bool parseInteger(std::string_view text, int min, int max, int& out) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

}  // namespace chorus::app::cli
