#include "appcore/core/background_checkpoint.h"

#include <SQLiteCpp/Statement.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

namespace nanbyo::appcore {

BackgroundCheckpoint::BackgroundCheckpoint(const std::string& database)
    : db_(std::make_unique<SQLite::Database>(database, SQLite::OPEN_READWRITE)) {
  db_->setBusyTimeout(5000);
  thread_ = std::thread([this] { run(); });
}

BackgroundCheckpoint::~BackgroundCheckpoint() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BackgroundCheckpoint::nudge() {
  {
    std::lock_guard lock(mutex_);
    if (running_) return;
    requested_ = true;
  }
  changed_.notify_all();
}

std::int64_t BackgroundCheckpoint::wal_frames() const {
  std::lock_guard lock(mutex_);
  return wal_frames_;
}

void BackgroundCheckpoint::settle() {
  std::unique_lock lock(mutex_);
  requested_ = false;
  changed_.wait(lock, [&] { return !running_; });
  running_ = true;  // no pass starts meanwhile
  lock.unlock();
  std::int64_t frames = pass();
  lock.lock();
  running_ = false;
  wal_frames_ = frames < 0 ? wal_frames_ : 0;
  changed_.notify_all();
}

std::int64_t BackgroundCheckpoint::pass() {
  try {
    // Columns: busy, frames in the WAL, frames checkpointed.
    SQLite::Statement q(*db_, "PRAGMA wal_checkpoint(PASSIVE)");
    return q.executeStep() ? q.getColumn(1).getInt64() : -1;
  } catch (const SQLite::Exception&) {
    // A failed pass leaves the WAL as it was; the import's commits report
    // what is wrong with the database.
    return -1;
  }
}

void BackgroundCheckpoint::run() {
  // The idle I/O class, where the disk's scheduler has classes (BFQ,
  // mq-deadline): a user's commit, waiting for its fsync, goes first.
  constexpr int kIdleClass = 3, kClassShift = 13, kWhoProcess = 1;
  (void)::syscall(SYS_ioprio_set, kWhoProcess, 0, kIdleClass << kClassShift);
  std::unique_lock lock(mutex_);
  for (;;) {
    // Passes follow each other while the import writes: another connection's
    // commit then finds a pass running and leaves the checkpoint to it, instead
    // of copying the WAL itself inside the write lock.
    changed_.wait_for(lock, std::chrono::milliseconds(2), [&] { return requested_ || stopping_; });
    if (stopping_) return;
    if (running_) continue;  // settle() is checkpointing on the import's thread
    requested_ = false;
    running_ = true;
    lock.unlock();
    const std::int64_t frames = pass();
    lock.lock();
    running_ = false;
    if (frames >= 0) wal_frames_ = frames;
    changed_.notify_all();
  }
}

}  // namespace nanbyo::appcore
