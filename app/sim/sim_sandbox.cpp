#include "app/sim/sim_sandbox.h"

#include <QTimer>
#include <algorithm>
#include <array>
#include <cctype>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_history.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_pairing.h"
#include "app/sim/sim_phone.h"
#include "app/sim/sim_registry.h"

namespace chorus::sim {
namespace {

struct Contact {
  const char* phone;
  const char* name;
  const char* greeting;
};

// Fictional people on fictional numbers (+1 555 010-00xx).
constexpr std::array<Contact, 4> kContacts{{
    {"15550100001", "Ada Example", "Hi! I'm Ada, a simulated contact. Text me anything."},
    {"15550100002", "Ben Example", "Hey, Ben here (simulated). I answer every message."},
    {"15550100003", "Chloe Example", "Chloe here — a sandbox contact. Say hello!"},
    {"15550100004", "Sandbox News", "Sandbox News: daily updates. Reply STOP to unsubscribe."},
}};
constexpr auto kPollInterval = std::chrono::milliseconds(500);
constexpr int kMinReplyDelayMs = 900;
constexpr std::uint32_t kReplyJitterMs = 1200;
constexpr std::size_t kQuotedWords = 5;
constexpr std::size_t kQuotedChars = 40;
constexpr std::int64_t kHistoryAgeSeconds = 3600;

const Contact* contactOf(const std::string& phone) {
  for (const Contact& c : kContacts) {
    if (phone == c.phone) return &c;
  }
  return nullptr;
}

// The first few words of `text`, shortened to kQuotedChars.
std::string firstWords(const std::string& text) {
  std::string out;
  std::size_t words = 0;
  bool inWord = false;
  for (char ch : text) {
    const bool space = std::isspace(static_cast<unsigned char>(ch)) != 0;
    if (!space && !inWord && ++words > kQuotedWords) break;
    inWord = !space;
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : ch);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kQuotedChars) out = out.substr(0, kQuotedChars) + "…";
  return out;
}

std::string upperTrimmed(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (!std::isspace(static_cast<unsigned char>(ch))) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  return out;
}

}  // namespace

SimSandbox::SimSandbox(SimHub& hub, QObject* parent)
    : QObject(parent), hub_(hub), timer_(new QTimer(this)) {}

core::Status SimSandbox::start() {
  for (const char* phone : {kAccount, kContacts[0].phone, kContacts[1].phone, kContacts[2].phone,
                            kContacts[3].phone}) {
    if (!hub_.registry().findAccount(phone)) CHORUS_CHECK(hub_.pairing().createAccount(phone));
  }
  hub_.phones().setPushName(kAccount, "Sandbox Phone");
  for (const Contact& c : kContacts) hub_.phones().setPushName(c.phone, c.name);
  for (const DeviceRecord* device : hub_.registry().devicesOf(kAccount)) greeted_.insert(device->device);
  hub_.phones().setTextListener([this](const std::string& phone, const PhoneInboxEntry& entry) {
    onText(phone, entry);
  });
  connect(timer_, &QTimer::timeout, this, [this] { poll(); });
  timer_->start(kPollInterval);
  hub_.log().info("sim", "sandbox: account " + core::maskPhone(kAccount) + " and " +
                             std::to_string(kContacts.size()) + " simulated contacts ready");
  return core::ok();
}

void SimSandbox::poll() {
  approveRegistrations();
  greetNewCompanions();
}

