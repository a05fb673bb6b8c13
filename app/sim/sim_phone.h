// SimPhones: the simulated phones (device 0 of every account) as real Signal endpoints
// (core/signal on a SimPhoneStore in sim.db; protocol notes §9, §10, §14, §15.5, §15.7).
//
//   receive  SimHub::deliver hands over every stanza addressed to device 0: pkmsg/msg are
//            decrypted (DeviceSentMessage unwrapped); in a group (from=<group>
//            participant=<sender>) the pairwise <enc>'s SKDM is processed and the skmsg
//            decrypted with the sender's key. Each message is kept in the phone's inbox and
//            answered with a delivery receipt to the sender's devices (type="sender" from its
//            own ones; groups: from=<group> participant=<phone>). What it cannot decrypt is
//            answered with a retry receipt to the sending device (<retry count id t v="1"/>
//            <registration/>, no <keys>; at most kMaxRetryRequests per message). Receipts for
//            the phone (delivery, read, "hist_sync", …) are recorded, one per id (<list> too).
//   read     markRead(): read receipts for the chat's messages not marked read yet, one per
//            sender (<receipt id=<first> type="read" t><list><item id/>…</list></receipt>, the
//            first id in `id` and the rest in <list>, as Baileys and whatsmeow send them).
//   retry    a retry receipt for a message it sent (the last 200 are kept) makes it drop its
//            session with the requesting device and re-send the message to that one device
//            from a fresh bundle, as <enc count=N> (sim_phone_send.cpp).
//   send     sendText(): usync from the registry, bundles fetched server-side, Signal-encrypted
//            padded Message{conversation} to every device of the recipient and a
//            DeviceSentMessage to the phone's own companions; to a group: the phone's SKDM
//            (pairwise) to every member device that has not had it, then one skmsg for all;
//            sendToCompanions(): any Message (history sync, app-state key share) to the own
//            companions.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/sim/sim_prekey_store.h"
#include "core/protocol/binary/node.h"
#include "core/protocol/jid/jid.h"
#include "core/util/result.h"

namespace chorus::proto {
class Message;
}

namespace chorus::sim {

class SimHub;

struct PhoneInboxEntry {
  std::string id;
  std::string sender;  // the sending device's JID
  std::string chat;    // the peer's user JID, or the group's JID
  bool fromMe = false;
  bool read = false;  // the phone sent a read receipt for it
  std::string text;  // conversation / extendedTextMessage text; empty for other content
  std::string kind;  // "text", "protocol" or "other"
  std::int64_t timestamp = 0;
};

struct PhoneReceipt {
  std::string id;
  std::string from;
  std::string type;  // empty = delivered
};

class SimPhones {
 public:
  explicit SimPhones(SimHub& hub);
  ~SimPhones();
  SimPhones(const SimPhones&) = delete;
  SimPhones& operator=(const SimPhones&) = delete;

  // A stanza the server delivers to device 0 of `phone`. Never fails the caller: problems are
  // logged.
  void onStanza(const std::string& phone, const core::binary::Node& node);
  // A one-time prekey for a bundle of the phone of `phone` (handed out once).
  [[nodiscard]] core::Result<std::optional<OneTimePreKey>> takePreKey(const std::string& phone);

  // `to` is the recipient's number (or user JID) or a group JID. Errc::NotFound for an unknown
  // sender, recipient account or group, Errc::Unsupported when the sender has no phone keys,
  // Errc::Auth when it is not a member of the group, Errc::InvalidArgument for an empty text.
  // Returns the message id.
  [[nodiscard]] core::Result<std::string> sendText(const std::string& phone, const std::string& to,
                                                   const std::string& text);
  // The phone reads `chat` (a number, user JID or group JID): read receipts for every message
  // from others in it that has not been marked read yet. Returns their ids (oldest first).
  // Errc::NotFound for an unknown account, Errc::InvalidArgument for a malformed chat.
  [[nodiscard]] core::Result<std::vector<std::string>> markRead(const std::string& phone,
                                                                const std::string& chat);
  // `message` to every companion of `phone`; Errc::NotFound when it has none. Returns the id.
  [[nodiscard]] core::Result<std::string> sendToCompanions(const std::string& phone,
                                                           const proto::Message& message);

