// A parallel loop over [0, n) on the machine's cores (at most four threads):
// for pure CPU work such as normalising and sealing the rows of a bulk file.
// The first exception thrown by `body` is rethrown in the caller.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace nanbyo::appcore {

template <typename Body>
void parallel_for(std::size_t n, Body&& body) {
  const std::size_t threads = std::min<std::size_t>(
      {std::max(1u, std::thread::hardware_concurrency()), 4, (n + 255) / 256});
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&](std::size_t t) {
    try {
      for (std::size_t i = t * n / threads; i < (t + 1) * n / threads; ++i) body(i);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(run, t);
  run(0);
  for (auto& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace nanbyo::appcore
