#include "pki/audit/queued_sink.h"

#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace nanbyo::audit {

QueuedAuditSink::QueuedAuditSink(std::unique_ptr<AuditLog> log, QueuedSinkOptions options)
    : log_(std::move(log)), options_(std::move(options)) {}

void QueuedAuditSink::start() {
  std::call_once(started_, [this] { thread_ = std::thread([this] { run(); }); });
}

QueuedAuditSink::~QueuedAuditSink() {
  start();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool QueuedAuditSink::enqueue(AuditEvent event) {
  if (queue_.size() >= kMaxQueued) {
    ++lost_;
    return false;
  }
  queue_.push_back(std::move(event));
  return true;
}

Result<void> QueuedAuditSink::append(std::span<const AuditEvent> events) {
  bool sleeping = false;
  {
    std::lock_guard lock(mutex_);
    if (failing_) {
      return fail("the audit log " + log_->path().string() +
                  " cannot be written (the last write failed; retrying)");
    }
    if (queue_.size() + events.size() > kMaxQueued) {
      return fail("the audit log " + log_->path().string() + " is behind (queue full)");
    }
    sleeping = queue_.empty() && !writing_;
    for (const auto& event : events) enqueue(event);
  }
  if (sleeping) wake_.notify_one();
  return {};
}

void QueuedAuditSink::record(AuditEvent event) {
  bool sleeping = false;
  {
    std::lock_guard lock(mutex_);
    // A busy writer looks at the queue again before it sleeps: wake it only
    // when it is idle, so a burst costs one wake-up, not one per record.
    sleeping = queue_.empty() && !writing_;
    enqueue(std::move(event));
  }
  if (sleeping) wake_.notify_one();
}

// Lock-free: the audit stage asks on every request when the policy says refuse.
bool QueuedAuditSink::writable() const {
  return !failing_.load(std::memory_order_relaxed);
}

void QueuedAuditSink::flush() {
  start();
  std::unique_lock lock(mutex_);
  drained_.wait(lock, [&] { return (queue_.empty() && !writing_) || failing_; });
}

void QueuedAuditSink::export_anchor(std::string_view reason) {
  if (options_.anchors == nullptr) return;
  ChainPosition position = log_->position();
  anchored_seq_ = position.seq;
  options_.anchors->export_anchor(position, reason);
}

// Takes the queue, appends it, and on failure puts it back in front of what
// came meanwhile. Called and returns with `lock` held.
void QueuedAuditSink::write_batch(std::unique_lock<std::mutex>& lock) {
  std::deque<AuditEvent> batch;
  batch.swap(queue_);
  const std::uint64_t lost = std::exchange(lost_, 0);
  writing_ = true;
  lock.unlock();

  std::vector<AuditEvent> events;
  events.reserve(batch.size() + 1);
  if (lost > 0) {
    events.push_back({"audit-records-lost",
                      Outcome::Info,
                      "audit",
                      "",
                      "",
                      {{"count", std::to_string(lost)},
                       {"reason", "queue full while the audit log could not be written"}}});
  }
  events.insert(events.end(), std::make_move_iterator(batch.begin()),
                std::make_move_iterator(batch.end()));
  auto written = log_->append_batch(events);
  if (auto error = log_->take_rotation_error(); !error.empty() && options_.report) {
    options_.report(error + " (records go on in the live file)");
  }
  const bool rotated = written && log_->rotations() != seen_rotations_;
  if (rotated) {
    seen_rotations_ = log_->rotations();
    export_anchor("rotation");
  }

  lock.lock();
  writing_ = false;
  if (written) {
    if (failing_ && options_.report) options_.report("audit log writable again");
    failing_ = false;
    if (queue_.empty()) drained_.notify_all();
    return;
  }
  if (!failing_ && options_.report) {
    options_.report("audit log write failed: " + written.error().message +
                    "; the records are kept and retried");
  }
  failing_ = true;
  lost_ += lost;
  // Back in front, oldest first; past the limit the newest are counted as lost.
  auto keep = events.begin() + (lost > 0 ? 1 : 0);
  queue_.insert(queue_.begin(), std::make_move_iterator(keep),
                std::make_move_iterator(events.end()));
  while (queue_.size() > kMaxQueued) {
    queue_.pop_back();
    ++lost_;
  }
  drained_.notify_all();
}

void QueuedAuditSink::run() {
  using Steady = std::chrono::steady_clock;
  export_anchor("start");
  const bool anchoring = options_.anchors != nullptr && options_.anchor_interval.count() > 0;
  auto next_anchor = Steady::now() + options_.anchor_interval;
  std::unique_lock lock(mutex_);
  for (;;) {
    auto ready = [&] { return stopping_ || !queue_.empty(); };
    if (anchoring) {
      wake_.wait_until(lock, next_anchor, ready);
    } else {
      wake_.wait(lock, ready);
    }
    if (anchoring && Steady::now() >= next_anchor) {
      next_anchor = Steady::now() + options_.anchor_interval;
      lock.unlock();
      if (log_->last_seq() != anchored_seq_) export_anchor("interval");
      lock.lock();
    }
    if (queue_.empty() && lost_ == 0) {
      if (stopping_) break;
      continue;
    }
    if (!stopping_) {
      // Group commit: let the records of the next instant join this batch, so a burst of
      // connections costs one write and one fdatasync instead of one each. A record waits
      // at most group_window longer for the disk. 20 ms, not 2: at 700 new connections a
      // second a 2 ms window meant 300 syncs a second and about 100 us of this thread's CPU
      // per connection; 20 ms means 50 and 28 us (issue 15).
      lock.unlock();
      std::this_thread::sleep_for(options_.group_window);
      lock.lock();
    }
    write_batch(lock);
    if (failing_) {
      if (stopping_) break;  // what is still queued is lost; the report said so
      wake_.wait_for(lock, options_.retry_interval, [&] { return stopping_; });
    }
  }
  lock.unlock();
  export_anchor("stop");
  drained_.notify_all();
}

}  // namespace nanbyo::audit
