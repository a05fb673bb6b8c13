// Timing samples summarised the way the benchmarks report them: count, median, p99 and max (all
// in the samples' unit, milliseconds in practice). Shared by the store and desktop benchmarks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace chorus::testsupport {

struct Stats {
  double median = 0, p99 = 0, max = 0;
  std::size_t count = 0;
};

inline Stats stats(std::vector<double> samples) {
  Stats s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  s.median = samples[samples.size() / 2];
  s.p99 = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  s.max = samples.back();
  return s;
}

}  // namespace chorus::testsupport
