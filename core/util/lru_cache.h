// The one in-memory LRU cache: a fixed number of entries, the least recently used dropped first. Thread-safe
// (each call takes the lock), values handed out by copy, so keep them cheap to copy (a tensor, a shared_ptr,
// a short vector). Used for frozen features, the Try it tab's loaded runs and BPE pieces.
#pragma once
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace pw {

template <class Key, class Value>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  // The value under `key` (now the most recently used), or nothing.
  std::optional<Value> get(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->second;
  }

  // Stores `value` under `key` (replacing an old one) as the most recently used, then drops the least
  // recently used entries beyond the capacity.
  void put(const Key& key, Value value) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      it->second->second = std::move(value);
      entries_.splice(entries_.begin(), entries_, it->second);
      return;
    }
    entries_.emplace_front(key, std::move(value));
    index_.emplace(key, entries_.begin());
    while (entries_.size() > capacity_) {
      index_.erase(entries_.back().first);
      entries_.pop_back();
    }
  }

  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    index_.clear();
    entries_.clear();
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

 private:
  using Entries = std::list<std::pair<Key, Value>>;  // most recently used first
  size_t capacity_;
  mutable std::mutex mutex_;
  Entries entries_;
  std::unordered_map<Key, typename Entries::iterator> index_;
};

}  // namespace pw
