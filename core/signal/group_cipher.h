// GroupCipher: WhatsApp group messages with Signal sender keys (protocol §10.2, §14.1).
// The sender creates a SenderKeyDistributionMessage (SKDM) under (group, own address) and sends
// it pairwise to every member device; each receiver processes it under (group, sender device)
// and can then decrypt the sender's "skmsg" bytes. Padding is the caller's, as for sessions.
#pragma once

#include "core/signal/signal_address.h"
#include "core/signal/signal_context.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::signal {

class GroupCipher {
 public:
  explicit GroupCipher(SignalContext& context) : context_(context) {}

  // Our SKDM for `name` = (group, our address); creates the sender key on first use and
  // describes its current chain state afterwards.
  [[nodiscard]] Result<Bytes> createDistributionMessage(const SenderKeyName& name);
  // A peer's SKDM received for `name` = (group, the sender's device). Protocol when malformed.
  [[nodiscard]] Status processDistributionMessage(const SenderKeyName& name, BytesView skdm);
  [[nodiscard]] Result<bool> hasSenderKey(const SenderKeyName& name);

  // skmsg bytes. NotFound when no sender key exists for `name` yet.
  [[nodiscard]] Result<Bytes> encrypt(const SenderKeyName& name, BytesView plaintext);
  // Errors: NotFound (no sender key, or not the key id the message names), Crypto (bad
  // signature), Protocol (malformed, kDuplicateMessage, too far ahead), Storage.
  [[nodiscard]] Result<Bytes> decrypt(const SenderKeyName& name, BytesView skmsg);

 private:
  SignalContext& context_;
};

}  // namespace chorus::core::signal
