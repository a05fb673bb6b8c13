// SimHistory: the simulated phone's history sync (protocol notes §11, §12.1, §15.7). Builds a
// HistorySync (INITIAL_BOOTSTRAP), zlib-deflates it, encrypts it as media with a fresh media key
// ("WhatsApp History Keys": AES-256-CBC, HMAC-SHA256 truncated to 10 bytes), stores the blob in
// the MediaHost's MediaStore and returns the Message{protocolMessage{HISTORY_SYNC_NOTIFICATION}}
// that points to it. Also the APP_STATE_SYNC_KEY_SHARE a phone sends to a new companion (§15.2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/random.h"
#include "core/util/result.h"
#include "proto/message.pb.h"

namespace chorus::sim {

struct HistoryMessage {
  bool fromMe = false;
  std::string text;
  std::int64_t timestamp = 0;  // Unix seconds
};

struct HistoryConversation {
  std::string id;  // chat JID ("15550100001@s.whatsapp.net"); bare digits get the user server
  std::string name;
  std::vector<HistoryMessage> messages;
};

struct HistoryPushName {
  std::string id;
  std::string name;
};

struct HistoryInput {
  std::vector<HistoryConversation> conversations;
  std::vector<HistoryPushName> pushnames;
};

struct HistoryUpload {
  proto::Message notification;  // protocolMessage type 5
  std::string directPath;
  std::string url;
};

// `folder` is the media store folder, `hostname` the media host's "127.0.0.1:PORT".
// Errc::InvalidArgument for a conversation without id; MediaStore's errors.
[[nodiscard]] core::Result<HistoryUpload> buildHistorySync(const HistoryInput& input,
                                                           const std::string& folder,
                                                           const std::string& hostname,
                                                           core::Random& random);

// A Message{protocolMessage{APP_STATE_SYNC_KEY_SHARE, one fresh key}}.
[[nodiscard]] proto::Message appStateKeyShare(core::Random& random, std::int64_t nowSeconds);

}  // namespace chorus::sim
