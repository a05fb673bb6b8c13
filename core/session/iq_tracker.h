// Outgoing <iq> requests of one connection (protocol §4.7): fresh ids "<prefix>.<n>" (a random
// decimal prefix per tracker, a counter; digits and '.' pack as nibbles on the wire), a
// deadline per request, responses matched by id only, timeouts reported by expire(now).
// Responses that match nothing are reported too: Late (the request already timed out or was
// cancelled), Duplicate (already answered) or Unknown (never ours).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/util/clock.h"
#include "core/util/random.h"

namespace chorus::core::session {

struct IqTrackerOptions {
  Millis defaultTimeout{60'000};
  std::size_t rememberedIds = 256;  // finished ids kept to tell Late/Duplicate from Unknown
};

struct PendingIq {
  std::string id;
  std::uint32_t kind = 0;  // the caller's own enum value: what to do with the answer
  TimePoint sentAt{};
  TimePoint deadline{};
  [[nodiscard]] bool operator==(const PendingIq&) const = default;
};

enum class IqOutcome : std::uint8_t {
  Result,     // type="result" for a pending request
  Error,      // type="error" for a pending request (errorCode/errorText from <error>)
  Late,       // answer to a request that already timed out or was cancelled
  Duplicate,  // second answer to a request that was already answered
  Unknown,    // an id this tracker never issued
};

struct IqResponse {
  IqOutcome outcome = IqOutcome::Unknown;
  std::string id;
  std::optional<PendingIq> request;  // set for Result and Error
  int errorCode = 0;                 // <error code>, 0 when absent or not a number
  std::string errorText;             // <error text>
};

class IqTracker {
 public:
  explicit IqTracker(Random& random, IqTrackerOptions options = {});

  // Registers a request sent now and returns its id; the caller puts it on the <iq>.
  [[nodiscard]] std::string add(std::uint32_t kind, TimePoint now);
  [[nodiscard]] std::string add(std::uint32_t kind, TimePoint now, Millis timeout);

  // Matches an incoming <iq type="result"|"error" id=…>. nullopt when the node is not an iq
  // response (another tag, a server request of type get/set, or no id).
  [[nodiscard]] std::optional<IqResponse> onResponse(const binary::Node& node);

  // Removes and returns the requests whose deadline is <= now, earliest first.
  [[nodiscard]] std::vector<PendingIq> expire(TimePoint now);
  // The connection is gone: removes and returns every pending request, earliest deadline first.
  [[nodiscard]] std::vector<PendingIq> cancelAll();

  [[nodiscard]] std::optional<TimePoint> nextDeadline() const noexcept;
  [[nodiscard]] std::size_t pendingCount() const noexcept { return pending_.size(); }
  [[nodiscard]] bool isPending(std::string_view id) const;
  [[nodiscard]] const std::string& prefix() const noexcept { return prefix_; }

 private:
  enum class Finished : std::uint8_t { Answered, TimedOut };
  void remember(std::string id, Finished how);
  [[nodiscard]] std::vector<PendingIq> takeUntil(std::optional<TimePoint> limit);

  IqTrackerOptions options_;
  std::string prefix_;
  std::uint64_t counter_ = 0;
  std::map<std::string, PendingIq, std::less<>> pending_;
  std::set<std::pair<TimePoint, std::string>> byDeadline_;
  std::map<std::string, Finished, std::less<>> finished_;
  std::deque<std::string> finishedOrder_;
};

}  // namespace chorus::core::session
