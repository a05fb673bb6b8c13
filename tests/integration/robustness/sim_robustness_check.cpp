// sim_robustness_check: hostile input closes only the connection that sent it. Two test devices
// G and H (POST /test/devices) stay logged in; each bad connection below must be closed by
// chorus-sim with a "closing: …" log line, after which G still gets a ping answered and a
// message from G still reaches H:
//   1. a bad intro header;  2. a garbage Noise ClientHello;  3. a garbage ClientFinish after a
//   real ServerHello;  4. garbage ciphertext after login;  5. a sealed frame that is no binary
//   node;  6. a length prefix over the simulator's frame cap (its body never sent).
//
//   sim_robustness_check --sim PATH/chorus-sim
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QWebSocket>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/protocol/frame/intro.h"
#include "core/protocol/jid/jid.h"
#include "tests/integration/support/sim_client.h"

namespace {

namespace core = chorus::core;
using chorus::testing::SimClient;
using chorus::testing::SimProcess;
using chorus::testing::waitUntil;
using core::Bytes;
using core::binary::Node;

constexpr std::uint64_t kPhoneG = 19990000001;
constexpr std::uint64_t kPhoneH = 19990000002;
constexpr std::uint64_t kPhoneBad = 19990000003;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "sim_robustness_check: FAIL: %s\n", message.c_str());
  std::exit(1);
}

QByteArray frame(const QByteArray& payload) {
  QByteArray out;
  const auto n = static_cast<std::uint32_t>(payload.size());
  out.append(static_cast<char>((n >> 16) & 0xff));
  out.append(static_cast<char>((n >> 8) & 0xff));
  out.append(static_cast<char>(n & 0xff));
  return out + payload;
}

QByteArray qt(const Bytes& b) {
  return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
}

QByteArray intro() {
  return qt(core::frame::introHeader(2).value());
}

// A plain WebSocket for the pre-Noise cases.
struct RawSocket {
  QObject owner;
  QWebSocket* socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &owner);
  std::vector<QByteArray> received;
  bool closed = false;
  explicit RawSocket(const QString& url) {
    QObject::connect(socket, &QWebSocket::binaryMessageReceived, &owner,
                     [this](const QByteArray& d) { received.push_back(d); });
    QObject::connect(socket, &QWebSocket::disconnected, &owner, [this] { closed = true; });
    socket->open(QUrl(url));
    if (!waitUntil([this] { return socket->state() == QAbstractSocket::ConnectedState; }))
      die("raw socket cannot connect");
  }
};

struct Device {
  std::uint64_t phone;
  core::crypto::KeyPair noise;
  std::unique_ptr<SimClient> client;
  std::vector<Node> nodes;
  bool loggedIn = false;
  std::string closedWhy;
};

class Check {
 public:
  Check(SimProcess& sim, core::Random& random) : sim_(sim), random_(random) {}

  Device makeDevice(std::uint64_t phone) {
    return Device{phone, core::crypto::generateKeyPair(random_).value(), nullptr, {}, false, {}};
  }

  void provision(const std::vector<Device*>& devices) {
    QJsonArray list;
    for (const Device* d : devices) {
      list.append(QJsonObject{{QStringLiteral("phone"), QString::number(d->phone)},
                              {QStringLiteral("noise_key"),
                               QString::fromStdString(core::toHex(d->noise.publicKey))}});
    }
    const auto [status, body] = sim_.control(
        "POST", QStringLiteral("/test/devices"),
        QJsonDocument(QJsonObject{{QStringLiteral("devices"), list}}).toJson());
    if (status != 201) die("POST /test/devices answered " + std::to_string(status));
  }

  void login(Device& d) {
    d.loggedIn = false;
    d.closedWhy.clear();
    d.nodes.clear();
    SimClient::Callbacks callbacks;
    callbacks.node = [&d](const Node& n) {
      if (n.tag == "success") d.loggedIn = true;
      d.nodes.push_back(n);
    };
    callbacks.closed = [&d](const std::string& why) { d.closedWhy = why; };
    d.client = std::make_unique<SimClient>(
        sim_.ws(), sim_.rootKey(),
        core::crypto::KeyPair{d.noise.privateKey.clone(), d.noise.publicKey},
        chorus::testing::loginPayload(d.phone, 1), random_, std::move(callbacks));
    d.client->open();
    if (!waitUntil([&d] { return d.loggedIn || !d.closedWhy.empty(); }) || !d.loggedIn)
      die("login failed: " + d.closedWhy);
  }

