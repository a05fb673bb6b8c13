// SimPhones: the simulated phones (device 0 of every account) as real Signal endpoints
// (core/signal on a SimPhoneStore in sim.db; protocol notes §9, §14, §15.5, §15.7).
//
//   receive  SimHub::deliver hands over every stanza addressed to device 0: pkmsg/msg are
//            decrypted (DeviceSentMessage unwrapped), kept in the phone's inbox and answered
//            with a delivery receipt to the sender's companions (type="sender" from its own
//            ones). A pkmsg/msg it cannot decrypt is answered with a retry receipt to the
//            sending device (<retry count id t v="1"/><registration/>, no <keys>; at most
//            kMaxRetryRequests per message); skmsg is logged and left. Receipts for the phone
//            (e.g. "hist_sync") are recorded.
//   retry    a retry receipt for a message it sent (the last 200 are kept) makes it drop its
//            session with the requesting device and re-send the message to that one device
//            from a fresh bundle, as <enc count=N>.
//   send     sendText(): usync from the registry, bundles fetched server-side, Signal-encrypted
//            padded Message{conversation} to every device of the recipient and a
//            DeviceSentMessage to the phone's own companions; sendToCompanions(): any Message
//            (protocol messages: history sync, app-state key share) to the own companions.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/sim/sim_prekey_store.h"
#include "core/protocol/binary/node.h"
#include "core/util/result.h"

namespace chorus::proto {
class Message;
}

namespace chorus::sim {

class SimHub;

struct PhoneInboxEntry {
  std::string id;
  std::string sender;  // the sending device's JID
  std::string chat;    // the peer's user JID
  bool fromMe = false;
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

  // Errc::NotFound for an unknown sender or recipient account, Errc::Unsupported when the
  // sender has no phone keys, Errc::InvalidArgument for an empty text. Returns the message id.
  [[nodiscard]] core::Result<std::string> sendText(const std::string& phone, const std::string& to,
                                                   const std::string& text);
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
  };
  [[nodiscard]] core::Result<Phone*> phoneOf(const std::string& phone);
  [[nodiscard]] core::Status onMessage(const std::string& phone, const core::binary::Node& node);
  // A retry receipt from a device that could not decrypt a message of the phone's.
  [[nodiscard]] core::Status onRetry(const std::string& phone, const core::binary::Node& receipt);
  // Asks the sender of `message` (which the phone could not decrypt) to send it again.
  void requestRetry(const std::string& phone, const core::binary::Node& message,
                    const std::string& user, std::uint32_t device);
  // Encrypts `plain` (a serialized Message, unpadded) for each target and delivers it as a
  // <message> from the phone; `recipient` is set on copies for the phone's own companions.
  [[nodiscard]] std::size_t sendTo(Phone& from, const std::string& phone,
                                   const std::vector<Target>& targets, const std::string& plain,
                                   const std::string& id, const std::string& recipient);
  // `count` (when not empty) marks a resend after a retry receipt on the <enc>.
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
  TextListener listener_;
};

}  // namespace chorus::sim
