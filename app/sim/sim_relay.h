// SimRelay: 1:1 message relay between devices (§9.3–§9.8, §15.5).
//   <message>  → each <participants><to jid=D><enc/></to> becomes, for device D,
//                <message from=<sender device> id t type [recipient=<chat> for own devices]>
//                <enc/> [<device-identity/>]</message>, queued until D acks it; the sender
//                gets <ack class="message" id from=<to> t/>. Peer messages (category="peer",
//                one <enc>) go to the sender's other devices. A retry resend (whatsmeow:
//                device_fanout="false", no <participants>, one pkmsg/msg <enc count>) goes to
//                the one device named by `to`, the <enc> kept whole.
//   <receipt>  → acked (<ack class="receipt">), implicitly acks the message of that id for
//                the sending device, and is forwarded to the original sender's devices as
//                <receipt from=<receiving device> id t [type] [recipient] [participant]>;
//                type="retry" only to the one device it names (device 0: the phone).
//   <ack>      → drops the acked stanza from the device's queue.
// Groups (§10.2, sim_relay_group.cpp): a <message to=<group>> reaches every device of every
// member (the simulated phone, device 0, too) but the sender's, as <message from=<group> participant=<sender device>> with that
// device's pairwise <enc> (the SKDM) if <participants> had one, and the shared skmsg <enc>.
// With a participant attribute (a retry resend) only that device gets it, with its pairwise
// <enc> from <participants> (Baileys) or directly in the <message> (whatsmeow). Group receipts
// (to=<group> participant=<sender>) go to the sender's devices as from=<group>
// participant=<receiving device>.
#pragma once

#include <string>

#include "core/protocol/binary/node.h"
#include "core/util/result.h"

namespace chorus::sim {

class SimConnection;
class SimHub;

class SimRelay {
 public:
  explicit SimRelay(SimHub& hub) : hub_(hub) {}

  [[nodiscard]] core::Status onMessage(SimConnection& sender, const core::binary::Node& message);
  [[nodiscard]] core::Status onReceipt(SimConnection& sender, const core::binary::Node& receipt);
  [[nodiscard]] core::Status onAck(SimConnection& sender, const core::binary::Node& ack);

 private:
  [[nodiscard]] core::Status onGroupMessage(SimConnection& sender,
                                            const core::binary::Node& message,
                                            const std::string& id, const core::jid::Jid& group);

  // The one pairwise <enc> of a resend after a retry receipt (§9.6; whatsmeow
  // handleRetryReceipt): no <participants>, the pkmsg/msg <enc> (with its retry `count`)
  // directly in the <message>, for the one device named by `to` (groups: `participant`).
  // Errc::Protocol unless there is exactly one such <enc>.
  [[nodiscard]] static core::Result<const core::binary::Node*> directEnc(
      const core::binary::Node& message);

  SimHub& hub_;
};

}  // namespace chorus::sim
