// The JSON lines chorus-cli prints (docs/cli.md "JSON lines"): one compact object per line.
// Nothing here ever carries a full phone number (only AccountSummary::maskedPhone) or a key.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <optional>
#include <string_view>

#include "core/api/account_events.h"

namespace chorus::app::cli {

// ISO-8601 UTC with milliseconds ("2024-05-01T12:00:00.000Z"); null for the zero time.
[[nodiscard]] QJsonValue isoTime(api::TimePoint t);
[[nodiscard]] QJsonValue isoTime(const std::optional<api::TimePoint>& t);

// {"account","id","state","reason","code","since","next_retry","attempt","banned_until"}
[[nodiscard]] QJsonObject statusJson(std::string_view name, std::string_view id,
                                     const api::ConnectionStatus& status);
// {"id","name","phone","state","reason","since","auto_connect","problem"}
[[nodiscard]] QJsonObject summaryJson(const api::AccountSummary& summary);

[[nodiscard]] QString qs(std::string_view text);

}  // namespace chorus::app::cli
