#include "app/sim/sim_queue.h"

#include <QTimer>
#include <sqlite3.h>

#include "core/protocol/binary/codec.h"

namespace chorus::sim {
namespace {

// Queued stanzas are stored as node bytes in one fixed dictionary and re-encoded in each
// connection's own dictionary on delivery.
constexpr auto kStorageDict = core::binary::DictVersion::V3;

}  // namespace

SimQueue::~SimQueue() {
  flush();
}

core::Status SimQueue::beginBatch() {
  if (batchOpen_) return core::ok();
  CHORUS_CHECK(sqlExec(db_, "BEGIN"));
  batchOpen_ = true;
  QTimer::singleShot(0, &timerContext_, [this] { flush(); });
  return core::ok();
}

void SimQueue::flush() {
  if (!batchOpen_) return;
  batchOpen_ = false;
  if (insert_) insert_->reset();
  if (delete_) delete_->reset();
  if (!sqlExec(db_, "COMMIT")) (void)sqlExec(db_, "ROLLBACK");
}

core::Status SimQueue::push(std::string_view phone, std::uint32_t device,
                            const core::binary::Node& node) {
  CHORUS_TRY(bytes, core::binary::encode(node, kStorageDict));
  CHORUS_CHECK(beginBatch());
  if (!insert_) {
    insert_ = std::make_unique<SqlStatement>(db_,
                                             "INSERT INTO queue(phone, device, class, stanza_id, "
                                             "node) VALUES(?1, ?2, ?3, ?4, ?5)");
  }
  SqlStatement& st = *insert_;
  st.reset();
  if (!st.ok()) return st.error("queueing a stanza");
  st.bind(1, phone);
  st.bind(2, static_cast<std::int64_t>(device));
  st.bind(3, node.tag);
  st.bind(4, node.attrText("id").value_or(""));
  st.bind(5, bytes);
  return st.run("queueing a stanza");
}

core::Result<std::vector<core::binary::Node>> SimQueue::pending(std::string_view phone,
                                                                std::uint32_t device) {
  SqlStatement st(db_, "SELECT node FROM queue WHERE phone = ?1 AND device = ?2 ORDER BY seq");
  if (!st.ok()) return st.error("reading the queue");
  st.bind(1, phone);
  st.bind(2, static_cast<std::int64_t>(device));
  std::vector<core::binary::Node> nodes;
  while (st.stepRow()) {
    auto node = core::binary::decode(st.blob(0), kStorageDict);
    if (node) nodes.push_back(std::move(*node));  // an undecodable row is skipped
  }
  if (!st.finished()) return st.error("reading the queue");
  return nodes;
}

core::Result<std::size_t> SimQueue::ack(std::string_view phone, std::uint32_t device,
                                        std::string_view stanzaClass, std::string_view id) {
  CHORUS_CHECK(beginBatch());
  if (!delete_) {
    delete_ = std::make_unique<SqlStatement>(db_,
                                             "DELETE FROM queue WHERE phone = ?1 AND device = ?2 "
                                             "AND class = ?3 AND stanza_id = ?4");
  }
  SqlStatement& st = *delete_;
  st.reset();
  if (!st.ok()) return st.error("acking a stanza");
  st.bind(1, phone);
  st.bind(2, static_cast<std::int64_t>(device));
  st.bind(3, stanzaClass);
  st.bind(4, id);
  CHORUS_CHECK(st.run("acking a stanza"));
  return static_cast<std::size_t>(sqlite3_changes(db_));
}

core::Result<std::size_t> SimQueue::size(std::string_view phone, std::uint32_t device) {
  SqlStatement st(db_, "SELECT COUNT(*) FROM queue WHERE phone = ?1 AND device = ?2");
  if (!st.ok()) return st.error("counting the queue");
  st.bind(1, phone);
  st.bind(2, static_cast<std::int64_t>(device));
  if (!st.stepRow()) return st.error("counting the queue");
  return static_cast<std::size_t>(st.integer(0));
}

}  // namespace chorus::sim
