// Sustained receive into the store (issue 5): how many encrypted 1:1 <message> stanzas per
// second one account's Messenger takes in — for each: decrypt on the SqlSignalStore, unpad and
// parse, store the text, all in one SQLite transaction on a real database file (WAL, as the
// account opens it), then the delivery receipt and the ack it answers with. Target: 2,000/s.
//
// The peer (a MemorySignalStore device) builds a session from our bundle, sends one pkmsg,
// gets one reply from us (so every timed stanza is a "msg", as in a running conversation),
// then encrypts --messages texts of ~200 bytes ahead of time, untimed. Only Messenger::onStanza
// is timed, stanza after stanza on one thread, in wall-clock and process CPU time; every output
// is checked (one MessageAdded, a receipt and an ack, no problem), and the database's size
// after the run is reported.
//
// Usage: receive_bench [--messages N] [--dir DIR]  (DIR: where the database goes; default a
// fresh folder under the system temp directory, removed afterwards)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <time.h>
#include <unistd.h>

#include "core/account/messenger.h"
#include "core/protocol/jid/jid.h"
#include "core/session/message_content.h"
#include "core/session/pairing.h"
#include "core/signal/curve25519_backend.h"
#include "core/signal/memory_signal_store.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "core/store/account_schema.h"
#include "core/store/credential_store.h"
#include "core/store/data_key.h"
#include "core/store/database.h"
#include "core/store/lookup_key.h"
#include "core/store/message_lookup_key.h"
#include "core/store/migrations.h"
#include "core/store/signal_sql_store.h"
#include "core/util/random.h"

namespace {

namespace fs = std::filesystem;
using namespace chorus::core;  // NOLINT: a benchmark's main file

constexpr char kOurUser[] = "15551234567";
constexpr std::int32_t kOurDevice = 2;
constexpr char kPeerUser[] = "15550000002";
constexpr char kPeerChat[] = "15550000002@s.whatsapp.net";
constexpr std::size_t kTextSize = 200;
constexpr std::size_t kDefaultMessages = 5000;
constexpr double kTarget = 2000;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "receive_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T check(Result<T> result, const char* what) {
  if (!result) die(std::string(what) + ": " + describe(result.error()));
  return std::move(*result);
}
void check(Status status, const char* what) {
  if (!status) die(std::string(what) + ": " + describe(status.error()));
}

double processCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

binary::Node messageNode(std::size_t index, std::string_view encType, Bytes ciphertext) {
  binary::Node enc{"enc", {}, std::move(ciphertext)};
  enc.set("v", std::string("2")).set("type", std::string(encType));
  binary::Node message{"message", {}, binary::Children{std::move(enc)}};
  char id[32];
  std::snprintf(id, sizeof id, "3EB0%012zX", index);
  message.set("from", check(jid::parse(kPeerChat), "peer jid"))
      .set("id", std::string(id))
      .set("t", std::to_string(1700000100 + index))
      .set("type", std::string("text"))
      .set("notify", std::string("Bob"));
  return message;
}

// One stanza in: it must give one stored message, a receipt and an ack, nothing else.
void deliver(account::Messenger& messenger, const binary::Node& node) {
  account::MessengerOutput out = messenger.onStanza(node);
  if (!out.problems.empty()) die("problem: " + describe(out.problems.front()));
  std::size_t added = 0;
  for (const chorus::api::AccountEvent& event : out.events) {
    if (std::holds_alternative<chorus::api::MessageAdded>(event)) ++added;
  }
  if (added != 1 || out.stanzas.size() != 2 || out.stanzas[0].tag != "receipt" ||
      out.stanzas[1].tag != "ack") {
    die("unexpected output for message " + node.attrText("id").value_or("?"));
  }
}

