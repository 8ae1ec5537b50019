// CowVector: a std::vector whose copies share one buffer until one of them is changed. A
// snapshot of the network copies every device's interfaces each time it is taken; with
// thousands of 48-port switches, sharing them is the difference between one copy of the
// interface state and three. Reading is as for a const std::vector; a change to a shared
// buffer first copies it (so references taken before a change belong to the old buffer).
// Copies may be read from several threads; each copy is changed by one thread at a time.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "daemon/shared_items.h"

namespace lanwatch {

template <typename T>
class CowVector {
 public:
  using value_type = T;
  using const_iterator = typename std::vector<T>::const_iterator;
  using iterator = typename std::vector<T>::iterator;

  CowVector() = default;
  CowVector(std::vector<T> items)  // NOLINT(google-explicit-constructor): a vector is one
      : items_(items.empty() ? nullptr : std::make_shared<std::vector<T>>(std::move(items))) {}
  CowVector(std::initializer_list<T> items) : CowVector(std::vector<T>(items)) {}

  size_t size() const { return items_ ? items_->size() : 0; }
  bool empty() const { return size() == 0; }
  const T& operator[](size_t k) const { return (*items_)[k]; }
  const T& front() const { return items_->front(); }
  const T& back() const { return items_->back(); }
  const_iterator begin() const { return items_ ? items_->cbegin() : const_iterator(); }
  const_iterator end() const { return items_ ? items_->cend() : const_iterator(); }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }

  // The changing side: each makes the buffer this copy's own first.
  std::vector<T>& Mutable() {
    if (!items_) items_ = std::make_shared<std::vector<T>>();
    return Unshared(items_);
  }
  T& operator[](size_t k) { return Mutable()[k]; }
  T& front() { return Mutable().front(); }
  T& back() { return Mutable().back(); }
  iterator begin() { return Mutable().begin(); }
  iterator end() { return Mutable().end(); }
  void push_back(T item) { Mutable().push_back(std::move(item)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return Mutable().emplace_back(std::forward<Args>(args)...);
  }
  void clear() { items_.reset(); }
  void reserve(size_t n) { Mutable().reserve(n); }

  friend bool operator==(const CowVector& a, const CowVector& b) {
    if (a.size() != b.size()) return false;
    return a.empty() || a.items_ == b.items_ || *a.items_ == *b.items_;
  }

 private:
  std::shared_ptr<std::vector<T>> items_;  // null while empty
};

}  // namespace lanwatch
