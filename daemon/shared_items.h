// SharedItems: a vector whose copies share each element until one of them changes it. A
// snapshot of the network holds every device's status; with thousands of devices, sharing
// them makes a snapshot (and a part of one published while a round runs) a copy of pointers,
// not of every device's names, error counts and optics. Reading is as for a const
// std::vector<T>; a change to a shared element first copies that element alone. Like
// CowVector: copies may be read from several threads; each copy is changed by one thread.
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace lanwatch {

// `shared` made the caller's own to change: copied first when anyone else holds it.
template <typename T>
T& Unshared(std::shared_ptr<T>& shared) {
  if (shared.use_count() > 1) {
    shared = std::make_shared<T>(*shared);
  } else {
    // The last other owner may have just let go on another thread: its reads come before
    // our writes.
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  return *shared;
}

template <typename T>
class SharedItems {
  using Items = std::vector<std::shared_ptr<T>>;

 public:
  using value_type = T;

  // Over the elements themselves, as a const std::vector<T>'s iterator is.
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator() = default;
    explicit const_iterator(typename Items::const_iterator at) : at_(at) {}
    const T& operator*() const { return **at_; }
    const T* operator->() const { return at_->get(); }
    const T& operator[](difference_type n) const { return *at_[n]; }
    const_iterator& operator++() { return ++at_, *this; }
    const_iterator operator++(int) { return const_iterator(at_++); }
    const_iterator& operator--() { return --at_, *this; }
    const_iterator operator--(int) { return const_iterator(at_--); }
    const_iterator& operator+=(difference_type n) { return at_ += n, *this; }
    const_iterator& operator-=(difference_type n) { return at_ -= n, *this; }
    friend const_iterator operator+(const_iterator i, difference_type n) { return i += n; }
    friend const_iterator operator+(difference_type n, const_iterator i) { return i += n; }
    friend const_iterator operator-(const_iterator i, difference_type n) { return i -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return a.at_ - b.at_;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) = default;
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) = default;

   private:
    typename Items::const_iterator at_;
  };

  SharedItems() = default;
  SharedItems(std::vector<T> items) {  // NOLINT(google-explicit-constructor): a vector is one
    items_.reserve(items.size());
    for (T& item : items) push_back(std::move(item));
  }

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const T& operator[](size_t k) const { return *items_[k]; }
  const T& at(size_t k) const { return *items_.at(k); }
  const T& front() const { return *items_.front(); }
  const T& back() const { return *items_.back(); }
  const_iterator begin() const { return const_iterator(items_.cbegin()); }
  const_iterator end() const { return const_iterator(items_.cend()); }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }

  // The changing side: each makes the element this copy's own first.
  T& Mutable(size_t k) { return Unshared(items_[k]); }
  T& operator[](size_t k) { return Mutable(k); }
  T& at(size_t k) { return Unshared(items_.at(k)); }
  T& front() { return Mutable(0); }
  T& back() { return Mutable(size() - 1); }
  void push_back(T item) { items_.push_back(std::make_shared<T>(std::move(item))); }
  // Shares `item` with whoever else holds it (a NetworkState's own status of a device).
  void push_back(std::shared_ptr<T> item) { items_.push_back(std::move(item)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return *items_.emplace_back(std::make_shared<T>(std::forward<Args>(args)...));
  }
  void reserve(size_t n) { items_.reserve(n); }
  void clear() { items_.clear(); }

 private:
  Items items_;
};

}  // namespace lanwatch
