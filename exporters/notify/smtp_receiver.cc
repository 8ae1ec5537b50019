#include "exporters/notify/smtp_receiver.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "config/secret_file.h"
#include "exporters/notify/email_message.h"
#include "exporters/notify/mime.h"
#include "probes/curl/curl_handle.h"

namespace lanwatch {
namespace {

// The message as curl reads it for DATA.
struct Upload {
  std::string_view data;
  size_t sent = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->data.size() - upload->sent);
  std::memcpy(buffer, upload->data.data() + upload->sent, n);
  upload->sent += n;
  return n;
}

// The server's reply lines (what curl reports as "header in"). Only these: the lines curl
// sends (AUTH among them) are never kept.
struct Transcript {
  std::vector<std::string> replies;
};

int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  auto* transcript = static_cast<Transcript*>(user);
  if (transcript->replies.size() < 200) transcript->replies.push_back(std::move(line));
  return 0;
}

// The last complete reply: its final line ("250 2.0.0 Ok"), with the lines of a multi-line
// reply ("250-...") before it.
std::string LastReply(const std::vector<std::string>& replies) {
  if (replies.empty()) return "";
  size_t first = replies.size() - 1;
  while (first > 0 && replies[first - 1].size() > 3 && replies[first - 1][3] == '-') --first;
  std::string out;
  for (size_t i = first; i < replies.size(); ++i) {
    if (!out.empty()) out += " / ";
    out += replies[i];
  }
  return out;
}

}  // namespace

EmailReceiver::EmailReceiver(Config config, SmtpTimeouts timeouts)
    : config_(std::move(config)), timeouts_(timeouts) {}

std::string EmailReceiver::Render(const Notification& n) const {
  return RenderEmailMessage(n, config_);
}

std::expected<std::string, Error> EmailReceiver::Deliver(const std::string& payload) {
  const EmailSettings& email = config_.notify.email;
  const std::string where = fmt::format("email via {}", RedactUrlCredentials(email.url));
  if (email.url.empty()) return std::unexpected(Error("email: no notify.email.url configured"));
  if (email.url.rfind("smtp://", 0) != 0 && email.url.rfind("smtps://", 0) != 0) {
    return std::unexpected(Error(where + ": the url must start with smtp:// or smtps://"));
  }
  auto from = mime::ParseMailbox(email.from);
  if (!from) {
    return std::unexpected(
        Error(fmt::format("{}: 'from' is not an address: {}", where, email.from)));
  }
  curl::List recipients;
  for (const std::string& to : email.to) {
    auto box = mime::ParseMailbox(to);
    if (!box)
      return std::unexpected(Error(fmt::format("{}: 'to' is not an address: {}", where, to)));
    std::string rcpt = "<" + box->address + ">";
    curl_slist* grown = curl_slist_append(recipients.get(), rcpt.c_str());
    if (!grown) return std::unexpected(Error(where + ": out of memory"));
    (void)recipients.release();  // curl_slist_append returned the same list, grown
    recipients.reset(grown);
  }
  if (!recipients) return std::unexpected(Error(where + ": no 'to' address configured"));
  Secret password;
  if (!email.username.empty()) {
    if (auto read = ReadSecretFile(email.password_file, "password_file", password); !read) {
      return std::unexpected(read.error().context(where));
    }
  }

  curl::GlobalInit();
  // Declared before the handle: curl may still call back into them while it is cleaned up
  // (QUIT's reply).
  Transcript transcript;
  Upload upload{payload};
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl::Easy curl(curl_easy_init());
  if (!curl) return std::unexpected(Error(where + ": curl_easy_init failed"));
  CURL* c = curl.get();
  std::string mail_from = "<" + from->address + ">";
  curl_easy_setopt(c, CURLOPT_URL, email.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");  // never another scheme
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  // One refused address among several must not block the mail to the others for ever.
  // (curl before 8.2, Debian 12's 7.88, spells the option with three Ls.)
#if LIBCURL_VERSION_NUM >= 0x080200
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLOWFAILS, 1L);
#else
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
#endif
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadPayload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  if (email.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!email.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, email.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password.text().c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts_.connect.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts_.total.count()));
  // The dispatcher is one thread of a daemon: no SIGALRM for name lookups, no SIGPIPE.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  // VERBOSE only routes the exchange to OnDebug, which keeps the server's lines alone.
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &OnDebug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &transcript);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);

  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string reply = LastReply(transcript.replies);
  if (rc == CURLE_OK) return reply.empty() ? fmt::format("{}", code) : reply;

  std::string reason = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
  if (code == 0) return std::unexpected(Error(fmt::format("{}: {}", where, reason)));
  const char* kind = code >= 500 ? "refused" : code >= 400 ? "deferred (temporary)" : "failed";
  return std::unexpected(Error(fmt::format("{}: SMTP {} {}: {} (curl: {})", where, code, kind,
                                           reply.empty() ? "no reply text" : reply, reason)));
}

}  // namespace lanwatch
