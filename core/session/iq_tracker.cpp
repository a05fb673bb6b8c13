#include "core/session/iq_tracker.h"

#include <charconv>

namespace chorus::core::session {
namespace {

constexpr std::string_view kIqTag = "iq";
constexpr std::string_view kTypeResult = "result";
constexpr std::string_view kTypeError = "error";
constexpr std::string_view kErrorTag = "error";

int errorCodeOf(const binary::Node& error) {
  const std::optional<std::string> text = error.attrText("code");
  if (!text) return 0;
  int value = 0;
  const char* last = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), last, value);
  return ec == std::errc{} && ptr == last ? value : 0;
}

}  // namespace

IqTracker::IqTracker(Random& random, IqTrackerOptions options)
    : options_(options), prefix_(std::to_string(random.nextU32())) {}

std::string IqTracker::add(std::uint32_t kind, TimePoint now) {
  return add(kind, now, options_.defaultTimeout);
}

std::string IqTracker::add(std::uint32_t kind, TimePoint now, Millis timeout) {
  std::string id = prefix_ + "." + std::to_string(++counter_);
  PendingIq entry{id, kind, now, now + timeout};
  byDeadline_.emplace(entry.deadline, id);
  pending_.emplace(id, std::move(entry));
  return id;
}

std::optional<IqResponse> IqTracker::onResponse(const binary::Node& node) {
  if (node.tag != kIqTag) return std::nullopt;
  const std::optional<std::string> type = node.attrText("type");
  if (!type || (*type != kTypeResult && *type != kTypeError)) return std::nullopt;
  std::optional<std::string> id = node.attrText("id");
  if (!id) return std::nullopt;

  IqResponse response;
  response.id = std::move(*id);
  if (const auto it = pending_.find(response.id); it != pending_.end()) {
    response.outcome = *type == kTypeResult ? IqOutcome::Result : IqOutcome::Error;
    if (response.outcome == IqOutcome::Error) {
      if (const binary::Node* error = node.child(kErrorTag)) {
        response.errorCode = errorCodeOf(*error);
        response.errorText = error->attrText("text").value_or("");
      }
    }
    byDeadline_.erase({it->second.deadline, it->first});
    response.request = std::move(it->second);
    pending_.erase(it);
    remember(response.id, Finished::Answered);
    return response;
  }
  if (const auto it = finished_.find(response.id); it != finished_.end()) {
    response.outcome = it->second == Finished::Answered ? IqOutcome::Duplicate : IqOutcome::Late;
    it->second = Finished::Answered;  // a third copy is a duplicate of this one
    return response;
  }
  response.outcome = IqOutcome::Unknown;
  return response;
}

std::vector<PendingIq> IqTracker::expire(TimePoint now) {
  return takeUntil(now);
}

std::vector<PendingIq> IqTracker::cancelAll() {
  return takeUntil(std::nullopt);
}

std::vector<PendingIq> IqTracker::takeUntil(std::optional<TimePoint> limit) {
  std::vector<PendingIq> out;
  while (!byDeadline_.empty()) {
    const auto first = byDeadline_.begin();
    if (limit && first->first > *limit) break;
    const auto it = pending_.find(first->second);
    byDeadline_.erase(first);
    if (it == pending_.end()) continue;  // cannot happen: the two maps change together
    out.push_back(std::move(it->second));
    pending_.erase(it);
    remember(out.back().id, Finished::TimedOut);
  }
  return out;
}

std::optional<TimePoint> IqTracker::nextDeadline() const noexcept {
  if (byDeadline_.empty()) return std::nullopt;
  return byDeadline_.begin()->first;
}

bool IqTracker::isPending(std::string_view id) const {
  return pending_.find(id) != pending_.end();
}

void IqTracker::remember(std::string id, Finished how) {
  if (options_.rememberedIds == 0) return;
  if (finished_.insert_or_assign(id, how).second) finishedOrder_.push_back(std::move(id));
  while (finishedOrder_.size() > options_.rememberedIds) {
    finished_.erase(finishedOrder_.front());
    finishedOrder_.pop_front();
  }
}

}  // namespace chorus::core::session
