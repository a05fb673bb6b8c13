#include "app/cli/global_options.h"

#include <array>

namespace chorus::app::cli {
namespace {

struct ValueOption {
  std::string_view name;
  std::string GlobalOptions::*field;
};

constexpr std::array kValueOptions = {
    ValueOption{"--data", &GlobalOptions::dataDir},
    ValueOption{"--server", &GlobalOptions::serverFile},
    ValueOption{"--passphrase-file", &GlobalOptions::passphraseFile},
};

}  // namespace

ParsedCommandLine parseGlobalOptions(std::span<const std::string_view> args) {
  ParsedCommandLine parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--") {
      parsed.rest.insert(parsed.rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i),
                         args.end());
      break;
    }
    if (a == "--verbose" || a == "-v") {
      parsed.global.verbose = true;
      continue;
    }
    bool matched = false;
    for (const ValueOption& option : kValueOptions) {
      if (a == option.name) {
        if (i + 1 == args.size() || args[i + 1].empty()) {
          parsed.error = std::string(option.name) + " needs a value";
          return parsed;
        }
        parsed.global.*option.field = std::string(args[++i]);
        matched = true;
      } else if (a.size() > option.name.size() && a.starts_with(option.name) &&
                 a[option.name.size()] == '=') {
        const std::string_view value = a.substr(option.name.size() + 1);
        if (value.empty()) {
          parsed.error = std::string(option.name) + " needs a value";
          return parsed;
        }
        parsed.global.*option.field = std::string(value);
        matched = true;
      }
      if (matched) break;
    }
    if (!matched) parsed.rest.push_back(a);
  }
  return parsed;
}

}  // namespace chorus::app::cli
