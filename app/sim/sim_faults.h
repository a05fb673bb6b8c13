// SimFaults: the fault injection on one connection's send path (docs/sim.md, "Faults"). Every
// outgoing stanza passes through it as an encoded, not yet encrypted frame, and it hands frames
// to the writer (which encrypts and writes them) in the order they leave:
//
//   delay        every frame waits this long (order kept);
//   duplicate N  the next N frames are written twice (the client sees the stanza again);
//   swap         the next two frames leave in reverse order (the first waits for the second);
//   hold         nothing leaves until release() (a stalled connection).
//
// Faults act on stanzas, not on ciphertext: the Noise transport counts frames, so a repeated or
// reordered ciphertext would only be a decryption failure at the client, the same as a broken
// connection. Each copy is therefore encrypted as a frame of its own, in leaving order.
#pragma once

#include <QObject>
#include <QTimer>
#include <chrono>
#include <deque>
#include <functional>
#include <optional>

#include "core/util/bytes.h"

namespace chorus::sim {

class SimFaults final : public QObject {
  Q_OBJECT

 public:
  using Writer = std::function<void(const core::Bytes& frame)>;
  struct Settings {
    std::chrono::milliseconds delay{0};
    int duplicate = 0;  // how many of the next frames are sent twice
    bool swap = false;  // whether the next two frames are swapped
  };

  SimFaults(Writer writer, QObject* parent);

  void configure(const Settings& settings);
  [[nodiscard]] const Settings& settings() const noexcept { return settings_; }
  // One outgoing frame, in the order the connection produced it.
  void send(core::Bytes frame);
  void hold();
  void release();
  [[nodiscard]] bool isHeld() const noexcept { return held_; }
  // Frames waiting (delayed, held or kept for a swap).
  [[nodiscard]] std::size_t waiting() const noexcept;

 private:
  using Clock = std::chrono::steady_clock;
  void enqueue(core::Bytes frame);
  void pump();

  Writer writer_;
  Settings settings_;
  std::deque<std::pair<Clock::time_point, core::Bytes>> queue_;
  std::optional<core::Bytes> swapFirst_;
  bool held_ = false;
  QTimer timer_;
};

}  // namespace chorus::sim