std::size_t parseCount(const char* text, const char* what) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) die(std::string("bad ") + what + ": " + text);
  return static_cast<std::size_t>(v);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t messages = kDefaultMessages;
  fs::path dir;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) die("usage: receive_bench [--messages N] [--dir DIR]");
    if (arg == "--messages") {
      messages = parseCount(argv[++i], "--messages");
    } else if (arg == "--dir") {
      dir = argv[++i];
    } else {
      die("unknown argument " + std::string(arg));
    }
  }
  const bool ownDir = dir.empty();
  if (ownDir) {
    dir = fs::temp_directory_path() /
          ("chorus-receive-bench-" + std::to_string(static_cast<long>(getpid())));
  }
  fs::create_directories(dir);
  const fs::path file = dir / "chorus.db";
  fs::remove(file);

  SystemRandom random;
  FakeClock clock;
  const store::DataKey key = store::DataKey::generate(random);
  const auto lookup = check(store::MessageLookupKey::derive(key), "message lookup key");
  const auto signalLookup =
      check(store::LookupKey::derive(key, store::LookupDomain::Signal), "signal lookup key");
  store::ColumnCipher cipher(key.clone(), random);

  auto db = check(store::Database::open(file), "open database");
  check(store::migrate(*db, store::accountMigrations()), "migrate");
  store::DeviceCredentials credentials = check(session::generateCredentials(random), "creds");
  credentials.deviceJid =
      std::string(kOurUser) + ":" + std::to_string(kOurDevice) + "@s.whatsapp.net";
  check(store::CredentialStore(*db, cipher).save(credentials), "save credentials");

  auto messenger = check(
      account::Messenger::create("bench-account", *db, cipher, lookup, signalLookup, clock, random),
      "messenger");
  (void)messenger->onReady(credentials, store::DeviceIdentity{});  // the prekey count iq

  // The peer: a session from our bundle (signed prekey, no one-time prekey), one pkmsg.
  auto peerStore = check(signal::MemorySignalStore::generate(random), "peer store");
  auto peerContext = check(signal::SignalContext::create(peerStore, random), "peer context");
  signal::SessionCipher peer(peerContext);
  const signal::SignalAddress us{kOurUser, kOurDevice};
  signal::PreKeyBundle bundle;
  bundle.registrationId = credentials.registrationId;
  bundle.deviceId = kOurDevice;
  bundle.identityKey = credentials.identityKey.publicKey;
  bundle.signedPreKeyId = credentials.signedPreKey.id;
  bundle.signedPreKey = credentials.signedPreKey.keyPair.publicKey;
  bundle.signedPreKeySignature = credentials.signedPreKey.signature;
  check(peer.processBundle(us, bundle), "peer processBundle");

  const std::string text(kTextSize, 'x');
  auto padded = [&](std::size_t i) {
    std::string t = text;
    t.replace(0, 12, std::to_string(1000000000000 + i));
    auto message = check(session::buildTextMessage(t), "text message");
    return check(session::encodePaddedMessage(message, random), "pad");
  };
  auto first = check(peer.encrypt(us, padded(0)), "first encrypt");
  deliver(*messenger, messageNode(0, "pkmsg", first.bytes));

  // Our reply, on the same database (as Messenger's send path would): the peer's next
  // messages are plain "msg".
  {
    store::SqlSignalStore ourStore(*db, cipher, signalLookup, clock);
    auto ourContext = check(signal::SignalContext::create(ourStore, random), "our context");
    signal::SessionCipher ours(ourContext);
    auto reply = check(ours.encrypt({kPeerUser, 0}, padded(1)), "reply");
    (void)check(peer.decrypt(us, reply.type, reply.bytes), "peer decrypts reply");
  }

  std::vector<binary::Node> stanzas;
  stanzas.reserve(messages);
  for (std::size_t i = 1; i <= messages; ++i) {
    auto encrypted = check(peer.encrypt(us, padded(i)), "encrypt");
    if (encrypted.type != signal::MessageType::Normal) die("expected msg");
    stanzas.push_back(messageNode(i, "msg", std::move(encrypted.bytes)));
  }

  const double cpuStart = processCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  for (const binary::Node& node : stanzas) deliver(*messenger, node);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = processCpuSeconds() - cpuStart;

  std::uintmax_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  const double perSecond = static_cast<double>(messages) / seconds;
  std::printf(
      "receive: %zu msg stanzas -> Messenger::onStanza (decrypt + store in one transaction + "
      "receipt + ack), SQLite file, curve25519 %s\n"
      "  %.0f messages/s wall (%.3f s), %.0f per CPU-second (%.3f s); %.0f us/message; "
      "target >= %.0f/s: %s; database folder %.1f MB\n",
      messages, std::string(signal::curve25519BackendName(signal::curve25519Backend())).c_str(),
      perSecond, seconds, static_cast<double>(messages) / cpu, cpu,
      1e6 * seconds / static_cast<double>(messages), kTarget,
      perSecond >= kTarget ? "met" : "NOT met", static_cast<double>(bytes) / 1e6);

  messenger.reset();
  db.reset();
  if (ownDir) fs::remove_all(dir);
  return 0;
}
