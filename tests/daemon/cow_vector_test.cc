#include "daemon/cow_vector.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace lanwatch {
namespace {

TEST(CowVector, CopiesShareOneBufferUntilOneChanges) {
  CowVector<std::string> a(std::vector<std::string>{"Gi0/1", "Gi0/2"});
  const CowVector<std::string> b = a;
  EXPECT_EQ(&std::as_const(a).front(), &b.front()) << "a copy shares the buffer";

  a[1] = "Gi0/9";  // a change copies first: b keeps what it had
  EXPECT_EQ(a[1], "Gi0/9");
  EXPECT_EQ(b[1], "Gi0/2");
  EXPECT_NE(&std::as_const(a).front(), &b.front());

  const std::string* own = &std::as_const(a)[0];
  a[0] = "Gi0/8";  // a's buffer is its own now: changed in place
  EXPECT_EQ(own, &std::as_const(a)[0]);
  a.push_back("Gi0/3");
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0], "Gi0/1");
}

TEST(CowVector, ReadsLikeAVectorEmptyOrNot) {
  CowVector<int> empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.begin(), empty.end());
  int sum = 0;
  for (int v : empty) sum += v;
  CowVector<int> values{1, 2, 3};
  for (int v : values) sum += v;
  EXPECT_EQ(sum, 6);
  EXPECT_EQ(values.back(), 3);
  EXPECT_EQ(values, (CowVector<int>{1, 2, 3}));
  EXPECT_NE(values, empty);
  EXPECT_EQ(empty, CowVector<int>(std::vector<int>{}));
  values.clear();
  EXPECT_TRUE(values.empty());
}

}  // namespace
}  // namespace lanwatch
