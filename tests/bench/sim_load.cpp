// sim_load: a bounded load benchmark for chorus-sim (not a test with timing assertions; ctest
// only runs a smoke pass with tiny numbers). One process, one Qt event loop, N SimClients
// (Chorus's FrameEncoder/Decoder, NoiseInitiator, TransportCipher, binary codec):
//   1. N test devices with fresh Noise keys are provisioned through POST /test/devices;
//   2. all N log in (at most kConcurrentLogins handshakes in flight) and stay connected;
//   3. for --seconds, every device keeps --window messages in flight: a <message> with one
//      <enc type="msg"> (random bytes) to a random other device; the server's <ack> triggers the
//      next one; recipients ack every delivery (so the simulator's queue row is deleted).
// It prints the connections held, relayed deliveries and server acks per second, and the
// simulator's VmRSS. Usage:
//   sim_load --sim PATH/chorus-sim [--devices 1000] [--seconds 10] [--window 2] [--payload 64]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/protocol/jid/jid.h"
#include "tests/integration/support/sim_client.h"

namespace {

namespace core = chorus::core;
using chorus::testing::SimClient;
using chorus::testing::SimProcess;
using chorus::testing::waitUntil;
using core::binary::Children;
using core::binary::Node;

constexpr std::uint64_t kFirstPhone = 19900000000;
constexpr int kConcurrentLogins = 64;
constexpr int kProvisionBatch = 2000;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "sim_load: FAIL: %s\n", message.c_str());
  std::exit(1);
}

struct Options {
  QString sim;
  int devices = 1000;
  int seconds = 10;
  int window = 2;
  int payload = 64;
};

Options parse(const QStringList& args) {
  Options o;
  for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
    const QString& flag = args[i];
    const QString& value = args[i + 1];
    if (flag == QStringLiteral("--sim")) o.sim = value;
    else if (flag == QStringLiteral("--devices")) o.devices = value.toInt();
    else if (flag == QStringLiteral("--seconds")) o.seconds = value.toInt();
    else if (flag == QStringLiteral("--window")) o.window = value.toInt();
    else if (flag == QStringLiteral("--payload")) o.payload = value.toInt();
    else die("unknown option " + flag.toStdString());
  }
  if (o.sim.isEmpty() || o.devices < 2 || o.seconds < 1 || o.window < 1 || o.payload < 1)
    die("usage: sim_load --sim PATH [--devices N>=2] [--seconds S] [--window W] [--payload B]");
  return o;
}

core::jid::Jid jidOf(std::uint64_t phone, std::uint16_t device) {
  core::jid::Jid jid{std::to_string(phone), std::string(core::jid::kUserServer)};
  jid.device = device;
  if (device != 0) jid.form = core::jid::JidForm::AD;
  return jid;
}

class Load {
 public:
  Load(SimProcess& sim, core::Random& random, const Options& o)
      : sim_(sim), random_(random), o_(o) {}

  void provision() {
    keys_.reserve(static_cast<std::size_t>(o_.devices));
    for (int i = 0; i < o_.devices; ++i) keys_.push_back(core::crypto::generateKeyPair(random_).value());
    for (int first = 0; first < o_.devices; first += kProvisionBatch) {
      QJsonArray list;
      for (int i = first; i < std::min(o_.devices, first + kProvisionBatch); ++i) {
        list.append(QJsonObject{
            {QStringLiteral("phone"), QString::number(kFirstPhone + static_cast<std::uint64_t>(i))},
            {QStringLiteral("noise_key"),
             QString::fromStdString(core::toHex(keys_[static_cast<std::size_t>(i)].publicKey))}});
      }
      const auto [status, body] = sim_.control(
          "POST", QStringLiteral("/test/devices"),
          QJsonDocument(QJsonObject{{QStringLiteral("devices"), list}}).toJson(QJsonDocument::Compact));
      if (status != 201) die("POST /test/devices answered " + std::to_string(status));
    }
  }

