#include "core/signal/signal_address.h"

namespace chorus::core::signal {

std::string SignalAddress::toString() const {
  return user + "." + std::to_string(device);
}

std::string SenderKeyName::toString() const {
  return groupId + "::" + sender.user + "::" + std::to_string(sender.device);
}

}  // namespace chorus::core::signal
