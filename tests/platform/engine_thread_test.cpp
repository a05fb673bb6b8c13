// EngineThread: the Engine lives and works on its own thread; post() runs there in order; the
// destructor shuts the engine down on that thread and joins it.
#include "app/platform/engine_thread.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "tests/platform/event_wait.h"

namespace chorus::app {
namespace {

using test::waitUntil;

TEST(EngineThread, RunsTheEngineOnItsThreadAndShutsDownCleanly) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  EngineOptions options;
  options.dataDir = tmp.path();
  options.server.chatUrl = QUrl(QStringLiteral("ws://127.0.0.1:9/ws/chat"));  // never reached
  options.watchNetwork = false;

  std::atomic<int> opened{0};
  std::atomic<bool> onItsThread{false};
  std::mutex mutex;
  std::vector<int> order;
  std::atomic<int> events{0};
  {
    auto thread = std::make_unique<EngineThread>(options);
    ASSERT_NE(thread->engine(), nullptr);
    EXPECT_EQ(thread->engine()->thread(), &thread->thread());
    QObject context;
    QObject::connect(thread->engine(), &Engine::event, &context,
                     [&](const api::AccountEvent&) { ++events; }, Qt::QueuedConnection);
    QThread* engineThread = &thread->thread();
    thread->post([&, engineThread](Engine& engine) {
      onItsThread = QThread::currentThread() == engineThread;
      engine.open(std::make_unique<core::store::MemorySecretStore>(),
                  [&](core::Status s) { opened = s ? 1 : -1; });
    });
    for (int i = 0; i < 5; ++i) {
      thread->post([&, i](Engine&) {
        std::lock_guard lock(mutex);
        order.push_back(i);
      });
    }
    ASSERT_TRUE(waitUntil([&] { return opened.load() != 0; }));
    EXPECT_EQ(opened.load(), 1);
    EXPECT_TRUE(onItsThread.load());
    std::atomic<bool> added{false};
    thread->post([&](Engine& engine) {
      engine.registry().add("Shop", [&](core::Result<api::AccountId> r) { added = r.has_value(); });
    });
    ASSERT_TRUE(waitUntil([&] { return added.load(); }));
    // The AccountsChanged (and status) events reach this thread through the queued signal.
    ASSERT_TRUE(waitUntil([&] { return events.load() > 0; }));
    thread.reset();  // shutdown on the engine thread, then quit and wait
  }
  std::lock_guard lock(mutex);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace chorus::app
