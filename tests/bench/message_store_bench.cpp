// The message store of one account (core/store, issue 5) on a real file database (WAL, the
// production pragmas, every value sealed):
//   * receive: N incoming messages into one chat, one transaction each (as the session
//     commits a message with its Signal state) — messages per second;
//   * latest page of P, then paging to the top P at a time with before() — time per page
//     fetch (target < 16 ms: one frame);
//   * chat list of C chats (each with a named contact and a last message) and a search over
//     them — time per call;
//   * markChatRead of the N-message chat (all unread).
// A plain timed program printing a table; ctest runs a smoke pass with small numbers.
//
// Usage: message_store_bench [--messages N] [--chats C] [--page P] [--dir FOLDER]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/store/account_schema.h"
#include "core/store/chat_store.h"
#include "core/store/contact_store.h"
#include "core/store/message_query.h"
#include "core/store/message_store.h"
#include "core/store/migrations.h"
#include "core/util/random.h"
#include "tests/common/bench_stats.h"

namespace {

namespace store = chorus::core::store;
using chorus::core::fromUnixSeconds;
using chorus::core::SeededRandom;
using chorus::core::TimePoint;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kChat = "447700900123@s.whatsapp.net";
constexpr double kFrameMs = 16.0;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "message_store_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T check(chorus::core::Result<T> result, const char* what) {
  if (!result) die(std::string(what) + ": " + chorus::core::describe(result.error()));
  return std::move(*result);
}

void check(const chorus::core::Status& status, const char* what) {
  if (!status) die(std::string(what) + ": " + chorus::core::describe(status.error()));
}

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

using chorus::testsupport::Stats;
using chorus::testsupport::stats;

void row(const char* what, const Stats& s, const char* note = "") {
  std::printf("| %-34s | %7zu | %9.3f | %9.3f | %9.3f | %-14s |\n", what, s.count, s.median, s.p99,
              s.max, note);
}

std::string text(std::size_t i) {
  // About the size of a chat line, different every time.
  return "Message number " + std::to_string(i) + ": the delivery arrives tomorrow at ten.";
}

