// Chorus's side of the Signal interop test: one device (MemorySignalStore) driven by
// signal_interop.js over stdin/stdout, one command per line, one answer per line:
//   init USER DEVICE SEED          -> ok REGID IDENTITY SPKID SPKPUB SPKSIG PKID PKPUB
//   bundle USER DEVICE REGID IDENTITY SPKID SPKPUB SPKSIG (PKID PKPUB | - -)   -> ok
//   encrypt USER DEVICE PLAIN      -> ok (pkmsg|msg) CIPHERTEXT      (PLAIN is padded here)
//   decrypt USER DEVICE TYPE CT    -> ok PLAIN                       (unpadded here)
//   skdm GROUP USER DEVICE         -> ok SKDM                        (our own sender key)
//   process-skdm GROUP USER DEVICE SKDM                  -> ok
//   gencrypt GROUP USER DEVICE PLAIN                     -> ok SKMSG
//   gdecrypt GROUP USER DEVICE SKMSG                     -> ok PLAIN
// Byte strings are hex; keys are raw 32 bytes as in WhatsApp nodes. Failures answer
// "err ERRC detail" and the script decides.
#include <charconv>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/signal/group_cipher.h"
#include "core/signal/memory_signal_store.h"
#include "core/signal/padding.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"

namespace {

using namespace chorus::core;
using namespace chorus::core::signal;

struct Device {
  std::unique_ptr<SeededRandom> random;
  std::unique_ptr<MemorySignalStore> store;
  std::unique_ptr<SignalContext> context;
  std::unique_ptr<SessionCipher> sessions;
  std::unique_ptr<GroupCipher> groups;
};

Result<std::uint32_t> number(const std::string& text) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return fail(Errc::InvalidArgument, "not a number: " + text);
  }
  return value;
}

Result<SignalAddress> address(const std::string& user, const std::string& device) {
  CHORUS_TRY(id, number(device));
  return SignalAddress{user, static_cast<std::int32_t>(id)};
}

class Peer {
 public:
  Result<std::string> run(const std::vector<std::string>& a) {
    const std::string& cmd = a.at(0);
    if (cmd == "init" && a.size() == 4) return init(a);
    if (!device_) return fail(Errc::InvalidArgument, "init first");
    if (cmd == "bundle" && a.size() == 10) return bundle(a);
    if (cmd == "encrypt" && a.size() == 4) {
      CHORUS_TRY(to, address(a[1], a[2]));
      CHORUS_TRY(plain, fromHex(a[3]));
      CHORUS_TRY(m, device_->sessions->encrypt(to, padMessage(plain, *device_->random)));
      return std::string(messageTypeName(m.type)) + " " + toHex(m.bytes);
    }
    if (cmd == "decrypt" && a.size() == 5) {
      CHORUS_TRY(from, address(a[1], a[2]));
      auto type = parseMessageType(a[3]);
      if (!type) return fail(Errc::InvalidArgument, "type");
      CHORUS_TRY(ct, fromHex(a[4]));
      CHORUS_TRY(padded, device_->sessions->decrypt(from, *type, ct));
      CHORUS_TRY(plain, unpadMessage(padded));
      return toHex(plain);
    }
    if (a.size() < 4) return fail(Errc::InvalidArgument, "bad command");
    CHORUS_TRY(sender, address(a[2], a[3]));
    const SenderKeyName name{a[1], sender};
    if (cmd == "skdm" && a.size() == 4) {
      CHORUS_TRY(skdm, device_->groups->createDistributionMessage(name));
      return toHex(skdm);
    }
    if (cmd == "process-skdm" && a.size() == 5) {
      CHORUS_TRY(skdm, fromHex(a[4]));
      CHORUS_CHECK(device_->groups->processDistributionMessage(name, skdm));
      return std::string();
    }
    if (cmd == "gencrypt" && a.size() == 5) {
      CHORUS_TRY(plain, fromHex(a[4]));
      CHORUS_TRY(skmsg, device_->groups->encrypt(name, padMessage(plain, *device_->random)));
      return toHex(skmsg);
    }
    if (cmd == "gdecrypt" && a.size() == 5) {
      CHORUS_TRY(skmsg, fromHex(a[4]));
      CHORUS_TRY(padded, device_->groups->decrypt(name, skmsg));
      CHORUS_TRY(plain, unpadMessage(padded));
      return toHex(plain);
    }
    return fail(Errc::InvalidArgument, "unknown command " + cmd);
  }

 private:
  Result<std::string> init(const std::vector<std::string>& a) {
    CHORUS_TRY(seed, number(a[3]));
    auto d = std::make_unique<Device>();
    d->random = std::make_unique<SeededRandom>(seed);
    CHORUS_TRY(store, MemorySignalStore::generate(*d->random));
    d->store = std::make_unique<MemorySignalStore>(std::move(store));
    CHORUS_TRY(context, SignalContext::create(*d->store, *d->random));
    d->context = std::make_unique<SignalContext>(std::move(context));
    d->sessions = std::make_unique<SessionCipher>(*d->context);
    d->groups = std::make_unique<GroupCipher>(*d->context);
    CHORUS_TRY(identity, d->store->identityKeyPair());
    CHORUS_TRY(spk, generateSignedPreKey(identity, 1, *d->random));
    CHORUS_CHECK(d->store->storeSignedPreKey(spk));
    CHORUS_TRY(preKeys, generatePreKeys(1, 5, *d->random));
    for (const PreKey& k : preKeys) CHORUS_CHECK(d->store->storePreKey(k));
    CHORUS_TRY(regId, d->store->registrationId());
    device_ = std::move(d);
    return std::to_string(regId) + " " + toHex(identity.publicKey) + " " + std::to_string(spk.id) +
           " " + toHex(spk.publicKey) + " " + toHex(spk.signature) + " " +
           std::to_string(preKeys[0].id) + " " + toHex(preKeys[0].publicKey);
  }

  Result<std::string> bundle(const std::vector<std::string>& a) {
    CHORUS_TRY(to, address(a[1], a[2]));
    PreKeyBundle b;
    CHORUS_TRY(regId, number(a[3]));
    b.registrationId = regId;
    b.deviceId = to.device;
    CHORUS_TRY(identity, fromHex(a[4]));
    b.identityKey = std::move(identity);
    CHORUS_TRY(spkId, number(a[5]));
    b.signedPreKeyId = spkId;
    CHORUS_TRY(spk, fromHex(a[6]));
    b.signedPreKey = std::move(spk);
    CHORUS_TRY(sig, fromHex(a[7]));
    b.signedPreKeySignature = std::move(sig);
    if (a[8] != "-") {
      CHORUS_TRY(pkId, number(a[8]));
      CHORUS_TRY(pk, fromHex(a[9]));
      b.preKey = PreKeyBundle::OneTimePreKey{pkId, std::move(pk)};
    }
    CHORUS_CHECK(device_->sessions->processBundle(to, b));
    return std::string();
  }

  std::unique_ptr<Device> device_;
};

}  // namespace

int main() {
  Peer peer;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::vector<std::string> args;
    for (std::string word; in >> word;) args.push_back(word);
    if (args.empty()) continue;
    if (args[0] == "quit") break;
    auto result = peer.run(args);
    if (result) {
      std::cout << "ok" << (result->empty() ? "" : " ") << *result << std::endl;
    } else {
      std::cout << "err " << errcName(result.error().code) << " " << result.error().detail
                << std::endl;
    }
  }
  return 0;
}
