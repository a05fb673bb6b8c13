// SimIqHandlers: answers client <iq type="get|set"> by namespace (§4.7, §8, §15.1 step 6).
//   sim_iq_handlers.cpp  dispatch, w:p, passive, w, blocklist, privacy, dirty, w:stats,
//                        w:m media_conn, w:sync:app:state, md remove-companion-device
//   sim_iq_encrypt.cpp   encrypt: prekey count, upload and bundle fetch (§8.2, §8.3, §15.4)
//   sim_iq_usync.cpp     usync: device lists with key indexes, contact, lid (§8.5)
//   sim_iq_groups.cpp    w:g2: groups and their w:gp2 notifications (§10.1)
// Unknown namespaces get 501 feature-not-implemented; structurally malformed requests return an
// error, which closes the connection.
#pragma once

#include <string>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/util/result.h"

namespace chorus::sim {

class SimConnection;
class SimHub;
struct GroupRecord;

class SimIqHandlers {
 public:
  explicit SimIqHandlers(SimHub& hub);

  [[nodiscard]] core::Status handle(SimConnection& connection, const core::binary::Node& iq);

 private:
  using Node = core::binary::Node;
  [[nodiscard]] core::Status mediaConn(SimConnection& c, const std::string& id);
  [[nodiscard]] core::Status privacy(SimConnection& c, const std::string& id, const Node& iq);
  [[nodiscard]] core::Status appState(SimConnection& c, const std::string& id, const Node& iq);
  [[nodiscard]] core::Status md(SimConnection& c, const std::string& id, const Node& iq);
  // sim_iq_encrypt.cpp
  [[nodiscard]] core::Status encrypt(SimConnection& c, const std::string& id, const Node& iq);
  [[nodiscard]] core::Status preKeyCount(SimConnection& c, const std::string& id);
  [[nodiscard]] core::Status preKeyUpload(SimConnection& c, const std::string& id,
                                          const Node& iq);
  [[nodiscard]] core::Status preKeyFetch(SimConnection& c, const std::string& id,
                                         const Node& key);
  // sim_iq_usync.cpp
  [[nodiscard]] core::Status usync(SimConnection& c, const std::string& id, const Node& iq);
  // sim_iq_groups.cpp
  [[nodiscard]] core::Status groups(SimConnection& c, const std::string& id, const Node& iq);
  [[nodiscard]] core::Status groupCreate(SimConnection& c, const std::string& id,
                                         const Node& create);
  [[nodiscard]] core::Status groupLeave(SimConnection& c, const std::string& id,
                                        const Node& leave);
  [[nodiscard]] core::Status groupParticipants(SimConnection& c, const std::string& id,
                                               GroupRecord group, const Node& request);
  // Queues `change` as a w:gp2 notification for every device of the members and of `extra`,
  // except the acting device.
  [[nodiscard]] core::Status notifyGroup(const GroupRecord& group,
                                         const std::vector<std::string>& extra,
                                         SimConnection& actor, Node change);

  SimHub& hub_;
  std::string mediaAuth_;  // the media_conn auth token, one per run
};

}  // namespace chorus::sim