  void connectAll() {
    clients_.resize(static_cast<std::size_t>(o_.devices));
    int next = 0;
    int inFlight = 0;
    auto startOne = [&](int i) {
      SimClient::Callbacks callbacks;
      callbacks.node = [this, i, &inFlight](const Node& n) {
        if (n.tag == "success") {
          ++loggedIn_;
          --inFlight;
        }
        onNode(i, n);
      };
      callbacks.closed = [this, i](const std::string& why) {
        ++closed_;
        if (closed_ <= 5) std::fprintf(stderr, "sim_load: device %d closed: %s\n", i, why.c_str());
      };
      const auto& key = keys_[static_cast<std::size_t>(i)];
      clients_[static_cast<std::size_t>(i)] = std::make_unique<SimClient>(
          sim_.ws(), sim_.rootKey(), core::crypto::KeyPair{key.privateKey.clone(), key.publicKey},
          chorus::testing::loginPayload(kFirstPhone + static_cast<std::uint64_t>(i), 1), random_,
          std::move(callbacks));
      clients_[static_cast<std::size_t>(i)]->open();
      ++inFlight;
    };
    QElapsedTimer timer;
    timer.start();
    while (loggedIn_ < o_.devices) {
      while (next < o_.devices && inFlight < kConcurrentLogins) startOne(next++);
      QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
      if (closed_ > 0) die("a connection closed during login");
      if (timer.elapsed() > 120'000) die("logins timed out");
    }
    std::printf("logged in: %d devices in %.1f s\n", loggedIn_, static_cast<double>(timer.elapsed()) / 1000.0);
  }

  void sendOne(int from) {
    int to = static_cast<int>(random_.uniform(static_cast<std::uint32_t>(o_.devices - 1)));
    if (to >= from) ++to;
    const std::uint64_t phone = kFirstPhone + static_cast<std::uint64_t>(to);
    Node enc{"enc", {}, random_.bytes(static_cast<std::size_t>(o_.payload))};
    enc.set("v", std::string("2")).set("type", std::string("msg"));
    Node target{"to", {}, Children{std::move(enc)}};
    target.set("jid", jidOf(phone, 1));
    Node message{"message", {}, Children{Node{"participants", {}, Children{std::move(target)}}}};
    message.set("id", "L" + std::to_string(from) + "-" + std::to_string(++serial_))
        .set("to", jidOf(phone, 0))
        .set("type", std::string("text"));
    if (clients_[static_cast<std::size_t>(from)]->send(message)) ++sent_;
  }

  void onNode(int i, const Node& n) {
    if (n.tag == "message") {
      ++delivered_;
      Node ack{"ack", {}, {}};
      ack.set("class", std::string("message")).set("id", n.attrText("id").value_or(""));
      if (auto from = n.attr("from")) ack.set("to", *from);
      clients_[static_cast<std::size_t>(i)]->send(ack);
    } else if (n.tag == "ack" && n.attrText("class") == "message") {
      ++acked_;
      if (running_) sendOne(i);
    }
  }

  void run() {
    const long rssIdle = sim_.rssKiB();
    running_ = true;
    for (int w = 0; w < o_.window; ++w)
      for (int i = 0; i < o_.devices; ++i) sendOne(i);
    QElapsedTimer timer;
    timer.start();
    std::uint64_t lastDelivered = 0;
    long peakRss = rssIdle;
    for (int s = 1; s <= o_.seconds; ++s) {
      (void)waitUntil([&] { return timer.elapsed() >= s * 1000LL; }, 2000);
      peakRss = std::max(peakRss, sim_.rssKiB());
      std::printf("  t=%2ds  delivered/s %7llu  (acks total %llu)\n", s,
                  static_cast<unsigned long long>(delivered_ - lastDelivered),
                  static_cast<unsigned long long>(acked_));
      std::fflush(stdout);
      lastDelivered = delivered_;
    }
    running_ = false;
    const double elapsed = static_cast<double>(timer.elapsed()) / 1000.0;
    const std::uint64_t delivered = delivered_;
    const std::uint64_t acked = acked_;
    (void)waitUntil([&] { return acked_ >= sent_; }, 5000);  // drain what is in flight
    int open = 0;
    for (const auto& c : clients_) open += c->state() == SimClient::State::Open ? 1 : 0;
    std::printf("connections held: %d of %d (closed: %d)\n", open, o_.devices, closed_);
    std::printf("relayed deliveries: %.0f messages/s (%llu in %.1f s); server acks: %.0f/s\n",
                static_cast<double>(delivered) / elapsed,
                static_cast<unsigned long long>(delivered), elapsed,
                static_cast<double>(acked) / elapsed);
    std::printf("sim RSS: %ld KiB idle with all connected, %ld KiB peak under load\n", rssIdle,
                peakRss);
    if (open != o_.devices || delivered == 0) die("connections lost or nothing relayed");
  }

 private:
  SimProcess& sim_;
  core::Random& random_;
  Options o_;
  std::vector<core::crypto::KeyPair> keys_;
  std::vector<std::unique_ptr<SimClient>> clients_;
  int loggedIn_ = 0;
  int closed_ = 0;
  bool running_ = false;
  std::uint64_t serial_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t acked_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const Options options = parse(QCoreApplication::arguments());
  QTemporaryDir dir;
  if (!dir.isValid()) die("no temporary folder");
  SimProcess sim;
  if (auto error = sim.start(options.sim, dir.path(), QStringLiteral("warn"))) die(*error);
  core::SystemRandom random;
  Load load(sim, random, options);
  load.provision();
  load.connectAll();
  load.run();
  sim.stop();
  std::printf("sim_load: done\n");
  return 0;
}
