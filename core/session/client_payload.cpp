#include "core/session/client_payload.h"

#include <charconv>

#include <openssl/evp.h>

#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/jid/jid.h"
#include "core/protocol/noise/proto_io.h"
#include "proto/client_payload.pb.h"
#include "proto/device_props.pb.h"

namespace chorus::core::session {
namespace {

using proto::ClientPayload;

constexpr std::uint8_t kDjbKeyType = 0x05;
constexpr std::uint32_t kMaxSignedPreKeyId = 0xFFFFFF;  // 3 bytes on the wire
constexpr std::size_t kMd5Size = 16;

std::string str(BytesView bytes) {
  return std::string(asString(bytes));
}

// The fields login and registration share: userAgent, webInfo, connect type and reason.
void fillCommon(ClientPayload& payload, const ClientPayloadOptions& options) {
  ClientPayload::UserAgent* agent = payload.mutable_useragent();
  agent->set_platform(ClientPayload::UserAgent::WEB);
  ClientPayload::UserAgent::AppVersion* version = agent->mutable_appversion();
  version->set_primary(options.appVersion.primary);
  version->set_secondary(options.appVersion.secondary);
  version->set_tertiary(options.appVersion.tertiary);
  agent->set_mcc(options.mcc);
  agent->set_mnc(options.mnc);
  agent->set_osversion(options.osVersion);
  agent->set_device(options.device);
  agent->set_osbuildnumber(options.osBuildNumber);
  agent->set_releasechannel(ClientPayload::UserAgent::RELEASE);
  agent->set_localelanguageiso6391(options.language);
  agent->set_localecountryiso31661alpha2(options.country);
  payload.mutable_webinfo()->set_websubplatform(ClientPayload::WebInfo::WEB_BROWSER);
  payload.set_connecttype(ClientPayload::WIFI_UNKNOWN);
  payload.set_connectreason(ClientPayload::USER_ACTIVATED);
}

Status checkSize(BytesView value, std::size_t size, const char* what) {
  if (value.size() != size) {
    return fail(Errc::InvalidArgument, std::string(what) + " has the wrong size");
  }
  return ok();
}

}  // namespace

std::string AppVersion::toString() const {
  return std::to_string(primary) + "." + std::to_string(secondary) + "." + std::to_string(tertiary);
}

Result<LoginIdentity> loginIdentity(std::string_view deviceJid) {
  auto parsed = jid::parse(deviceJid);
  if (!parsed) return fail(Errc::InvalidArgument, "device JID does not parse");
  const jid::Jid& j = *parsed;
  if (j.server != jid::kUserServer || j.device == 0 || j.agent != 0 || j.user.empty()) {
    return fail(Errc::InvalidArgument, "not a companion device JID on s.whatsapp.net");
  }
  LoginIdentity id;
  const char* first = j.user.data();
  const char* last = first + j.user.size();
  const auto [ptr, ec] = std::from_chars(first, last, id.username);
  if (ec != std::errc{} || ptr != last || j.user.front() == '0') {
    return fail(Errc::InvalidArgument, "the device JID's user is not a phone number");
  }
  id.device = j.device;
  return id;
}

Bytes buildHash(const AppVersion& version) {
  const std::string text = version.toString();
  Bytes digest(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  // MD5 over a short string cannot fail short of memory exhaustion; an empty result would
  // make the payload wrong, never unsafe (the hash is informational for the server).
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_md5(), nullptr) != 1) {
    size = 0;
  }
  digest.resize(size == kMd5Size ? kMd5Size : 0);
  return digest;
}

Bytes buildDeviceProps(const ClientPayloadOptions& options) {
  proto::DeviceProps props;
  props.set_os(options.deviceOs);
  const auto platform = static_cast<int>(options.platform);
  props.set_platformtype(proto::DeviceProps::PlatformType_IsValid(platform)
                             ? static_cast<proto::DeviceProps::PlatformType>(platform)
                             : proto::DeviceProps::UNKNOWN);
  props.set_requirefullsync(false);
  return noise::serializeProto(props);
}

Bytes buildLoginPayload(const LoginIdentity& identity, const ClientPayloadOptions& options) {
  ClientPayload payload;
  payload.set_username(identity.username);
  payload.set_passive(options.passive);
  fillCommon(payload, options);
  payload.set_device(identity.device);
  payload.set_pull(true);
  return noise::serializeProto(payload);
}

Result<Bytes> buildRegistrationPayload(const store::DeviceCredentials& credentials,
                                       const ClientPayloadOptions& options) {
  const BytesView identity = credentials.identityKey.publicKey;
  const store::SignedPreKeyRecord& spk = credentials.signedPreKey;
  CHORUS_CHECK(checkSize(identity, crypto::kCurveKeySize, "identity key"));
  CHORUS_CHECK(checkSize(spk.keyPair.publicKey, crypto::kCurveKeySize, "signed prekey"));
  CHORUS_CHECK(checkSize(spk.signature, crypto::kSignatureSize, "signed prekey signature"));
  if (spk.id == 0 || spk.id > kMaxSignedPreKeyId) {
    return fail(Errc::InvalidArgument, "signed prekey id does not fit 3 bytes");
  }

  ClientPayload payload;
  payload.set_passive(false);
  fillCommon(payload, options);
  ClientPayload::DevicePairingRegistrationData* reg = payload.mutable_devicepairingdata();
  Bytes regId;
  putU32BE(regId, credentials.registrationId);
  reg->set_eregid(str(regId));
  reg->set_ekeytype(std::string(1, static_cast<char>(kDjbKeyType)));
  reg->set_eident(str(identity));
  Bytes skeyId;
  putU24BE(skeyId, spk.id);
  reg->set_eskeyid(str(skeyId));
  reg->set_eskeyval(str(spk.keyPair.publicKey));
  reg->set_eskeysig(str(spk.signature));
  reg->set_buildhash(str(buildHash(options.appVersion)));
  reg->set_deviceprops(str(buildDeviceProps(options)));
  payload.set_pull(false);
  return noise::serializeProto(payload);
}

Result<Bytes> buildClientPayload(const store::DeviceCredentials& credentials,
                                 const ClientPayloadOptions& options) {
  if (!credentials.isPaired()) return buildRegistrationPayload(credentials, options);
  CHORUS_TRY(identity, loginIdentity(credentials.deviceJid));
  return buildLoginPayload(identity, options);
}

}  // namespace chorus::core::session
