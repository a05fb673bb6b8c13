// SimPairing: the simulated phones. Creates accounts (each with its phone's identity key pair,
// which is also the ADV account signature key, §6.3 step 5, and a signed prekey so other
// clients can fetch device 0's bundle) and links companions by QR (§6.2, §15.2):
//
//   scan(phone, qr)  → find the registration connection by ref, check its noise key, allocate
//                      the device number and ADV key index, sign ADVDeviceIdentity with the
//                      account key, HMAC it with the QR's adv secret, send <pair-success>
//   <pair-device-sign> → check the details and the device signature, persist the device,
//                      <stream:error code="515"/> and close.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/protocol/binary/node.h"
#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::sim {

class SimConnection;
class SimHub;
struct AccountRecord;

struct ScanOutcome {
  std::string deviceJid;  // "phone:N@s.whatsapp.net"
  std::string lidJid;     // "lid:N@lid", empty when the account has no LID
  std::uint32_t keyIndex = 0;
};

class SimPairing {
 public:
  explicit SimPairing(SimHub& hub);

  // A new account with a simulated phone. Errc::InvalidArgument for a phone that is not 5–20
  // digits, Errc::Unsupported when the account exists already.
  [[nodiscard]] core::Result<const AccountRecord*> createAccount(const std::string& phone);

  // The phone of `phone` scans `qr` ("ref,noise,identity,adv", optionally after "…#").
  // Errc::NotFound: no such account or no registration waits with that ref;
  // Errc::InvalidArgument: unparseable QR; Errc::Auth: the QR's keys are not the connection's;
  // Errc::Unsupported: the account has no phone keys or the companion is being linked already.
  // Errc::Timeout: the ref has expired (SimConnection::refIsLive).
  [[nodiscard]] core::Result<ScanOutcome> scan(std::string_view phone, std::string_view qr);

  // The companion's answer to <pair-success>.
  [[nodiscard]] core::Status onDeviceSign(SimConnection& connection,
                                          const core::binary::Node& iq);
  void onClosed(SimConnection& connection);

  // Pairing by code (§7, sim_link_code.cpp). <link_code_companion_reg stage="companion_hello">
  // from a registration connection is answered with a pairing ref; stage "companion_finish"
  // carries the companion's key bundle, after which linking goes on as for a QR scan.
  [[nodiscard]] core::Status onLinkCode(SimConnection& connection, const std::string& id,
                                        const core::binary::Node& iq);
  // The phone of `phone` enters `code` ("ABCD-EFGH" or "ABCDEFGH"): sends the companion the
  // phone's wrapped ephemeral key. Returns the connection's id. Errc::NotFound: no companion
  // asked for a code for that phone; Errc::InvalidArgument: not 8 code characters.
  [[nodiscard]] core::Result<std::uint64_t> enterCode(std::string_view phone, std::string_view code);

 private:
  struct Linking {
    std::string iqId;
    std::string phone;
    std::uint32_t device = 0;
    std::uint32_t keyIndex = 0;
    core::Bytes details;     // serialized ADVDeviceIdentity
    core::Bytes accountKey;  // the account signature (phone identity) public key
  };
  [[nodiscard]] std::uint32_t nextDeviceNumber(const std::string& phone) const;
  // The phone of `account` links the companion waiting on `connection`, whose adv secret is
  // `advSecret` (from the QR, or derived by the pairing-code exchange): <pair-success>.
  [[nodiscard]] core::Result<ScanOutcome> link(SimConnection& connection,
                                               const AccountRecord& account,
                                               const core::Bytes& advSecret);

  struct CodeLink {
    std::string phone;
    std::string ref;
    core::Bytes wrappedCompanionKey;  // salt ‖ iv ‖ AES-CTR(code key, companion ephemeral pub)
    core::Bytes companionKey;         // unwrapped once the code is entered
    core::SecretBytes phoneKey;       // the phone's ephemeral private key
  };
  [[nodiscard]] core::Status onCompanionHello(SimConnection& connection, const std::string& id,
                                              const core::binary::Node& reg);
  [[nodiscard]] core::Status onCompanionFinish(SimConnection& connection, const std::string& id,
                                               const core::binary::Node& reg);

  SimHub& hub_;
  std::map<std::uint64_t, Linking> linking_;     // by registration connection id
  std::map<std::uint64_t, CodeLink> codeLinks_;  // by registration connection id
};

}  // namespace chorus::sim
