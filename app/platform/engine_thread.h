// EngineThread: the GUI's home for the Engine (architecture §2 "One engine thread"). Owns a
// QThread and an Engine living on it; the GUI thread hands it work with post() and hears back
// through Engine::event (connect with Qt::QueuedConnection) or by posting to its own objects.
//
//   EngineThread engine(options);            // thread started, Engine constructed on it
//   engine.post([store = ...](Engine& e) mutable { e.open(std::move(store), ...); });
//   QObject::connect(engine.engine(), &Engine::event, window, ..., Qt::QueuedConnection);
//   // ~EngineThread: Engine::shutdown and destruction on the engine thread, then quit + wait.
#pragma once

#include <QThread>
#include <atomic>
#include <functional>

#include "app/platform/engine.h"

namespace chorus::app {

class EngineThread final {
 public:
  // Starts the thread and builds the Engine on it (returns once it exists).
  explicit EngineThread(EngineOptions options);
  ~EngineThread();
  EngineThread(const EngineThread&) = delete;
  EngineThread& operator=(const EngineThread&) = delete;

  // Runs `work` on the engine thread, after everything posted before it. Never blocks. Any
  // thread may post; work is dropped once the destructor has begun.
  void post(std::function<void(Engine&)> work);
  // The Engine, for connect() only: its methods must run on the engine thread (use post).
  [[nodiscard]] Engine* engine() const noexcept { return engine_; }
  [[nodiscard]] QThread& thread() noexcept { return thread_; }

 private:
  QThread thread_;
  Engine* engine_ = nullptr;
  std::atomic<bool> stopping_{false};
};

}  // namespace chorus::app