  [[nodiscard]] std::vector<PhoneInboxEntry> inbox(const std::string& phone) const;
  [[nodiscard]] std::vector<PhoneReceipt> receipts(const std::string& phone) const;
  // Shown as notify="…" on the phone's messages.
  void setPushName(const std::string& phone, std::string name) { pushNames_[phone] = std::move(name); }
  // Called for every text a phone received from someone else.
  using TextListener = std::function<void(const std::string& phone, const PhoneInboxEntry& entry)>;
  void setTextListener(TextListener listener) { listener_ = std::move(listener); }

 private:
  struct Phone;
  struct Target {
    std::string user;
    std::uint32_t device = 0;
  };
  // What a retry receipt needs to re-send a message the phone sent.
  struct SentMessage {
    std::string id;
    std::string peerPlain;     // serialized Message for the recipient's devices ("" if none)
    std::string ownPlain;      // for the phone's own companions ("" if none)
    std::string ownRecipient;  // their `recipient` attribute ("" for none)
    std::string group;         // the group's JID for a group text (plains: SKDM + text)
  };
  [[nodiscard]] core::Result<Phone*> phoneOf(const std::string& phone);
  [[nodiscard]] core::Status onMessage(const std::string& phone, const core::binary::Node& node);
  // The content of a <message> for the phone: the pairwise <enc> (its SKDM processed in a
  // group) and, in a group, the skmsg. Asks for a retry when decryption fails.
  [[nodiscard]] core::Result<proto::Message> decrypt(Phone& entry, const std::string& phone,
                                                     const core::binary::Node& node,
                                                     const core::jid::Jid& sender,
                                                     const std::optional<core::jid::Jid>& group);
  // A retry receipt from a device that could not decrypt a message of the phone's.
  [[nodiscard]] core::Status onRetry(const std::string& phone, const core::binary::Node& receipt);
  // Asks the sender of `message` (which the phone could not decrypt) to send it again.
  void requestRetry(const std::string& phone, const core::binary::Node& message,
                    const core::jid::Jid& sender, const std::optional<core::jid::Jid>& group);
  [[nodiscard]] core::Result<std::string> sendGroupText(Phone& from, const std::string& phone,
                                                        const core::jid::Jid& group,
                                                        const std::string& text);
  // Encrypts `plain` (a serialized Message, unpadded) for each target and delivers it as a
  // <message> from the phone; `recipient` is set on copies for the phone's own companions.
  [[nodiscard]] std::size_t sendTo(Phone& from, const std::string& phone,
                                   const std::vector<Target>& targets, const std::string& plain,
                                   const std::string& id, const std::string& recipient);
  // The pairwise <enc> of `plain` (padded here) for `target`, building the session from the
  // target's bundle in sim.db when there is none; `count` (when not empty) marks a resend
  // after a retry receipt.
  [[nodiscard]] core::Result<core::binary::Node> pairwiseEnc(Phone& from, const Target& target,
                                                             const std::string& plain,
                                                             const std::string& count = {});
  [[nodiscard]] core::Status sendOne(Phone& from, const std::string& phone, const Target& target,
                                     const std::string& plain, const std::string& id,
                                     const std::string& recipient, const std::string& count = {});
  [[nodiscard]] std::string newMessageId();

  SimHub& hub_;
  std::map<std::string, std::unique_ptr<Phone>> phones_;
  std::map<std::string, std::deque<PhoneInboxEntry>> inbox_;
  std::map<std::string, std::deque<PhoneReceipt>> receipts_;
  std::map<std::string, std::string> pushNames_;
  std::map<std::string, std::deque<SentMessage>> sent_;
  // Retry receipts the phone sent, per message id.
  std::map<std::string, std::deque<std::pair<std::string, int>>> retriesAsked_;
  // Devices ("user.device") that have the phone's sender key, per (phone, group JID).
  std::map<std::pair<std::string, std::string>, std::set<std::string>> skdmSent_;
  TextListener listener_;
};

}  // namespace chorus::sim
