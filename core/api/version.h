// The application's identity, shared by every executable and the UI.
#pragma once

#include <string_view>

namespace chorus::api {

inline constexpr std::string_view kAppName = "Chorus";
inline constexpr std::string_view kAppVersion = "0.1.0";
inline constexpr std::string_view kOrganization = "Chorus";

}  // namespace chorus::api
