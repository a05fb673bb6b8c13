// chorus_proto field numbers checked against bytes Baileys produced: the §3.5/§3.6/§6.3/§9.1
// vectors, and for the Message / HistorySync / ADV subsets the same messages encoded with
// Baileys 6.17.16's protobufjs WAProto (node, once, when these tests were written).
#include <gtest/gtest.h>

#include "core/protocol/noise/proto_io.h"
#include "proto/adv.pb.h"
#include "proto/client_payload.pb.h"
#include "proto/device_props.pb.h"
#include "proto/handshake.pb.h"
#include "proto/history.pb.h"
#include "proto/message.pb.h"
#include "proto/web_message_info.pb.h"
#include "tests/unit/protocol/noise/noise_test_util.h"

namespace chorus::core::noise {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers
namespace pb = ::chorus::proto;

std::string hexOf(const google::protobuf::MessageLite& msg) { return toHex(serializeProto(msg)); }

TEST(ProtoEncoding, LoginClientPayloadMatchesBaileys) {
  pb::ClientPayload payload;
  payload.set_username(15551234567u);
  payload.set_passive(false);
  auto* agent = payload.mutable_useragent();
  agent->set_platform(pb::ClientPayload::UserAgent::WEB);
  agent->mutable_appversion()->set_primary(2);
  agent->mutable_appversion()->set_secondary(3000);
  agent->mutable_appversion()->set_tertiary(1019707846);
  agent->set_mcc("000");
  agent->set_mnc("000");
  agent->set_osversion("0.1");
  agent->set_device("Desktop");
  agent->set_osbuildnumber("0.1");
  agent->set_releasechannel(pb::ClientPayload::UserAgent::RELEASE);
  agent->set_localelanguageiso6391("en");
  agent->set_localecountryiso31661alpha2("US");
  payload.mutable_webinfo()->set_websubplatform(pb::ClientPayload::WebInfo::WEB_BROWSER);
  payload.set_connecttype(pb::ClientPayload::WIFI_UNKNOWN);
  payload.set_connectreason(pb::ClientPayload::USER_ACTIVATED);
  payload.set_device(2);
  payload.set_pull(true);
  EXPECT_EQ(hexOf(payload), vectors::kLoginPayload);
}

TEST(ProtoEncoding, RegistrationClientPayloadParses) {
  const Bytes bytes = hex(vectors::kRegistrationPayload);
  auto payload = parseProto<pb::ClientPayload>(bytes, "ClientPayload");
  ASSERT_TRUE(payload.has_value());
  EXPECT_FALSE(payload->has_username());
  EXPECT_FALSE(payload->has_device());
  EXPECT_FALSE(payload->pull());
  EXPECT_EQ(payload->useragent().platform(), pb::ClientPayload::UserAgent::WEB);
  EXPECT_EQ(payload->useragent().appversion().tertiary(), 1019707846u);
  const auto& reg = payload->devicepairingdata();
  EXPECT_EQ(toHex(asBytes(reg.eregid())), "00001234");
  EXPECT_EQ(toHex(asBytes(reg.ekeytype())), "05");
  EXPECT_EQ(toHex(asBytes(reg.eident())),
            "1cf579aba45a10ba1d1ef06d91fca2aa9ed0a1150515653155405d0b18cb9a67");
  EXPECT_EQ(toHex(asBytes(reg.eskeyid())), "000001");
  EXPECT_EQ(reg.eskeyval().size(), 32u);
  EXPECT_EQ(reg.eskeysig().size(), 64u);
  EXPECT_EQ(toHex(asBytes(reg.buildhash())), "1c24b32925da6df1b1d672b61de4f238");
  EXPECT_EQ(toHex(asBytes(reg.deviceprops())), "0a065562756e747518012000");
  auto props = parseProto<pb::DeviceProps>(asBytes(reg.deviceprops()), "DeviceProps");
  ASSERT_TRUE(props.has_value());
  EXPECT_EQ(props->os(), "Ubuntu");
  EXPECT_EQ(props->platformtype(), pb::DeviceProps::CHROME);
  EXPECT_TRUE(props->has_requirefullsync());
  // Nothing unknown: every field Baileys wrote is declared, so it re-encodes identically.
  EXPECT_EQ(toHex(serializeProto(*payload)), toHex(bytes));
}

TEST(ProtoEncoding, DevicePropsAndHistorySyncConfig) {
  pb::DeviceProps props;
  props.set_os("Ubuntu");
  props.set_platformtype(pb::DeviceProps::CHROME);
  props.set_requirefullsync(false);
  EXPECT_EQ(hexOf(props), "0a065562756e747518012000");
  props.mutable_historysyncconfig()->set_storagequotamb(10240);
  props.mutable_historysyncconfig()->set_inlineinitialpayloadine2eemsg(true);
  EXPECT_EQ(hexOf(props), "0a065562756e747518012000" "2a05" "188050" "2001");
}

TEST(ProtoEncoding, AdvStructuresMatchThePairingVector) {
  pb::ADVDeviceIdentity identity;
  identity.set_rawid(12345);
  identity.set_timestamp(1700000000);
  identity.set_keyindex(7);
  EXPECT_EQ(hexOf(identity), "08b9601080e2cfaa061807");

  auto hmac = parseProto<pb::ADVSignedDeviceIdentityHMAC>(
      hex(vectors::kAdvSignedDeviceIdentityHmac), "hmac");
  ASSERT_TRUE(hmac.has_value());
  EXPECT_EQ(toHex(asBytes(hmac->details())), vectors::kAdvSignedDeviceIdentity);
  EXPECT_EQ(hmac->hmac().size(), 32u);
  auto signedIdentity =
      parseProto<pb::ADVSignedDeviceIdentity>(asBytes(hmac->details()), "identity");
  ASSERT_TRUE(signedIdentity.has_value());
  EXPECT_EQ(toHex(asBytes(signedIdentity->details())), "08b9601080e2cfaa061807");
  EXPECT_EQ(signedIdentity->accountsignaturekey().size(), 32u);
  EXPECT_EQ(signedIdentity->accountsignature().size(), 64u);
  EXPECT_FALSE(signedIdentity->has_devicesignature());

  pb::ADVKeyIndexList list;
  list.set_rawid(1);
  list.add_validindexes(0);
  list.add_validindexes(7);
  list.set_accounttype(pb::HOSTED);
  EXPECT_EQ(hexOf(list), "0801" "22020007" "2801");  // field 4 packed
  pb::ADVSignedKeyIndexList signedList;
  signedList.set_accountsignaturekey("k");
  EXPECT_EQ(hexOf(signedList), "1a016b");
}

TEST(ProtoEncoding, HandshakeMessagesFromTheVector) {
  auto hello = parseProto<pb::HandshakeMessage>(clientHelloPayload(), "hello").value();
  EXPECT_EQ(toHex(asBytes(hello.clienthello().ephemeral())), vectors::kClientEphemeralPub);
  auto server = parseProto<pb::HandshakeMessage>(framePayload(vectors::kFrame2), "s").value();
  EXPECT_EQ(toHex(asBytes(server.serverhello().ephemeral())), vectors::kServerEphemeralPub);
  EXPECT_EQ(toHex(asBytes(server.serverhello().static_())), vectors::kEncryptedServerStatic);
  auto finish = parseProto<pb::HandshakeMessage>(framePayload(vectors::kFrame3), "f").value();
  EXPECT_EQ(finish.clientfinish().static_().size(), 48u);
}

TEST(ProtoEncoding, MessageSubset) {
  pb::Message text;
  text.set_conversation("hello");
  EXPECT_EQ(hexOf(text), "0a0568656c6c6f");

  pb::Message history;
  auto* protocol = history.mutable_protocolmessage();
  protocol->set_type(pb::Message::ProtocolMessage::HISTORY_SYNC_NOTIFICATION);
  protocol->mutable_historysyncnotification()->set_chunkorder(1);
  EXPECT_EQ(hexOf(history), "6206" "1005" "32023801");

  pb::Message keyShare;
  auto* share = keyShare.mutable_protocolmessage();
  share->set_type(pb::Message::ProtocolMessage::APP_STATE_SYNC_KEY_SHARE);
  share->mutable_appstatesynckeyshare()->add_keys()->mutable_keyid()->set_keyid("A");
  EXPECT_EQ(hexOf(keyShare), "620b" "1006" "3a07" "0a05" "0a03" "0a0141");

  pb::Message dsm;
  dsm.mutable_devicesentmessage()->set_destinationjid("a");
  dsm.mutable_devicesentmessage()->mutable_message()->set_conversation("x");
  dsm.mutable_messagecontextinfo()->set_messagesecret("s");
  EXPECT_EQ(hexOf(dsm), "fa0108" "0a0161" "1203" "0a0178" "9a0203" "1a0173");

  pb::Message skdm;
  skdm.mutable_senderkeydistributionmessage()->set_groupid("g");
  skdm.mutable_extendedtextmessage()->set_text("t");
  skdm.mutable_extendedtextmessage()->mutable_contextinfo()->set_stanzaid("q");
  EXPECT_EQ(hexOf(skdm), "1203" "0a0167" "3209" "0a0174" "8a0103" "0a0171");

  pb::Message media;
  media.mutable_imagemessage()->set_mediakey("k");
  media.mutable_documentmessage()->set_filename("f");
  media.mutable_audiomessage()->set_ptt(true);
  media.mutable_videomessage()->set_directpath("d");
  EXPECT_EQ(hexOf(media), "1a03" "42016b" "3a03" "420166" "4202" "3001" "4a03" "6a0164");
}

TEST(ProtoEncoding, HistorySyncSubset) {
  pb::HistorySync sync;
  sync.set_synctype(pb::HistorySync::RECENT);
  sync.set_chunkorder(2);
  sync.set_progress(50);
  auto* pushname = sync.add_pushnames();
  pushname->set_id("j");
  pushname->set_pushname("n");
  auto* conversation = sync.add_conversations();
  conversation->set_id("c");
  conversation->set_name("N");
  auto* msg = conversation->add_messages();
  msg->set_msgorderid(1);
  auto* info = msg->mutable_message();
  info->mutable_key()->set_remotejid("c");
  info->mutable_key()->set_fromme(true);
  info->mutable_key()->set_id("I");
  info->mutable_message()->set_conversation("h");
  info->set_messagetimestamp(5);
  info->set_status(pb::WebMessageInfo::READ);
  info->set_participant("p");
  info->set_pushname("P");
  EXPECT_EQ(hexOf(sync),
            "0803"                                   // syncType RECENT
            "1226" "0a0163"                          // conversation id "c"
            "121e" "0a1a"                            // messages[0].message (WebMessageInfo)
            "0a08" "0a0163" "1001" "1a0149"          //   key
            "1203" "0a0168"                          //   message.conversation
            "1805" "2004" "2a0170" "9a010150"        //   timestamp, status, participant, pushName
            "1001"                                   // msgOrderId
            "6a014e"                                 // name (13)
            "2802" "3032"                            // chunkOrder, progress
            "3a06" "0a016a" "12016e");               // pushnames
  auto back = parseProto<pb::HistorySync>(serializeProto(sync), "history");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->conversations(0).messages(0).message().key().id(), "I");
}

TEST(ProtoEncoding, MissingRequiredFieldsFailToParse) {
  // HistorySync.syncType is required (as in WhatsApp's schema): a blob without it is rejected.
  EXPECT_FALSE(parseProto<pb::HistorySync>(hex("2802"), "history").has_value());
}

}  // namespace
}  // namespace chorus::core::noise
