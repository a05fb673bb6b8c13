// The desktop app's promised speeds (docs/performance.md "Desktop app"):
//   * cold start to a shown main window: `chorus --smoke-test` run R times (it prints the time
//     from main() to the window shown) — target < 500 ms;
//   * a chat of N messages (default 50,000) through the real store and the real engine thread:
//     an account's database filled with core/store MessageStore, then EngineBackend +
//     MessageListModel + the ConversationView (its
//     delegate, paging at the top): time from opening the chat to its first page
//     shown (target < 100 ms), then every older page fetched and shown while scrolling to the
//     top (target < 16 ms each: one frame).
// A plain timed program printing a table; ctest runs a smoke pass with small numbers.
//
// Usage: chat_open_bench [--messages N] [--no-view] [--chorus PATH --runs R]
// (--no-view: the engine thread, the store and MessageListModel without the view)
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTemporaryDir>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/desktop/engine_backend.h"
#include "app/platform/engine_thread.h"
#include "core/store/account_schema.h"
#include "core/store/column_cipher.h"
#include "core/store/data_key.h"
#include "core/store/database.h"
#include "core/store/message_lookup_key.h"
#include "core/store/message_store.h"
#include "core/util/random.h"
#include "tests/common/bench_stats.h"
#include "tests/integration/engine/engine_harness.h"
#include "tests/integration/support/sim_client.h"
#include "ui/message_list_model.h"
#include "ui/settings.h"
#include "ui/window/conversation_view.h"

namespace {

namespace api = chorus::api;
namespace app = chorus::app;
namespace core = chorus::core;
namespace store = chorus::core::store;
using chorus::testing::SharedSecrets;
using chorus::testing::SharedSecretStore;
using chorus::testing::waitUntil;

constexpr char kChat[] = "447700900123@s.whatsapp.net";
constexpr double kWindowTargetMs = 500;
constexpr double kShownTargetMs = 100;
constexpr double kFrameMs = 16;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "chat_open_bench: %s\n", what.c_str());
  std::exit(1);
}

using chorus::testsupport::Stats;
using chorus::testsupport::stats;

void row(const char* what, const Stats& s, double target) {
  std::printf("| %-38s | %6zu | %9.2f | %9.2f | %9.2f | %-12s |\n", what, s.count, s.median, s.p99,
              s.max, s.max < target ? "all < target" : "OVER target");
}