void SimSandbox::approveRegistrations() {
  // A pairing code asked for the sandbox number: the sandbox phone "types" the sandbox code.
  if (auto entered = hub_.pairing().enterCode(kAccount, kPairingCode)) {
    handled_.insert(*entered);
    hub_.log().info("sim", "sandbox: pairing code confirmed");
  }
  const auto now = std::chrono::steady_clock::now();
  std::set<std::uint64_t> live;
  for (SimConnection* c : hub_.connections()) {
    if (c->kind() != SimConnection::Kind::Registration || !c->isOpen()) continue;
    live.insert(c->id());
    const auto first = waiting_.try_emplace(c->id(), now).first->second;
    if (handled_.count(c->id()) > 0 || now - first < kApproveDelay) continue;
    const auto& refs = c->companion().refs;
    const auto ref = std::find_if(refs.begin(), refs.end(), [c](const std::string& r) { return c->refIsLive(r); });
    if (ref == refs.end()) continue;
    handled_.insert(c->id());
    const std::string qr = *ref + "," + core::toBase64(c->companion().noiseKey) + "," +
                           core::toBase64(c->companion().identityKey) + "," +
                           core::toBase64(core::asBytes(kAdvSecret));
    if (auto scanned = hub_.pairing().scan(kAccount, qr); !scanned) {
      hub_.log().warn("sim", "sandbox: auto-link failed: " + core::describe(scanned.error()));
    } else {
      hub_.log().info("sim", "sandbox: the sandbox phone linked " + scanned->deviceJid.substr(scanned->deviceJid.find(':')));
    }
  }
  std::erase_if(waiting_, [&](const auto& e) { return live.count(e.first) == 0; });
  std::erase_if(handled_, [&](std::uint64_t id) { return live.count(id) == 0; });
}

// A new companion of the sandbox account gets what a phone sends after linking (§15.2 step 7).
void SimSandbox::greetNewCompanions() {
  bool fresh = false;
  for (const DeviceRecord* device : hub_.registry().devicesOf(kAccount)) {
    fresh = greeted_.insert(device->device).second || fresh;
  }
  if (!fresh) return;
  HistoryInput input;
  const std::int64_t now = hub_.nowSeconds();
  for (const Contact& c : kContacts) {
    input.conversations.push_back({c.phone, c.name, {{false, c.greeting, now - kHistoryAgeSeconds}}});
    input.pushnames.push_back({c.phone, c.name});
  }
  // Queued for the companions (also those that have not logged in yet).
  if (auto key = hub_.phones().sendToCompanions(kAccount, appStateKeyShare(hub_.random(), now)); !key) {
    hub_.log().warn("sim", "sandbox: key share failed: " + core::describe(key.error()));
  }
  auto upload = buildHistorySync(input, hub_.mediaEndpoint().folder, hub_.mediaEndpoint().hostname,
                                 hub_.random());
  auto sent = upload ? hub_.phones().sendToCompanions(kAccount, upload->notification)
                     : core::Result<std::string>(core::Unexpected<core::Error>(upload.error()));
  if (!sent) hub_.log().warn("sim", "sandbox: history sync failed: " + core::describe(sent.error()));
}

void SimSandbox::onText(const std::string& phone, const PhoneInboxEntry& entry) {
  const Contact* contact = contactOf(phone);
  if (!contact) return;
  const std::string to = entry.chat.substr(0, entry.chat.find('@'));
  std::string answer;
  if (upperTrimmed(entry.text) == "STOP") {
    answer = std::string("You have been unsubscribed from ") + contact->name +
             ". (Sandbox: nothing was really sent anywhere.)";
  } else {
    answer = std::string("Thanks for your message! You wrote \"") + firstWords(entry.text) +
             "\" (" + std::to_string(entry.text.size()) + " characters). — " + contact->name;
  }
  const int delay = kMinReplyDelayMs + static_cast<int>(hub_.random().uniform(kReplyJitterMs));
  QTimer::singleShot(delay, this, [this, from = std::string(phone), to, answer] { reply(from, to, answer); });
}

void SimSandbox::reply(const std::string& contact, const std::string& to, const std::string& text) {
  // The contact reads the chat (a read receipt for what it answers), then answers.
  if (auto read = hub_.phones().markRead(contact, to); !read) {
    hub_.log().warn("sim", "sandbox: read receipt failed: " + core::describe(read.error()));
  }
  if (auto sent = hub_.phones().sendText(contact, to, text); !sent) {
    hub_.log().warn("sim", "sandbox: reply failed: " + core::describe(sent.error()));
  }
}

}  // namespace chorus::sim
