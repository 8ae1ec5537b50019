#include "daemon/shared_items.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

namespace lanwatch {
namespace {

TEST(SharedItems, CopiesShareEachElementUntilOneChangesIt) {
  SharedItems<std::string> a(std::vector<std::string>{"sw", "router", "server"});
  const SharedItems<std::string> b = a;
  EXPECT_EQ(&std::as_const(a)[0], &b[0]) << "a copy shares the elements";

  a[1] = "core";  // that element alone is copied first: b keeps what it had
  EXPECT_EQ(a[1], "core");
  EXPECT_EQ(b[1], "router");
  EXPECT_NE(&std::as_const(a)[1], &b[1]);
  EXPECT_EQ(&std::as_const(a)[0], &b[0]) << "the others are still shared";
  EXPECT_EQ(&std::as_const(a)[2], &b[2]);

  const std::string* own = &std::as_const(a)[1];
  a[1] += "-1";  // a's own now: changed in place
  EXPECT_EQ(own, &std::as_const(a)[1]);
  EXPECT_EQ(b.size(), 3u);
}

TEST(SharedItems, SharesWhatItIsGivenAndReadsLikeAVector) {
  auto held = std::make_shared<std::string>("sw");
  SharedItems<std::string> items;
  EXPECT_TRUE(items.empty());
  EXPECT_EQ(items.begin(), items.end());
  items.push_back(held);
  items.push_back(std::string("router"));
  items.emplace_back("server");
  EXPECT_EQ(&std::as_const(items).front(), held.get()) << "the holder's own, not a copy";
  items.Mutable(0) = "core";
  EXPECT_EQ(*held, "sw") << "a change copies what the holder shares";
  EXPECT_EQ(items.at(0), "core");
  EXPECT_THROW(std::as_const(items).at(3), std::out_of_range);

  std::string joined;
  for (const std::string& s : items) joined += s + " ";
  EXPECT_EQ(joined, "core router server ");
  auto found = std::find(items.begin(), items.end(), "server");
  EXPECT_EQ(found - items.begin(), 2);
  EXPECT_EQ(found->size(), 6u);
  EXPECT_EQ(items.end() - items.begin(), 3);
  EXPECT_TRUE(std::is_sorted(items.begin(), items.end()));
  EXPECT_EQ(std::as_const(items).back(), "server");
}

}  // namespace
}  // namespace lanwatch
