// Per-call database connections of a service and the write lock of its
// database file (issue 12: no request waits on another user's work).
// SQLite in WAL mode lets readers run beside one writer, but a connection and
// its prepared statements belong to one thread at a time. So every facade call
// leases a connection of its own (opened on demand, kept for reuse) and reads
// never wait. Writers queue on one in-process mutex per database file (shared
// by AppCore and FormService), held only while they write: queueing there is
// fair and immediate, where SQLite's busy handler sleeps up to 100 ms.
#pragma once

#include <condition_variable>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "pki/result.h"

namespace nanbyo::appcore {

// A mutex that hands itself over in arrival order. std::mutex lets the thread
// that just unlocked take it again before a woken waiter runs: a bulk import
// relocking for its next chunk kept a login out for a second. Meets Lockable
// enough for std::unique_lock (lock, unlock).
class FifoMutex {
 public:
  void lock() {
    std::unique_lock guard(mutex_);
    const unsigned long long ticket = next_++;
    turn_.wait(guard, [&] { return serving_ == ticket; });
  }
  void unlock() {
    {
      std::lock_guard guard(mutex_);
      ++serving_;
    }
    turn_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable turn_;
  unsigned long long next_ = 0, serving_ = 0;
};

// The write lock of one database file in this process.
std::shared_ptr<FifoMutex> database_write_mutex(const std::filesystem::path& database);

namespace detail {
// The calling thread's leased connection of `pool` (nullptr when none).
void* leased_connection(const void* pool);
void set_leased_connection(const void* pool, void* connection);  // nullptr clears
}  // namespace detail

template <typename C>
class ConnectionPool {
 public:
  using Opener = std::function<Result<std::unique_ptr<C>>()>;
  // Connections beyond this many wait for one to be handed back.
  static constexpr std::size_t kMaxConnections = 32;

  ConnectionPool(std::unique_ptr<C> first, Opener open, std::shared_ptr<FifoMutex> writer)
      : open_(std::move(open)), writer_(std::move(writer)) {
    free_.push_back(first.get());
    all_.push_back(std::move(first));
  }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection for the calling thread for one facade call; with `write`, the
  // write lock too, for the whole call. A nested lease on the same thread
  // shares the outer one's connection and lock, so it must not ask for more
  // (a write() inside a read() would write without the lock).
  class [[nodiscard]] Lease {
   public:
    Lease(ConnectionPool& pool, bool write) : pool_(pool) {
      if (detail::leased_connection(&pool_)) return;  // nested: the outer lease owns it
      connection_ = pool_.checkout();
      detail::set_leased_connection(&pool_, connection_);
      if (write) lock_ = pool_.write_lock();
    }
    ~Lease() {
      if (lock_.owns_lock()) lock_.unlock();
      if (!connection_) return;
      detail::set_leased_connection(&pool_, nullptr);
      pool_.checkin(connection_);
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    ConnectionPool& pool_;
    C* connection_ = nullptr;
    std::unique_lock<FifoMutex> lock_;
  };

  // The calling thread's leased connection. Only inside a Lease.
  C& current() const {
    auto* c = static_cast<C*>(detail::leased_connection(this));
    if (!c) std::terminate();  // a facade call without a lease: a programming error
    return *c;
  }
  // The write lock alone, for a short write inside a read lease (or a job that
  // writes in steps, such as a bulk import's chunks).
  std::unique_lock<FifoMutex> write_lock() { return std::unique_lock(*writer_); }

 private:
  C* checkout() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!free_.empty()) {
        C* c = free_.back();
        free_.pop_back();
        return c;
      }
      if (all_.size() + opening_ < kMaxConnections) {
        ++opening_;
        lock.unlock();
        auto opened = open_();  // outside the list lock: opening reads the schema
        lock.lock();
        --opening_;
        if (opened) {
          all_.push_back(std::move(*opened));
          return all_.back().get();
        }
        // Cannot open another (e.g. too many files): wait for one handed back.
      }
      freed_.wait(lock, [&] { return !free_.empty(); });
    }
  }
  void checkin(C* c) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(c);
    }
    freed_.notify_one();
  }

  Opener open_;
  std::shared_ptr<FifoMutex> writer_;
  std::mutex mutex_;  // guards the lists below
  std::condition_variable freed_;
  std::vector<std::unique_ptr<C>> all_;
  std::vector<C*> free_;
  std::size_t opening_ = 0;
};

// `store->` / `*db`: the calling thread's leased connection's member, so the
// flow code reads as with one connection.
template <typename C, typename T>
class Leased {
 public:
  using Get = T& (*)(C&);
  Leased(ConnectionPool<C>& pool, Get get) : pool_(pool), get_(get) {}
  T* operator->() const { return &get_(pool_.current()); }
  T& operator*() const { return get_(pool_.current()); }

 private:
  ConnectionPool<C>& pool_;
  Get get_;
};

}  // namespace nanbyo::appcore
