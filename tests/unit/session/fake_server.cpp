#include "tests/unit/session/fake_server.h"

#include <utility>

#include <gtest/gtest.h>

#include "core/crypto/hash.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/frame/intro.h"
#include "core/protocol/jid/jid.h"
#include "core/protocol/noise/cert_chain.h"
#include "core/protocol/noise/proto_io.h"
#include "core/session/stanzas.h"
#include "proto/adv.pb.h"

namespace chorus::core::session::test {
namespace {

constexpr std::uint64_t kNotBefore = 1'600'000'000;
constexpr std::uint64_t kNotAfter = 4'102'444'800;

jid::Jid parseJid(std::string_view text) {
  auto parsed = jid::parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.has_value() ? *parsed : jid::Jid{};
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = text.find(sep, start);
    parts.emplace_back(text.substr(start, pos - start));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

Bytes base64(std::string_view text) {
  auto bytes = fromBase64(text);
  EXPECT_TRUE(bytes.has_value());
  return bytes.has_value() ? *bytes : Bytes{};
}

std::string str(BytesView b) {
  return std::string(asString(b));
}

}  // namespace

Bytes hex(std::string_view text) {
  auto bytes = fromHex(text);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in test vector";
  return bytes.has_value() ? std::move(bytes).value() : Bytes{};
}

crypto::KeyPair fixedKeyPair(std::uint8_t fill) {
  return crypto::keyPairFromPrivate(Bytes(32, fill)).value();
}

FakeServer::FakeServer(Random& random)
    : random_(random), root_(fixedKeyPair(0x55)), static_(fixedKeyPair(0x44)) {
  const crypto::KeyPair intermediate = fixedKeyPair(0x66);
  noise::CertChainParams params;
  params.rootPrivateKey = root_.privateKey.view();
  params.intermediatePrivateKey = intermediate.privateKey.view();
  params.leafKey = static_.publicKey;
  params.notBefore = kNotBefore;
  params.notAfter = kNotAfter;
  certChain_ = noise::createCertChain(params, random_).value();
}

void FakeServer::accept() {
  ++connections_;
  frame::FrameDecoder::Options decoderOptions;
  decoderOptions.role = frame::Role::Server;
  decoder_.emplace(decoderOptions);
  frame::FrameEncoder::Options encoderOptions;
  encoderOptions.role = frame::Role::Server;
  encoder_.emplace(frame::FrameEncoder::create(std::move(encoderOptions)).value());
  responder_.reset();
  cipher_.reset();
  payload_.Clear();
  clientStatic_.clear();
  received_.clear();
}

Bytes FakeServer::onClientBytes(BytesView bytes) {
  Bytes out;
  if (!decoder_) {
    ADD_FAILURE() << "client bytes without a connection";
    return out;
  }
  auto frames = decoder_->feed(bytes);
  EXPECT_TRUE(frames.has_value());
  if (!frames) return out;
  for (const Bytes& frame : *frames) onFrame(frame, out);
  return out;
}

void FakeServer::onFrame(BytesView frame, Bytes& out) {
  if (!responder_) {
    const std::uint8_t version = decoder_->dictVersion().value_or(0);
    dict_ = static_cast<binary::DictVersion>(version);
    noise::ResponderConfig config;
    config.prologue = frame::introHeader(version).value();
    config.staticKey = crypto::KeyPair{static_.privateKey.clone(), static_.publicKey};
    config.ephemeralKey = crypto::generateKeyPair(random_).value();
    config.certChain = certChain_;
    responder_.emplace(noise::NoiseResponder::create(std::move(config)).value());
    auto hello = responder_->onClientHello(frame);
    EXPECT_TRUE(hello.has_value());
    if (hello) append(out, encoder_->encode(*hello).value());
    return;
  }
  if (!cipher_) {
    auto finish = responder_->onClientFinish(frame);
    EXPECT_TRUE(finish.has_value());
    if (!finish) return;
    clientStatic_ = finish->clientStaticKey;
    EXPECT_TRUE(payload_.ParseFromArray(finish->clientPayload.data(),
                                        static_cast<int>(finish->clientPayload.size())));
    cipher_.emplace(responder_->transport().value());
    return;
  }
  auto plaintext = cipher_->decrypt(frame);
  EXPECT_TRUE(plaintext.has_value());
  if (!plaintext) return;
  auto node = binary::decodeFrame(*plaintext, dict_);
  EXPECT_TRUE(node.has_value());
  if (!node) return;
  if (answerPings && node->tag == "iq" && node->attrText("xmlns") == "w:p" &&
      node->attrText("type") == "get") {
    append(out, send(iqResult(node->attrText("id").value_or(""))));
  }
  received_.push_back(std::move(*node));
}

Bytes FakeServer::send(const binary::Node& node) {
  if (!cipher_) {
    ADD_FAILURE() << "send before the handshake";
    return {};
  }
  const Bytes plaintext = binary::encodeFrame(node, dict_).value();
  return encoder_->encode(cipher_->encrypt(plaintext).value()).value();
}

std::vector<binary::Node> FakeServer::takeReceived() {
  return std::exchange(received_, {});
}

binary::Node pairDevice(std::string id, const std::vector<std::string>& refs) {
  binary::Children refNodes;
  for (const std::string& ref : refs) refNodes.push_back(binary::Node{"ref", {}, toBytes(ref)});
  binary::Node iq;
  iq.tag = "iq";
  iq.set("from", serverJid()).set("type", std::string("set")).set("id", std::move(id));
  iq.set("xmlns", std::string("md"));
  iq.content = binary::Children{binary::Node{"pair-device", {}, std::move(refNodes)}};
  return iq;
}

binary::Node pairSuccess(std::string id, std::string_view qr, const Phone& phone, Random& random,
                         Forgery forgery) {
  const std::vector<std::string> parts = split(qr, ',');
  EXPECT_EQ(parts.size(), 4u);
  if (parts.size() != 4) return {};
  return pairSuccessWithSecret(std::move(id), base64(parts[2]), base64(parts[3]), phone, random,
                               forgery);
}

binary::Node pairSuccessWithSecret(std::string id, BytesView identityPub, BytesView advSecret,
                                   const Phone& phone, Random& random, Forgery forgery) {
  proto::ADVDeviceIdentity identity;
  identity.set_rawid(phone.rawId);
  identity.set_timestamp(1'700'000'000);
  identity.set_keyindex(phone.keyIndex);
  const Bytes details = noise::serializeProto(identity);
  const std::uint8_t prefix[] = {
      0x06, forgery == Forgery::BadAccountSignature ? std::uint8_t{0x01} : std::uint8_t{0x00}};
  const Bytes accountSignature = crypto::xeddsaSign(phone.accountKey.privateKey.view(),
                                                    concat({prefix, details, identityPub}), random)
                                     .value();
  proto::ADVSignedDeviceIdentity signedIdentity;
  signedIdentity.set_details(str(details));
  signedIdentity.set_accountsignaturekey(str(phone.accountKey.publicKey));
  signedIdentity.set_accountsignature(str(accountSignature));
  const Bytes signedBytes = noise::serializeProto(signedIdentity);
  Bytes mac = crypto::hmacSha256(advSecret, signedBytes);
  if (forgery == Forgery::BadHmac) mac[0] ^= 0x01;
  proto::ADVSignedDeviceIdentityHMAC container;
  container.set_details(str(signedBytes));
  container.set_hmac(str(mac));

  binary::Node device;
  device.tag = "device";
  device.set("jid", parseJid(phone.deviceJid)).set("lid", parseJid(phone.lid));
  binary::Node platform;
  platform.tag = "platform";
  platform.set("name", std::string("android"));
  binary::Node success;
  success.tag = "pair-success";
  success.content =
      binary::Children{binary::Node{"device-identity", {}, noise::serializeProto(container)},
                       std::move(device), std::move(platform)};
  binary::Node iq;
  iq.tag = "iq";
  iq.set("from", serverJid()).set("type", std::string("set")).set("id", std::move(id));
  iq.set("xmlns", std::string("md"));
  iq.content = binary::Children{std::move(success)};
  return iq;
}

binary::Node streamError(std::string code) {
  binary::Node node;
  node.tag = "stream:error";
  node.set("code", std::move(code));
  return node;
}

binary::Node failure(std::string reason) {
  binary::Node node;
  node.tag = "failure";
  node.set("reason", std::move(reason));
  return node;
}

binary::Node success(std::string lid) {
  binary::Node node;
  node.tag = "success";
  node.set("t", std::string("1700000000"));
  node.set("lid", parseJid(lid));
  return node;
}

binary::Node iqResult(std::string id) {
  binary::Node node;
  node.tag = "iq";
  node.set("from", serverJid()).set("type", std::string("result")).set("id", std::move(id));
  return node;
}

}  // namespace chorus::core::session::test