struct Options {
  std::size_t messages = 50'000;
  std::size_t chats = 500;
  std::size_t page = 50;
  std::filesystem::path dir;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) die("missing value for " + arg);
    const std::string value = argv[++i];
    if (arg == "--messages") {
      o.messages = std::strtoull(value.c_str(), nullptr, 10);
    } else if (arg == "--chats") {
      o.chats = std::strtoull(value.c_str(), nullptr, 10);
    } else if (arg == "--page") {
      o.page = std::strtoull(value.c_str(), nullptr, 10);
    } else if (arg == "--dir") {
      o.dir = value;
    } else {
      die("unknown option " + arg);
    }
  }
  if (o.messages == 0 || o.chats == 0 || o.page == 0) die("counts must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  bool removeDir = false;
  if (options.dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "chorus-message-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) die("mkdtemp failed");
    options.dir = pattern;
    removeDir = true;
  }

  SeededRandom random(1);
  const store::DataKey dataKey = store::DataKey::generate(random);
  const auto lookup = check(store::MessageLookupKey::derive(dataKey), "derive lookup key");
  store::ColumnCipher cipher(dataKey.clone(), random);
  auto db = check(store::Database::open(options.dir / "chorus.db"), "open");
  check(store::migrate(*db, store::accountMigrations()), "migrate");
  store::MessageStore messages(*db, cipher, lookup);
  store::MessageQuery query(*db, cipher, lookup);
  store::ChatStore chats(*db, cipher, lookup);
  store::ContactStore contacts(*db, cipher, lookup);
  const TimePoint t0 = fromUnixSeconds(1'700'000'000);

  std::printf("message store: %zu messages in one chat, %zu chats, pages of %zu\n\n",
              options.messages, options.chats, options.page);
  std::printf("| %-34s | %7s | %9s | %9s | %9s | %-14s |\n", "operation", "n", "median ms",
              "p99 ms", "max ms", "");
  std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(9, '-').c_str(),
              std::string(11, '-').c_str(), std::string(11, '-').c_str(),
              std::string(11, '-').c_str(), std::string(16, '-').c_str());

  // 1. Receive into one chat, one transaction per message. Every 7th message shares its
  // timestamp with the previous one, so paging meets ties.
  std::vector<double> inserts;
  inserts.reserve(options.messages);
  const auto insertStart = Clock::now();
  for (std::size_t i = 0; i < options.messages; ++i) {
    store::IncomingMessage m;
    m.chatJid = std::string(kChat);
    m.senderJid = std::string(kChat);
    m.id = "3EB0" + std::to_string(1'000'000 + i);
    m.timestamp = t0 + std::chrono::seconds(static_cast<std::int64_t>(i - i / 7));
    m.text = text(i);
    const auto start = Clock::now();
    (void)check(messages.insertIncoming(m), "insert");
    inserts.push_back(msSince(start));
  }
  const double insertTotal = msSince(insertStart);
  char note[32];
  std::snprintf(note, sizeof note, "%.0f msg/s",
                1000.0 * static_cast<double>(options.messages) / insertTotal);
  row("insert incoming (1 tx each)", stats(inserts), note);

  // 2. Latest page, then paging to the top.
  std::vector<double> latest;
  for (int i = 0; i < 20; ++i) {
    const auto start = Clock::now();
    const auto page = check(query.latest(kChat, options.page), "latest");
    latest.push_back(msSince(start));
    if (page.size() != std::min(options.page, options.messages)) die("latest page size");
  }
  row("latest page", stats(latest));

  std::vector<double> pages;
  std::size_t seen = 0;
  auto page = check(query.latest(kChat, options.page), "latest");
  seen += page.size();
  while (!page.empty()) {
    const auto start = Clock::now();
    page = check(query.before(kChat, page.front().localId, options.page), "before");
    pages.push_back(msSince(start));
    seen += page.size();
  }
  if (seen != options.messages) die("paging saw " + std::to_string(seen) + " messages");
  const Stats pageStats = stats(pages);
  row("page before() to the top", pageStats,
      pageStats.max < kFrameMs ? "all < 16 ms" : "OVER 16 ms");

  // 3. Many chats: a named contact and a last message each.
  const auto chatsStart = Clock::now();
  {
    auto tx = check(db->begin(), "begin");
    for (std::size_t c = 0; c < options.chats; ++c) {
      const std::string jid = "4420" + std::to_string(70'000'000 + c) + "@s.whatsapp.net";
      check(contacts.setPushName(jid, "Customer " + std::to_string(c), t0), "push name");
      store::IncomingMessage m;
      m.chatJid = jid;
      m.senderJid = jid;
      m.id = "3EB0C" + std::to_string(c);
      m.timestamp = t0 + std::chrono::seconds(static_cast<std::int64_t>(c));
      m.text = text(c);
      (void)check(messages.insertIncoming(m), "insert chat message");
    }
    check(tx.commit(), "commit");
  }
  std::snprintf(note, sizeof note, "setup %.0f ms", msSince(chatsStart));
  std::vector<double> lists;
  const std::size_t listSize = std::min<std::size_t>(options.chats + 1, store::rows::kMaxPageSize);
  for (int i = 0; i < 20; ++i) {
    const auto start = Clock::now();
    const auto list = check(chats.chatList(listSize), "chat list");
    lists.push_back(msSince(start));
    if (list.size() != listSize) die("chat list size");
  }
  row("chat list (all chats)", stats(lists), note);

  std::vector<double> searches;
  for (int i = 0; i < 20; ++i) {
    const auto start = Clock::now();
    const auto found = check(chats.search(i % 2 ? "customer 1" : "+44 2070", 20), "search");
    searches.push_back(msSince(start));
    if (found.empty()) die("search found nothing");
  }
  row("search chats (name / number)", stats(searches));

  // 4. Reading the big chat: every message needs a read receipt.
  const auto readStart = Clock::now();
  const auto targets = check(messages.markChatRead(kChat), "mark read");
  const double readMs = msSince(readStart);
  if (targets.size() != options.messages) die("markChatRead returned the wrong count");
  row("markChatRead (all unread)", Stats{readMs, readMs, readMs, 1});

  std::printf(
      "\ndatabase file: %.1f MB (+ WAL %.1f MB)\n",
      static_cast<double>(std::filesystem::file_size(options.dir / "chorus.db")) / 1e6,
      std::filesystem::exists(options.dir / "chorus.db-wal")
          ? static_cast<double>(std::filesystem::file_size(options.dir / "chorus.db-wal")) / 1e6
          : 0.0);
  db.reset();
  if (removeDir) {
    std::error_code ec;
    std::filesystem::remove_all(options.dir, ec);
  }
  return 0;
}