  // The bad connection was closed and the simulator said why; G and H still work.
  void expectIsolated(const std::function<bool()>& badClosed, const char* what) {
    if (!waitUntil(badClosed, 5000)) die(std::string(what) + ": connection not closed");
    (void)waitUntil(
        [this] {
          log_ += sim_.takeLog();
          return log_.count(QStringLiteral("closing:")) > closings_;
        },
        2000);
    const qsizetype closings = log_.count(QStringLiteral("closing:"));
    if (closings <= closings_) die(std::string(what) + ": no 'closing:' log line");
    closings_ = closings;
    ++round_;
    Device& g = *g_;
    Device& h = *h_;
    const std::string pingId = "ping-" + std::to_string(round_);
    core::jid::Jid server;
    server.server = std::string(core::jid::kUserServer);
    Node ping{"iq", {}, core::binary::Children{Node{"ping", {}, {}}}};
    ping.set("id", pingId).set("to", server).set("type", std::string("get"))
        .set("xmlns", std::string("w:p"));
    g.client->send(ping);
    const std::string msgId = "MSG" + std::to_string(round_);
    core::jid::Jid hUser{std::to_string(h.phone), std::string(core::jid::kUserServer)};
    core::jid::Jid hDevice = hUser;
    hDevice.device = 1;
    hDevice.form = core::jid::JidForm::AD;
    Node enc{"enc", {}, random_.bytes(48)};
    enc.set("v", std::string("2")).set("type", std::string("msg"));
    Node to{"to", {}, core::binary::Children{std::move(enc)}};
    to.set("jid", hDevice);
    Node message{"message", {}, core::binary::Children{Node{"participants", {},
                                                            core::binary::Children{std::move(to)}}}};
    message.set("id", msgId).set("to", hUser).set("type", std::string("text"));
    g.client->send(message);
    auto has = [](const Device& d, const char* tag, const std::string& id) {
      for (const Node& n : d.nodes)
        if (n.tag == tag && n.attrText("id") == id) return true;
      return false;
    };
    if (!waitUntil([&] { return has(g, "iq", pingId) && has(h, "message", msgId) &&
                                has(g, "ack", msgId); }, 5000)) {
      die(std::string(what) + ": the good clients stopped working");
    }
    Node ack{"ack", {}, {}};
    ack.set("class", std::string("message")).set("id", msgId);
    h.client->send(ack);
    std::printf("ok %d - %s: closed with a log line; G's ping answered, G → H delivered\n",
                round_, what);
  }

  void run() {
    Device g = makeDevice(kPhoneG), h = makeDevice(kPhoneH), bad = makeDevice(kPhoneBad);
    provision({&g, &h, &bad});
    login(g);
    login(h);
    g_ = &g;
    h_ = &h;
    log_ += sim_.takeLog();
    closings_ = log_.count(QStringLiteral("closing:"));
    {
      RawSocket s(sim_.ws());
      s.socket->sendBinaryMessage(QByteArray("XY\x06\x02", 4) + frame(QByteArray(20, 'x')));
      expectIsolated([&s] { return s.closed; }, "bad intro header");
    }
    {
      RawSocket s(sim_.ws());
      s.socket->sendBinaryMessage(intro() + frame(qt(random_.bytes(40))));
      expectIsolated([&s] { return s.closed; }, "garbage ClientHello");
    }
    {
      RawSocket s(sim_.ws());
      auto initiator = core::noise::NoiseInitiator::create(
          {core::frame::introHeader(2).value(),
           core::crypto::generateKeyPair(random_).value(),
           core::crypto::generateKeyPair(random_).value(), sim_.rootKey()}).value();
      s.socket->sendBinaryMessage(intro() + frame(qt(initiator.start().value())));
      if (!waitUntil([&s] { return !s.received.empty() || s.closed; }) || s.received.empty())
        die("no ServerHello");
      s.socket->sendBinaryMessage(frame(qt(random_.bytes(80))));
      expectIsolated([&s] { return s.closed; }, "garbage ClientFinish");
    }
    login(bad);
    bad.client->sendRaw(frame(qt(random_.bytes(60))));
    expectIsolated([&bad] { return !bad.closedWhy.empty(); }, "garbage ciphertext after login");
    login(bad);
    bad.client->sendSealed(Bytes{0x00, 0xf8, 0xff, 0xfe, 0x01, 0x02, 0x03});
    expectIsolated([&bad] { return !bad.closedWhy.empty(); }, "a sealed frame that is no node");
    {
      RawSocket s(sim_.ws());
      s.socket->sendBinaryMessage(intro() + QByteArray("\xff\xff\xff\x00\x00", 5));
      expectIsolated([&s] { return s.closed; }, "length prefix over the frame cap");
    }
  }

 private:
  SimProcess& sim_;
  core::Random& random_;
  Device* g_ = nullptr;
  Device* h_ = nullptr;
  QString log_;
  qsizetype closings_ = 0;
  int round_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (argc != 3 || std::string(argv[1]) != "--sim")
    die("usage: sim_robustness_check --sim PATH/chorus-sim");
  QTemporaryDir dir;
  if (!dir.isValid()) die("no temporary folder");
  SimProcess sim;
  if (auto error = sim.start(QString::fromLocal8Bit(argv[2]), dir.path(),
                             QStringLiteral("warn"), true)) {
    die(*error);
  }
  core::SystemRandom random;
  Check check(sim, random);
  check.run();
  sim.stop();
  std::printf("sim_robustness_check: all passed\n");
  return 0;
}
