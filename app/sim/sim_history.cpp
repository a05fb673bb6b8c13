#include "app/sim/sim_history.h"

#include <QString>
#include <zlib.h>

#include "app/sim/media_store.h"
#include "core/crypto/aes_cbc.h"
#include "core/crypto/hash.h"
#include "proto/history.pb.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::Errc;
using core::fail;

constexpr std::string_view kHistoryInfo = "WhatsApp History Keys";
constexpr std::size_t kMediaKeySize = 32;
constexpr std::size_t kExpandedSize = 112;  // iv 16, cipher key 32, mac key 32, ref key 32
constexpr std::size_t kMacSize = 10;
constexpr std::size_t kAppStateKeyIdSize = 6;
constexpr std::size_t kAppStateKeySize = 32;
constexpr std::uint32_t kFullProgress = 100;

std::string chatJid(const std::string& id) {
  return id.find('@') == std::string::npos ? id + "@s.whatsapp.net" : id;
}

core::Result<Bytes> deflate(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  Bytes out(size);
  if (compress2(out.data(), &size, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), Z_DEFAULT_COMPRESSION) != Z_OK) {
    return fail(Errc::Io, "zlib deflate failed");
  }
  out.resize(size);
  return out;
}

std::string bytesString(core::BytesView bytes) {
  return std::string(core::asString(bytes));
}

}  // namespace

core::Result<HistoryUpload> buildHistorySync(const HistoryInput& input, const std::string& folder,
                                             const std::string& hostname, core::Random& random) {
  proto::HistorySync history;
  history.set_synctype(proto::HistorySync::INITIAL_BOOTSTRAP);
  history.set_chunkorder(0);
  history.set_progress(kFullProgress);
  std::uint64_t order = 1;
  for (const HistoryConversation& in : input.conversations) {
    if (in.id.empty()) return fail(Errc::InvalidArgument, "a conversation needs an id");
    proto::Conversation* conversation = history.add_conversations();
    const std::string jid = chatJid(in.id);
    conversation->set_id(jid);
    if (!in.name.empty()) conversation->set_name(in.name);
    std::int64_t latest = 0;
    for (const HistoryMessage& m : in.messages) {
      proto::HistorySyncMsg* item = conversation->add_messages();
      item->set_msgorderid(order++);
      proto::WebMessageInfo* info = item->mutable_message();
      info->mutable_key()->set_remotejid(jid);
      info->mutable_key()->set_fromme(m.fromMe);
      info->mutable_key()->set_id("3EB0" + core::toHex(random.bytes(9)));
      info->mutable_message()->set_conversation(m.text);
      info->set_messagetimestamp(static_cast<std::uint64_t>(m.timestamp));
      latest = std::max(latest, m.timestamp);
    }
    if (latest > 0) conversation->set_conversationtimestamp(static_cast<std::uint64_t>(latest));
  }
  for (const HistoryPushName& p : input.pushnames) {
    proto::Pushname* name = history.add_pushnames();
    name->set_id(chatJid(p.id));
    name->set_pushname(p.name);
  }

  CHORUS_TRY(plain, deflate(history.SerializeAsString()));
  const core::SecretBytes mediaKey = random.secret(kMediaKeySize);
  CHORUS_TRY(expanded, core::crypto::hkdfSha256(mediaKey.view(), {}, core::asBytes(kHistoryInfo),
                                                kExpandedSize));
  const core::BytesView keys = expanded.view();
  const core::BytesView iv = keys.subspan(0, 16);
  CHORUS_TRY(ciphertext, core::crypto::aesCbcEncrypt(keys.subspan(16, 32), iv, plain));
  const Bytes mac = core::crypto::hmacSha256(keys.subspan(48, 32), core::concat({iv, ciphertext}));
  Bytes blob = ciphertext;
  blob.insert(blob.end(), mac.begin(), mac.begin() + kMacSize);

  const MediaStore store(QString::fromStdString(folder));
  CHORUS_CHECK(store.open());
  CHORUS_TRY(id, store.put(QByteArray(reinterpret_cast<const char*>(blob.data()),
                                      static_cast<qsizetype>(blob.size()))));
  HistoryUpload upload;
  upload.directPath = "/v/" + id.toStdString() + ".enc?x=1";
  upload.url = "https://" + hostname + upload.directPath;

  auto* protocol = upload.notification.mutable_protocolmessage();
  protocol->set_type(proto::Message::ProtocolMessage::HISTORY_SYNC_NOTIFICATION);
  auto* n = protocol->mutable_historysyncnotification();
  n->set_filesha256(bytesString(core::crypto::sha256(plain)));
  n->set_filelength(plain.size());
  n->set_mediakey(bytesString(mediaKey.view()));
  n->set_fileencsha256(bytesString(core::crypto::sha256(blob)));
  n->set_directpath(upload.directPath);
  n->set_synctype(proto::Message::HistorySyncNotification::INITIAL_BOOTSTRAP);
  n->set_chunkorder(0);
  n->set_progress(kFullProgress);
  return upload;
}

proto::Message appStateKeyShare(core::Random& random, std::int64_t nowSeconds) {
  proto::Message message;
  auto* protocol = message.mutable_protocolmessage();
  protocol->set_type(proto::Message::ProtocolMessage::APP_STATE_SYNC_KEY_SHARE);
  auto* key = protocol->mutable_appstatesynckeyshare()->add_keys();
  key->mutable_keyid()->set_keyid(bytesString(random.bytes(kAppStateKeyIdSize)));
  auto* data = key->mutable_keydata();
  const core::SecretBytes secret = random.secret(kAppStateKeySize);
  data->set_keydata(bytesString(secret.view()));
  data->mutable_fingerprint()->set_rawid(random.nextU32());
  data->mutable_fingerprint()->set_currentindex(0);
  data->mutable_fingerprint()->add_deviceindexes(0);
  data->set_timestamp(nowSeconds * 1000);
  return message;
}

}  // namespace chorus::sim