// An engine on `dir` with the shared in-memory secrets, opened; destroyed with the thread.
std::unique_ptr<app::EngineThread> openEngine(const QString& dir, SharedSecrets& secrets) {
  app::EngineOptions options;
  options.dataDir = dir;
  options.watchNetwork = false;
  auto engine = std::make_unique<app::EngineThread>(options);
  std::optional<core::Status> opened;
  engine->post([&](app::Engine& e) {
    e.open(std::make_unique<SharedSecretStore>(secrets), [&](core::Status s) {
      QMetaObject::invokeMethod(
          qApp, [&opened, s] { opened = s; }, Qt::QueuedConnection);
    });
  });
  if (!waitUntil([&] { return opened.has_value(); }, 30'000) || !*opened) die("engine open");
  return engine;
}

// Makes an (unlinked) account and fills its database with `count` incoming messages in kChat.
api::AccountId makeAccount(const QString& dir, SharedSecrets& secrets, std::size_t count) {
  std::optional<core::Result<api::AccountId>> added;
  {
    auto engine = openEngine(dir, secrets);
    engine->post([&](app::Engine& e) {
      e.registry().add("Bench", [&](core::Result<api::AccountId> r) {
        QMetaObject::invokeMethod(
            qApp, [&added, r] { added = r; }, Qt::QueuedConnection);
      });
    });
    if (!waitUntil([&] { return added.has_value(); }, 30'000) || !*added) die("add account");
  }  // closed: the database is free to fill
  const api::AccountId id = added->value();
  auto key = store::DataKey::fromBytes(secrets.at(store::dataKeySecretName(id)).clone());
  if (!key) die("data key");
  auto lookup = store::MessageLookupKey::derive(*key);
  if (!lookup) die("lookup key");
  core::SystemRandom random;
  store::ColumnCipher cipher(std::move(*key), random);
  const std::string file =
      (QDir(dir).filePath(QStringLiteral("accounts/%1/chorus.db")).arg(QString::fromStdString(id)))
          .toStdString();
  auto db = store::Database::open(file);
  if (!db) die("open " + file + ": " + core::describe(db.error()));
  store::MessageStore messages(**db, cipher, *lookup);
  auto tx = (*db)->begin();
  if (!tx) die("begin");
  const auto t0 = core::fromUnixSeconds(1'700'000'000);
  for (std::size_t i = 0; i < count; ++i) {
    store::IncomingMessage m;
    m.chatJid = kChat;
    m.senderJid = kChat;
    m.id = "3EB0" + std::to_string(1'000'000 + i);
    m.timestamp = t0 + std::chrono::seconds(static_cast<std::int64_t>(i));
    m.text = "Message number " + std::to_string(i) + ": the delivery arrives tomorrow at ten.";
    if (!messages.insertIncoming(m)) die("insert");
  }
  if (!tx->commit()) die("commit");
  return id;
}

void chatBench(std::size_t count, bool withView) {
  QTemporaryDir tmp;
  if (!tmp.isValid()) die("no temporary folder");
  SharedSecrets secrets;
  QElapsedTimer fill;
  fill.start();
  const api::AccountId id = makeAccount(tmp.path(), secrets, count);
  std::printf("chat of %zu messages (filled in %lld ms), pages of %d\n\n", count,
              static_cast<long long>(fill.elapsed()), chorus::ui::MessageListModel::kPageSize);

  auto engine = openEngine(tmp.path(), secrets);
  app::desktop::EngineBackend backend(*engine);
  chorus::ui::MessageListModel model(backend);
  chorus::ui::Settings settings(tmp.filePath(QStringLiteral("settings.ini")));
  // Without the view (--no-view): the engine thread, the store and the model alone.
  std::unique_ptr<chorus::ui::ConversationView> shownView;
  if (withView) {
    shownView = std::make_unique<chorus::ui::ConversationView>(model, settings);
    shownView->resize(600, 800);
    shownView->show();
  }
  QObject anchor;  // receiver of the page signal
  QWidget* viewport = withView ? shownView->viewport() : nullptr;
  (void)waitUntil([] { return false; }, 200);  // the window is up and idle

  bool pageIn = false;
  QElapsedTimer* running = nullptr;
  double inModelMs = 0;  // the page's rows are in the model (before the view lays them out)
  QObject::connect(&model, &chorus::ui::MessageListModel::pageLoaded, &anchor, [&](int, bool) {
    pageIn = true;
    if (running != nullptr) inModelMs = static_cast<double>(running->nsecsElapsed()) / 1e6;
  });
  auto shownAfter = [&](QElapsedTimer& t) {
    running = &t;
    if (!waitUntil([&] { return pageIn; }, 10'000)) die("no page");
    if (viewport != nullptr) viewport->repaint();  // the rows painted before the clock stops
    QApplication::processEvents();
    running = nullptr;
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
  };

  std::vector<double> opens;
  for (int i = 0; i < 10; ++i) {
    model.close();
    pageIn = false;
    QElapsedTimer t;
    t.start();
    model.open(id, kChat);
    opens.push_back(shownAfter(t));
  }

  std::vector<double> pages;
  std::vector<double> modelPages;
  while (!model.reachedStart()) {
    // The person drags the scroll bar to the top: the view asks for the older page itself.
    pageIn = false;
    QElapsedTimer t;
    t.start();
    if (withView) {
      QScrollBar* bar = shownView->verticalScrollBar();
      bar->setValue(bar->minimum());
    }
    if (!model.isLoading()) model.fetchMore({});  // already at the top: the view did not ask
    pages.push_back(shownAfter(t));
    modelPages.push_back(inModelMs);
  }
  // The model holds a bounded window: at the top it holds the oldest messages, the first one
  // first, and every page was one page.
  const std::size_t held = std::min<std::size_t>(count, chorus::ui::MessageListModel::kMaxRows);
  if (static_cast<std::size_t>(model.rowCount()) != held || model.message(0) == nullptr ||
      model.message(0)->text.rfind("Message number 0:", 0) != 0) {
    die("scrolled to the top with " + std::to_string(model.rowCount()) + " rows, first " +
        (model.message(0) != nullptr ? model.message(0)->text : std::string("none")));
  }
  std::printf("| %-38s | %6s | %9s | %9s | %9s | %-12s |\n", "operation", "n", "median ms",
              "p99 ms", "max ms", "");
  std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(40, '-').c_str(), std::string(8, '-').c_str(),
              std::string(11, '-').c_str(), std::string(11, '-').c_str(),
              std::string(11, '-').c_str(), std::string(14, '-').c_str());
  row("open chat: first page shown (<100)", stats(opens), kShownTargetMs);
  row("older page in the model (<16)", stats(modelPages), kFrameMs);
  row("older page fetched and shown (<16)", stats(pages), kFrameMs);
  // The cost grows with the rows already loaded: the first and the last 20 pages apart.
  const std::size_t n = std::min<std::size_t>(20, pages.size());
  row("  the first 20 pages", stats({pages.begin(), pages.begin() + static_cast<long>(n)}),
      kFrameMs);
  row("  the last 20 pages", stats({pages.end() - static_cast<long>(n), pages.end()}), kFrameMs);
}

void coldStart(const QString& chorus, int runs) {
  QTemporaryDir tmp;
  std::vector<double> times;
  const QRegularExpression shown(QStringLiteral("main window shown in ([0-9]+) ms"));
  for (int i = 0; i < runs; ++i) {
    QProcess p;
    p.start(chorus, {QStringLiteral("--smoke-test"), QStringLiteral("--data"), tmp.path()});
    if (!p.waitForFinished(30'000)) die("chorus --smoke-test did not finish");
    const auto match = shown.match(QString::fromUtf8(p.readAllStandardOutput()));
    if (!match.hasMatch()) die("chorus --smoke-test printed no time");
    times.push_back(match.captured(1).toDouble());
  }
  std::printf("\n");
  row("chorus --smoke-test: window shown (<500)", stats(times), kWindowTargetMs);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  std::size_t count = 50'000;
  QString chorus;
  int runs = 10;
  bool withView = true;
  const QStringList args = QApplication::arguments();
  for (qsizetype i = 1; i < args.size(); i += 2) {
    if (args[i] == QLatin1String("--no-view")) {
      withView = false;
      --i;
    } else if (i + 1 >= args.size()) {
      die("missing value for " + args[i].toStdString());
    } else if (args[i] == QLatin1String("--messages")) {
      count = args[i + 1].toULongLong();
    } else if (args[i] == QLatin1String("--chorus")) {
      chorus = args[i + 1];
    } else if (args[i] == QLatin1String("--runs")) {
      runs = args[i + 1].toInt();
    } else {
      die("usage: chat_open_bench [--messages N] [--no-view] [--chorus PATH --runs R]");
    }
  }
  if (count == 0) die("--messages must be positive");
  chatBench(count, withView);
  if (!chorus.isEmpty()) coldStart(chorus, std::max(runs, 1));
  return 0;
}
