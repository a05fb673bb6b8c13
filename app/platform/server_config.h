// ServerConfig: which WhatsApp-protocol server a Chorus process talks to. By default the real
// one; `--server FILE` points at a chorus-sim instead, FILE being the server.json the simulator
// writes when it is ready (docs/sim.md):
//   {"ca":"/tmp/d/tls/ca.pem","control":"http://127.0.0.1:42421",
//    "media":"https://127.0.0.1:39173","root_key":"<64 hex>","ws":"ws://127.0.0.1:41371/ws/chat"}
//
// Fields: `ws` (required; ws:// or wss:// with a host) the chat endpoint; `root_key`
// (required; exactly 64 hex digits) the Noise certificate root; `control` (optional; http or
// https) the simulator's control API; `media` (optional; http or https) the simulator's media
// host; `ca` (optional) a PEM file to trust in addition to the system's, relative paths taken
// from the folder of server.json, and it must exist. Unknown keys are ignored.
//
// Errors (each detail names the file and the field): NotFound for a missing server.json or ca
// file, Io when it cannot be read, TooLarge over 64 KiB, Malformed for bad JSON, a missing
// field, a field of the wrong type or an invalid value.
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::app {

// The real WhatsApp chat endpoint.
inline constexpr char kWhatsAppChatUrl[] = "wss://web.whatsapp.com/ws/chat";

struct ServerConfig {
  QUrl chatUrl;         // ws: the WebSocket chat endpoint
  QUrl controlUrl;      // empty for WhatsApp
  QUrl mediaUrl;        // empty for WhatsApp (media hosts come from media_conn)
  core::Bytes rootKey;  // 32 bytes: the trusted root of the Noise certificate chain
  QString caPath;       // absolute; empty: only the system's trust store
};

// The real WhatsApp: wss://web.whatsapp.com/ws/chat, WhatsApp's root key
// (core::noise::kWhatsAppRootKey), no control or media override, no extra CA.
[[nodiscard]] ServerConfig defaultServerConfig();

// Reads and validates a chorus-sim server.json.
[[nodiscard]] core::Result<ServerConfig> loadServerConfig(const QString& path);

// Validates JSON text; `origin` names it in errors and its folder anchors a relative `ca`.
[[nodiscard]] core::Result<ServerConfig> parseServerConfig(const QByteArray& json,
                                                           const QString& origin);

// For `--server FILE`: the default when `path` is empty, else loadServerConfig(path).
[[nodiscard]] core::Result<ServerConfig> serverConfigFromOption(const QString& path);

}  // namespace chorus::app
