#include "app/platform/engine_thread.h"

#include <QMetaObject>

namespace chorus::app {

EngineThread::EngineThread(EngineOptions options) {
  thread_.setObjectName(QStringLiteral("chorus-engine"));
  thread_.start();
  // Built here and moved: it has no parent and no children yet, and nothing runs on it before
  // the move completes (post() is only possible after the constructor returns).
  engine_ = new Engine(std::move(options));
  engine_->moveToThread(&thread_);
}

EngineThread::~EngineThread() {
  stopping_ = true;
  Engine* engine = engine_;
  // Shutdown and destruction on the engine thread (sockets, timers and databases belong to
  // it), then the thread ends. Blocking is fine here: this is the application's exit. The
  // Engine cannot delete itself inside its own event: deleteLater, which QThread carries out
  // as it finishes.
  QMetaObject::invokeMethod(
      engine,
      [engine] {
        engine->shutdown();
        engine->deleteLater();
      },
      Qt::BlockingQueuedConnection);
  thread_.quit();
  thread_.wait();
}

void EngineThread::post(std::function<void(Engine&)> work) {
  if (stopping_) return;
  Engine* engine = engine_;
  QMetaObject::invokeMethod(engine, [engine, work = std::move(work)] { work(*engine); },
                            Qt::QueuedConnection);
}

}  // namespace chorus::app
