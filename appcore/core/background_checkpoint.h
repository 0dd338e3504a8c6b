// SQLite checkpoints of a long import, on a thread and a connection of their
// own (issue 18 item 7). A checkpoint copies the WAL into the database file and
// syncs it: with about 20 KiB of WAL per uploaded form (five B-trees of random
// keys), the automatic checkpoints inside the chunks' commits made the disk,
// not the CPU, set an upload's pace, and held the write lock while it synced.
// A PASSIVE checkpoint blocks neither writers nor readers: passes follow each
// other beside the import, and the import settles now and then (waits for the
// pass, then checkpoints what was written meanwhile), outside the write lock,
// so the WAL starts over instead of growing with the upload
// (tests/bench/README.md, "Uploads as jobs").
#pragma once

#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace nanbyo::appcore {

class BackgroundCheckpoint {
 public:
  // `database`: the file the import writes; throws SQLite::Exception if it
  // cannot be opened.
  explicit BackgroundCheckpoint(const std::string& database);
  ~BackgroundCheckpoint();
  BackgroundCheckpoint(const BackgroundCheckpoint&) = delete;
  BackgroundCheckpoint& operator=(const BackgroundCheckpoint&) = delete;

  // After a commit: starts the next pass now instead of within 2 ms.
  void nudge();
  // Frames in the WAL as the last pass found them.
  std::int64_t wal_frames() const;
  // Outside the write lock: waits for a running pass, then checkpoints on the
  // caller's thread what was written meanwhile. The WAL is then copied whole,
  // and the next commit starts it over.
  void settle();

 private:
  void run();
  std::int64_t pass();  // frames in the WAL, or -1

  std::unique_ptr<SQLite::Database> db_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool requested_ = false;
  bool running_ = false;
  bool stopping_ = false;
  std::int64_t wal_frames_ = 0;
  std::thread thread_;
};

}  // namespace nanbyo::appcore
