#include "config/secret_file.h"

#include <gtest/gtest.h>

#include "tests/daemon/scratch_dir.h"

namespace lanwatch {
namespace {

TEST(SecretFile, ReadsTheFileWithoutItsFinalNewline) {
  testing::ScratchDir dir;
  const std::string path = dir.path() + "/password";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("s3cret 密码 \r\n", f);
    std::fclose(f);
  }
  Secret secret;
  ASSERT_TRUE(ReadSecretFile(path, "password_file", secret).has_value());
  EXPECT_EQ(secret.text(), "s3cret 密码 ");  // inner and trailing spaces are the password's
  Secret missing;
  auto read = ReadSecretFile(dir.path() + "/none", "web.basic_auth.password_file", missing);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().message, "cannot read web.basic_auth.password_file " + dir.path() +
                                      "/none: No such file or directory");
}

TEST(SecretFile, UrlsAreShownWithoutTheirCredentials) {
  EXPECT_EQ(RedactUrlCredentials("smtp://it:pw@mail.example:587"), "smtp://***@mail.example:587");
  EXPECT_EQ(RedactUrlCredentials("https://user:p%40ss@oa.example/login?a=b@c"),
            "https://***@oa.example/login?a=b@c");
  EXPECT_EQ(RedactUrlCredentials("http://198.18.1.10/path@x"), "http://198.18.1.10/path@x");
  EXPECT_EQ(RedactUrlCredentials("198.18.1.10:8080"), "198.18.1.10:8080");
  // A password may hold an '@': the user information ends at the last one.
  EXPECT_EQ(RedactUrlCredentials("http://u:p@ss@198.18.1.10/"), "http://***@198.18.1.10/");
  EXPECT_EQ(RedactUrlCredentials("http://u:p@ss@198.18.1.10"), "http://***@198.18.1.10");
  EXPECT_EQ(RedactUrlCredentials("http://198.18.1.10?to=a@b"), "http://198.18.1.10?to=a@b");
}

}  // namespace
}  // namespace lanwatch
