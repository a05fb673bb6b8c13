// SimConnection's fault side (docs/sim.md, "Faults"): the encrypting writer behind SimFaults,
// abort, stall, and the expiry of the QR refs of a registration connection (§6.2).
#include <QWebSocket>
#include <algorithm>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_hub.h"

namespace chorus::sim {
namespace {

using core::LogLevel;

// After the last QR ref expires the connection stays open this long, so a client keeping the
// same time (Baileys with qrTimeout) reports its own timeout first.
constexpr std::chrono::milliseconds kRefsEndGrace{1'500};

}  // namespace

void SimConnection::writeFrame(const core::Bytes& plain) {
  if (stage_ == Stage::Closed || !cipher_) return;
  auto sealed = cipher_->encrypt(plain);
  if (!sealed) {
    closeWith("cannot encrypt: " + core::describe(sealed.error()));
    return;
  }
  auto wire = encoder_->encode(*sealed);
  if (!wire) {
    closeWith("cannot frame: " + core::describe(wire.error()));
    return;
  }
  socket_->sendBinaryMessage(QByteArray(reinterpret_cast<const char*>(wire->data()),
                                        static_cast<qsizetype>(wire->size())));
}

void SimConnection::abort(const std::string& why) {
  if (stage_ == Stage::Closed) return;
  logLine(LogLevel::Info, "aborting: " + why);
  stage_ = Stage::Closed;
  idleTimer_.stop();
  refTimer_.stop();
  socket_->abort();
}

void SimConnection::stall(std::chrono::milliseconds duration) {
  logLine(LogLevel::Info, "stalled for " + std::to_string(duration.count()) + " ms");
  inputHeld_ = true;
  faults_->hold();
  QTimer::singleShot(duration, this, [this] {
    if (!inputHeld_) return;
    inputHeld_ = false;
    faults_->release();
    std::vector<QByteArray> held = std::move(heldInput_);
    heldInput_.clear();
    logLine(LogLevel::Info, "resumed after a stall (" + std::to_string(held.size()) +
                                " WebSocket messages waited)");
    for (const QByteArray& data : held) {
      if (inputHeld_ || stage_ == Stage::Closed) break;
      onBinary(data);
    }
  });
}

void SimConnection::startRefExpiry() {
  const SimConfig& config = ctx_.hub.sessions().config();
  qrFirst_ = config.qrFirst;
  qrNext_ = config.qrNext;
  refsSentAt_ = std::chrono::steady_clock::now();
  const auto refs = static_cast<int>(companion_.refs.size());
  refTimer_.start(qrFirst_ + qrNext_ * std::max(refs - 1, 0) + kRefsEndGrace);
}

bool SimConnection::refIsLive(std::string_view ref) const {
  const auto& refs = companion_.refs;
  const auto it = std::find(refs.begin(), refs.end(), ref);
  if (it == refs.end() || !refTimer_.isActive()) return it != refs.end();
  const auto index = static_cast<int>(it - refs.begin());
  return std::chrono::steady_clock::now() < refsSentAt_ + qrFirst_ + qrNext_ * index;
}

void SimConnection::stopRefExpiry() {
  refTimer_.stop();
}

void SimConnection::onRefsExhausted() {
  if (kind_ != Kind::Registration || stage_ != Stage::Transport) return;
  logLine(LogLevel::Info, "all QR refs expired: closing");
  stage_ = Stage::Closed;
  idleTimer_.stop();
  socket_->close(QWebSocketProtocol::CloseCodeNormal);
}

}  // namespace chorus::sim
