// The registry of database write locks and the per-thread lease slots.
#include "appcore/core/connection_pool.h"

#include <map>
#include <utility>

namespace nanbyo::appcore {

std::shared_ptr<FifoMutex> database_write_mutex(const std::filesystem::path& database) {
  static std::mutex registry_mutex;
  static std::map<std::filesystem::path, std::weak_ptr<FifoMutex>> registry;
  std::error_code ec;
  auto key = std::filesystem::weakly_canonical(database, ec);
  if (ec) key = database;
  std::lock_guard lock(registry_mutex);
  auto& slot = registry[key];
  auto writer = slot.lock();
  if (!writer) {
    writer = std::make_shared<FifoMutex>();
    slot = writer;
  }
  return writer;
}

namespace detail {
namespace {
// A thread leases at most one connection per pool, and holds leases of few
// pools at once (AppCore and FormService): a short list beats a map.
thread_local std::vector<std::pair<const void*, void*>> t_leases;
}  // namespace

void* leased_connection(const void* pool) {
  for (const auto& [p, c] : t_leases)
    if (p == pool) return c;
  return nullptr;
}

void set_leased_connection(const void* pool, void* connection) {
  for (auto it = t_leases.begin(); it != t_leases.end(); ++it) {
    if (it->first != pool) continue;
    if (connection) {
      it->second = connection;
    } else {
      t_leases.erase(it);
    }
    return;
  }
  if (connection) t_leases.emplace_back(pool, connection);
}

}  // namespace detail
}  // namespace nanbyo::appcore
