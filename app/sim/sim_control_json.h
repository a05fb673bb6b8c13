// Helpers shared by the control API's route files (sim_control_sessions.cpp): JSON errors with
// HTTP codes by Errc, and the JSON object body of a request.
#pragma once

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <optional>
#include <string>

#include "core/util/result.h"

namespace chorus::sim::control {

using HttpStatus = QHttpServerResponder::StatusCode;

inline constexpr qsizetype kMaxBody = 64 * 1024;

[[nodiscard]] inline QHttpServerResponse jsonError(HttpStatus status, const std::string& message) {
  return QHttpServerResponse(
      QJsonObject{{QStringLiteral("error"), QString::fromStdString(message)}}, status);
}

// 400 InvalidArgument, 403 Auth, 404 NotFound, 409 Unsupported, 410 Timeout, else 500.
[[nodiscard]] inline QHttpServerResponse jsonError(const core::Error& error) {
  switch (error.code) {
    case core::Errc::InvalidArgument: return jsonError(HttpStatus::BadRequest, error.detail);
    case core::Errc::Auth: return jsonError(HttpStatus::Forbidden, error.detail);
    case core::Errc::NotFound: return jsonError(HttpStatus::NotFound, error.detail);
    case core::Errc::Unsupported: return jsonError(HttpStatus::Conflict, error.detail);
    case core::Errc::Timeout: return jsonError(HttpStatus::Gone, error.detail);
    default: return jsonError(HttpStatus::InternalServerError, core::describe(error));
  }
}

// The body as a JSON object; an empty body is an empty object; nullopt when it is not JSON.
[[nodiscard]] inline std::optional<QJsonObject> jsonObject(const QHttpServerRequest& request) {
  if (request.body().size() > kMaxBody) return std::nullopt;
  if (request.body().trimmed().isEmpty()) return QJsonObject{};
  QJsonParseError error{};
  const QJsonDocument document = QJsonDocument::fromJson(request.body(), &error);
  if (error.error != QJsonParseError::NoError || !document.isObject()) return std::nullopt;
  return document.object();
}

}  // namespace chorus::sim::control
