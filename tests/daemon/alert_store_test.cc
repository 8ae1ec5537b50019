// The alert store against real SQLite files in a scratch directory: what goes in comes out,
// the outbox keeps order and its limit, silences, reopening, the schema version, and a child
// killed with SIGKILL in the middle of its rounds.
#include "daemon/alerts/alert_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "tests/daemon/scratch_dir.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ScratchDir;

const WallTime kT0 = std::chrono::system_clock::from_time_t(1'800'000'000) + 123ms;

std::unique_ptr<AlertStore> OpenOrDie(const std::string& dir, OutboxLimits limits = {}) {
  auto store = AlertStore::Open(dir, limits);
  if (!store) ADD_FAILURE() << store.error().message;
  return store ? std::move(*store) : nullptr;
}

// The first column of the first row of `sql`, as text, on a connection of the test's own.
std::string Query(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  sqlite3_stmt* st_raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &st_raw, nullptr) != SQLITE_OK)
    return std::string("error: ") + sqlite3_errmsg(db.get());
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(st_raw, &sqlite3_finalize);
  if (sqlite3_step(st.get()) != SQLITE_ROW) return "";
  const unsigned char* text = sqlite3_column_text(st.get(), 0);
  return text ? reinterpret_cast<const char*>(text) : "NULL";
}

AlertRecord FullRecord() {
  AlertRecord r;
  r.key = {rule::kLinkUtilization, "core-switch", "盘集分局光纤"};
  r.phase = AlertPhase::kFiring;
  r.severity = Severity::kCritical;
  r.event = true;
  r.pending_since = kT0;
  r.firing_since = kT0 + 120s;
  r.resolved_at = kT0 + 600s;
  r.notified_at = kT0 + 125s;
  r.message_id = "lanwatch.1800000000.42";
  r.peak = 0.987654321;
  r.facts.value = 0.97;
  r.facts.threshold = 0.95;
  r.facts.capacity_bps = 100e6;
  r.facts.unit = "ratio";
  r.facts.direction = "in";
  r.facts.interface = "GigabitEthernet0/0/7";
  r.facts.detail = "盘集";
  r.facts.affected_devices = {"盘集", "maoji"};
  r.facts.affected_links = {"panji-uplink"};
  r.suppressed_by = "silence:7";
  return r;
}

AlertRecord Pending(const std::string& device, const std::string& link) {
  AlertRecord r;
  r.key = {rule::kLinkDown, device, link};
  r.pending_since = kT0;
  return r;
}

OutboxItem Item(const std::string& receiver, NotificationKind kind, const std::string& id,
                WallTime created = kT0) {
  OutboxItem item;
  item.receiver = receiver;
  item.kind = kind;
  item.notification_id = id;
  item.payload = "Message-ID: <" + id + "@lanwatch>\r\n\r\n" + std::string("\0\xff", 2);
  item.created_at = created;
  return item;
}

std::vector<std::string> Ids(const std::vector<OutboxItem>& items) {
  std::vector<std::string> ids;
  for (const OutboxItem& i : items) ids.push_back(i.notification_id);
  return ids;
}

std::vector<OutboxItem> AllItems(AlertStore& store, const std::string& receiver) {
  auto items = store.DueItems(receiver, kT0 + 1000h, 1'000'000);
  EXPECT_TRUE(items) << items.error().message;
  return items ? *items : std::vector<OutboxItem>{};
}

void ExpectSame(const AlertRecord& a, const AlertRecord& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.phase, b.phase);
  EXPECT_EQ(a.severity, b.severity);
  EXPECT_EQ(a.event, b.event);
  EXPECT_EQ(a.pending_since, b.pending_since);
  EXPECT_EQ(a.firing_since, b.firing_since);
  EXPECT_EQ(a.resolved_at, b.resolved_at);
  EXPECT_EQ(a.notified_at, b.notified_at);
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.peak, b.peak);
  EXPECT_EQ(a.facts.value, b.facts.value);
  EXPECT_EQ(a.facts.threshold, b.facts.threshold);
  EXPECT_EQ(a.facts.capacity_bps, b.facts.capacity_bps);
  EXPECT_EQ(a.facts.unit, b.facts.unit);
  EXPECT_EQ(a.facts.direction, b.facts.direction);
  EXPECT_EQ(a.facts.interface, b.facts.interface);
  EXPECT_EQ(a.facts.detail, b.facts.detail);
  EXPECT_EQ(a.facts.affected_devices, b.facts.affected_devices);
  EXPECT_EQ(a.facts.affected_links, b.facts.affected_links);
  EXPECT_EQ(a.suppressed_by, b.suppressed_by);
}

TEST(AlertStoreTest, RecordsRoundTripEveryField) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  const AlertRecord full = FullRecord();
  const AlertRecord bare = Pending("router", "");  // unset optionals, empty facts
  ASSERT_TRUE(store->SaveRound({full, bare}, {}));

  auto loaded = store->LoadAlerts();
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  // Ordered by rule, device, link.
  ExpectSame((*loaded)[0], bare);
  ExpectSame((*loaded)[1], full);
  // Readable as it is with sqlite3: words, milliseconds, JSON with the names as written.
  const std::string where = " FROM alerts WHERE device = 'core-switch'";
  EXPECT_EQ(Query(store->path(), "SELECT severity" + where), "CRITICAL");
  EXPECT_EQ(Query(store->path(), "SELECT phase" + where), "firing");
  EXPECT_EQ(Query(store->path(), "SELECT firing_since" + where), "1800000120123");
  EXPECT_EQ(Query(store->path(), "SELECT json_extract(facts, '$.detail')" + where), "盘集");
  EXPECT_EQ(Query(store->path(), "SELECT resolved_at FROM alerts WHERE device = 'router'"), "NULL");
}

TEST(AlertStoreTest, EachRoundReplacesTheRecords) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveRound({Pending("sw", "datong"), Pending("sw", "panji")}, {}));
  AlertRecord firing = Pending("sw", "panji");
  firing.phase = AlertPhase::kFiring;
  ASSERT_TRUE(store->SaveRound({firing, Pending("sw", "maoji")}, {}));
  auto loaded = store->LoadAlerts();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].key.link, "maoji");
  EXPECT_EQ((*loaded)[1].key.link, "panji");
  EXPECT_EQ((*loaded)[1].phase, AlertPhase::kFiring);
  ASSERT_TRUE(store->SaveRound({}, {}));
  EXPECT_TRUE(store->LoadAlerts()->empty());
}

TEST(AlertStoreTest, AFailedRoundWritesNothing) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(
      store->SaveRound({Pending("sw", "datong")}, {Item("email", NotificationKind::kFiring, "a")}));
  // The same key twice: the primary key refuses the second, after the items were queued.
  auto saved = store->SaveRound({Pending("sw", "panji"), Pending("sw", "panji")},
                                {Item("email", NotificationKind::kFiring, "b")});
  ASSERT_FALSE(saved);
  EXPECT_NE(saved.error().message.find("link_down sw/panji"), std::string::npos)
      << saved.error().message;
  EXPECT_NE(saved.error().message.find("UNIQUE"), std::string::npos) << saved.error().message;
  auto loaded = store->LoadAlerts();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].key.link, "datong");
  EXPECT_EQ(Ids(AllItems(*store, "email")), (std::vector<std::string>{"a"}));
}

TEST(AlertStoreTest, OutboxAssignsIdsAndKeepsTheOrder) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveRound({}, {Item("email", NotificationKind::kFiring, "a"),
                                    Item("alertmanager", NotificationKind::kFiring, "a"),
                                    Item("email", NotificationKind::kResolved, "b")}));
  ASSERT_TRUE(store->SaveRound({}, {Item("email", NotificationKind::kReminder, "c")}));
  auto email = AllItems(*store, "email");
  ASSERT_EQ(Ids(email), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_GT(email[0].id, 0);
  EXPECT_LT(email[0].id, email[1].id);
  EXPECT_LT(email[1].id, email[2].id);
  const OutboxItem expected = Item("email", NotificationKind::kResolved, "b");
  EXPECT_EQ(email[1].kind, NotificationKind::kResolved);
  EXPECT_EQ(email[1].receiver, "email");
  EXPECT_EQ(email[1].payload, expected.payload);  // bytes as they were, NUL included
  EXPECT_EQ(email[1].created_at, kT0);
  EXPECT_EQ(email[1].next_attempt_at, kT0);  // unset: due when created
  EXPECT_EQ(email[1].attempts, 0);
  EXPECT_EQ(email[1].last_error, "");
  EXPECT_EQ(Ids(AllItems(*store, "alertmanager")), (std::vector<std::string>{"a"}));
  auto lengths = store->OutboxLengths();
  ASSERT_TRUE(lengths);
  EXPECT_EQ(*lengths, (std::map<std::string, int64_t>{{"alertmanager", 1}, {"email", 3}}));
  auto oldest = store->OldestItem("email");
  ASSERT_TRUE(oldest && *oldest);
  EXPECT_EQ((*oldest)->id, email[0].id);
  EXPECT_FALSE(*store->OldestItem("nobody"));
}

TEST(AlertStoreTest, DueItemsMarkFailedAndMarkDelivered) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SaveRound({}, {Item("email", NotificationKind::kFiring, "a"),
                                    Item("email", NotificationKind::kFiring, "b", kT0 + 1s),
                                    Item("email", NotificationKind::kFiring, "c", kT0 + 2s)}));
  EXPECT_EQ(Ids(*store->DueItems("email", kT0 - 1ms)), std::vector<std::string>{});
  EXPECT_EQ(Ids(*store->DueItems("email", kT0 + 1s)), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Ids(*store->DueItems("email", kT0 + 1h, 1)), (std::vector<std::string>{"a"}));
  EXPECT_EQ(*store->NextAttempt("email"), kT0);
  EXPECT_EQ(*store->NextAttempt("nobody"), std::nullopt);

  const int64_t a = store->DueItems("email", kT0)->front().id;
  ASSERT_TRUE(store->MarkFailed(a, kT0 + 10s, "421 4.3.0 try again later"));
  ASSERT_TRUE(store->MarkFailed(a, kT0 + 20s, "connection refused"));
  EXPECT_EQ(Ids(*store->DueItems("email", kT0 + 2s)), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(*store->NextAttempt("email"), kT0 + 1s);
  auto failed = store->OldestItem("email");
  ASSERT_TRUE(failed && *failed);
  EXPECT_EQ((*failed)->attempts, 2);
  EXPECT_EQ((*failed)->next_attempt_at, kT0 + 20s);
  EXPECT_EQ((*failed)->last_error, "connection refused");

  ASSERT_TRUE(store->MarkDelivered(a));
  EXPECT_EQ(Ids(AllItems(*store, "email")), (std::vector<std::string>{"b", "c"}));
  // An id no longer queued (the limit dropped it while it was sent) is not an error.
  EXPECT_TRUE(store->MarkDelivered(a));
  EXPECT_TRUE(store->MarkFailed(a, kT0, "x"));
}

TEST(AlertStoreTest, LimitDropsTheOldestRemindersFirst) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path(), {.max_items = 4});
  ASSERT_TRUE(store);
  using K = NotificationKind;
  ASSERT_TRUE(
      store->SaveRound({}, {Item("email", K::kFiring, "f1"), Item("email", K::kReminder, "r1"),
                            Item("email", K::kResolved, "x1"), Item("email", K::kReminder, "r2")}));
  std::map<std::string, int64_t> dropped;
  auto n = store->SaveRound({},
                            {Item("email", K::kFiring, "f2"), Item("email", K::kReminder, "r3"),
                             Item("alertmanager", K::kFiring, "f2")},
                            &dropped);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(dropped, (std::map<std::string, int64_t>{{"email", 2}}));
  EXPECT_EQ(Ids(AllItems(*store, "email")), (std::vector<std::string>{"f1", "x1", "f2", "r3"}));
  EXPECT_EQ(Ids(AllItems(*store, "alertmanager")), (std::vector<std::string>{"f2"}));
}

TEST(AlertStoreTest, LimitDropsFiringAndResolvedOnlyWhenNoReminderIsLeft) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path(), {.max_items = 2});
  ASSERT_TRUE(store);
  using K = NotificationKind;
  auto n = store->SaveRound({}, {Item("email", K::kFiring, "f1"), Item("email", K::kResolved, "x1"),
                                 Item("email", K::kReminder, "r1"), Item("email", K::kTest, "t1"),
                                 Item("email", K::kFiring, "f2")});
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 3);  // r1, then the oldest two others
  EXPECT_EQ(Ids(AllItems(*store, "email")), (std::vector<std::string>{"t1", "f2"}));
}

TEST(AlertStoreTest, SilencesAddListRemove) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  Silence panji{0, "core-switch", "盘集", kT0, kT0 + 2h, "更换光模块", "王工"};
  Silence router{0, "router", "", kT0 + 1h, kT0 + 3h, "ISP maintenance", "it"};
  auto id1 = store->AddSilence(panji);
  auto id2 = store->AddSilence(router);
  ASSERT_TRUE(id1 && id2) << (id1 ? id2.error().message : id1.error().message);
  EXPECT_NE(*id1, *id2);

  auto now = store->Silences(kT0 + 30min);
  ASSERT_TRUE(now);
  ASSERT_EQ(now->size(), 1u);
  const Silence& s = now->front();
  EXPECT_EQ(s.id, *id1);
  EXPECT_EQ(s.device, "core-switch");
  EXPECT_EQ(s.link, "盘集");
  EXPECT_EQ(s.starts, kT0);
  EXPECT_EQ(s.ends, kT0 + 2h);
  EXPECT_EQ(s.comment, "更换光模块");
  EXPECT_EQ(s.author, "王工");
  EXPECT_EQ(store->Silences(kT0 + 90min)->size(), 2u);
  EXPECT_EQ(store->Silences(kT0 + 3h)->size(), 0u);  // ends is not included
  // With the ended ones: all that ended less than a day ago, and those still to come.
  EXPECT_EQ(store->Silences(kT0, true)->size(), 2u);
  EXPECT_EQ(store->Silences(kT0 + 26h + 30min, true)->size(), 1u);
  EXPECT_EQ(store->Silences(kT0 + 28h, true)->size(), 0u);

  EXPECT_EQ(store->RemoveSilence(*id1), true);
  EXPECT_EQ(store->RemoveSilence(*id1), false);
  EXPECT_EQ(store->Silences(kT0 + 90min)->size(), 1u);

  auto backwards = store->AddSilence({0, "router", "", kT0, kT0, "", ""});
  ASSERT_FALSE(backwards);
  EXPECT_NE(backwards.error().message.find("ends before it starts"), std::string::npos);
  EXPECT_FALSE(store->AddSilence({0, "", "", kT0, kT0 + 1h, "", ""}));
}

TEST(AlertStoreSilence, CoversItsDeviceOrLinkWhileInForce) {
  const Silence device{1, "sw", "", kT0, kT0 + 1h, "", ""};
  const Silence link{2, "sw", "datong", kT0, kT0 + 1h, "", ""};
  const AlertKey datong{rule::kLinkDown, "sw", "datong"};
  const AlertKey panji{rule::kLinkDown, "sw", "panji"};
  const AlertKey sw{rule::kDeviceUnreachable, "sw", ""};
  const AlertKey router{rule::kDeviceUnreachable, "router", ""};
  EXPECT_TRUE(device.Covers(datong, kT0));
  EXPECT_TRUE(device.Covers(sw, kT0 + 30min));
  EXPECT_FALSE(device.Covers(router, kT0));
  EXPECT_FALSE(device.Covers(sw, kT0 - 1ms));
  EXPECT_FALSE(device.Covers(sw, kT0 + 1h));  // [starts, ends)
  EXPECT_TRUE(link.Covers(datong, kT0));
  EXPECT_FALSE(link.Covers(panji, kT0));
  EXPECT_FALSE(link.Covers(sw, kT0));  // the device's own alerts are not the link's
}

TEST(AlertStoreTest, ReopenedEverythingIsStillThere) {
  ScratchDir dir;
  int64_t silence = 0;
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->SaveRound({FullRecord()}, {Item("email", NotificationKind::kFiring, "a")}));
    const int64_t a = store->OldestItem("email")->value().id;
    ASSERT_TRUE(store->MarkFailed(a, kT0 + 1s, "timeout"));
    silence = *store->AddSilence({0, "sw", "", kT0, kT0 + 1h, "c", "a"});
  }
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  auto loaded = store->LoadAlerts();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 1u);
  ExpectSame(loaded->front(), FullRecord());
  auto items = AllItems(*store, "email");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].attempts, 1);
  EXPECT_EQ(items[0].last_error, "timeout");
  ASSERT_EQ(store->Silences(kT0)->size(), 1u);
  EXPECT_EQ(store->Silences(kT0)->front().id, silence);
}

TEST(AlertStoreTest, SchemaIsVersionOneInWalMode) {
  ScratchDir dir;
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->path(), dir / "lanwatch.db");
  EXPECT_EQ(Query(store->path(), "PRAGMA user_version"), "1");
  // journal_mode is kept in the file: a connection of our own sees it.
  EXPECT_EQ(Query(store->path(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(Query(store->path(),
                  "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE "
                  "type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)"),
            "alerts outbox silences");
}

TEST(AlertStoreTest, MigratesAnEmptyVersionZeroFile) {
  ScratchDir dir;
  {
    std::ofstream empty(dir / "lanwatch.db");  // a zero-byte file is an empty database
  }
  EXPECT_EQ(Query(dir / "lanwatch.db", "PRAGMA user_version"), "0");
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(Query(store->path(), "PRAGMA user_version"), "1");
  ASSERT_TRUE(store->SaveRound({FullRecord()}, {}));
  EXPECT_EQ(store->LoadAlerts()->size(), 1u);
}

TEST(AlertStoreTest, RefusesASchemaFromANewerLanwatch) {
  ScratchDir dir;
  { ASSERT_TRUE(OpenOrDie(dir.path())); }
  Query(dir / "lanwatch.db", "PRAGMA user_version = 7");
  auto store = AlertStore::Open(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("schema version 7 is newer"), std::string::npos)
      << store.error().message;
}

TEST(AlertStoreTest, CreatesItsDirectoryWithMode0750) {
  ScratchDir dir;
  const mode_t old_mask = umask(022);
  auto store = AlertStore::Open(dir / "var/lib/lanwatch");
  umask(old_mask);
  ASSERT_TRUE(store) << store.error().message;
  struct stat st {};
  ASSERT_EQ(stat((dir / "var/lib/lanwatch").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
  EXPECT_TRUE(std::filesystem::exists(dir / "var/lib/lanwatch/lanwatch.db"));
}

TEST(AlertStoreTest, OpenSaysClearlyWhenTheDirectoryCannotBeMade) {
  ScratchDir dir;
  std::ofstream(dir / "file") << "not a directory";
  auto under_file = AlertStore::Open(dir / "file/state");
  ASSERT_FALSE(under_file);
  EXPECT_NE(
      under_file.error().message.find("cannot create the state directory " + dir / "file/state"),
      std::string::npos)
      << under_file.error().message;
  auto is_file = AlertStore::Open(dir / "file");
  ASSERT_FALSE(is_file);
  EXPECT_NE(is_file.error().message.find("is not a directory"), std::string::npos)
      << is_file.error().message;
}

TEST(AlertStoreTest, OpenSaysClearlyWhenTheDirectoryIsNotWritable) {
  ScratchDir dir;
  chmod(dir.path().c_str(), 0755);
  std::filesystem::create_directory(dir / "ro");
  chmod((dir / "ro").c_str(), 0555);
  // Root writes anywhere: as root, try it as nobody (lanwatchd's user after it drops root),
  // in a child, so that this process keeps its privileges.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    auto store = AlertStore::Open(dir / "ro");
    if (store) _exit(1);
    _exit(store.error().message.find("is not writable") != std::string::npos ? 0 : 2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: opened anyway; 2: another message; 3: setuid failed";
}

// The daemon, the dispatcher and the CLI each have a connection: rounds, deliveries and
// silences at once never fail for a lock (each waits its turn, within the busy timeout).
TEST(AlertStoreTest, ConnectionsOnSeveralThreadsShareTheFile) {
  ScratchDir dir;
  constexpr int kRounds = 40;
  std::atomic<int> errors{0};
  std::atomic<int> delivered{0};
  std::atomic<bool> rounds_done{false};
  auto report = [&](const Error& e) {
    ++errors;
    ADD_FAILURE() << e.message;
  };
  std::thread daemon([&] {
    auto store = AlertStore::Open(dir.path());
    if (!store) return report(store.error());
    for (int i = 0; i < kRounds; ++i) {
      auto ok = (*store)->SaveRound({Pending("sw", "l" + std::to_string(i))},
                                    {Item("email", NotificationKind::kFiring, std::to_string(i))});
      if (!ok) report(ok.error());
    }
    rounds_done = true;
  });
  std::thread dispatcher([&] {
    auto store = AlertStore::Open(dir.path());
    if (!store) return report(store.error());
    while (delivered < kRounds && errors == 0) {
      auto due = (*store)->DueItems("email", kT0);
      if (!due) return report(due.error());
      for (const OutboxItem& item : *due) {
        if (auto ok = (*store)->MarkDelivered(item.id); !ok) return report(ok.error());
        ++delivered;
      }
      if (rounds_done && due->empty()) break;
    }
  });
  std::thread cli([&] {
    for (int i = 0; i < 10; ++i) {
      auto store = AlertStore::Open(dir.path());
      if (!store) return report(store.error());
      if (auto ok = (*store)->AddSilence({0, "sw", "", kT0, kT0 + 1h, "", ""}); !ok)
        report(ok.error());
    }
  });
  daemon.join();
  dispatcher.join();
  cli.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(delivered, kRounds);
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Silences(kT0)->size(), 10u);
}

// lanwatchd's first start: the daemon's and the dispatcher's connections (and maybe the CLI)
// create the file at the same moment; switching a new file to WAL is the step SQLite does not
// wait for by itself.
TEST(AlertStoreTest, SeveralOpenANewFileAtOnce) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    ScratchDir dir;
    std::atomic<bool> go{false};
    std::vector<std::string> errors(6);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < errors.size(); ++i)
      threads.emplace_back([&, i] {
        while (!go) std::this_thread::yield();
        auto store = AlertStore::Open(dir.path());
        if (!store) errors[i] = store.error().message;
      });
    go = true;
    for (std::thread& t : threads) t.join();
    for (const std::string& e : errors) ASSERT_EQ(e, "") << "attempt " << attempt;
    EXPECT_EQ(Query(dir / "lanwatch.db", "PRAGMA journal_mode"), "wal");
  }
}

// ---- kill -9 in the middle of rounds ----

constexpr int kPerRound = 8;

int RoundOf(const std::string& notification_id) {  // "r12-3" -> 12
  return std::stoi(notification_id.substr(1, notification_id.find('-') - 1));
}

// A round of kPerRound alerts, each with its notification: records and items name each other.
void MakeRound(int round, std::vector<AlertRecord>& records, std::vector<OutboxItem>& items) {
  records.clear();
  items.clear();
  for (int i = 0; i < kPerRound; ++i) {
    const std::string id = "r" + std::to_string(round) + "-" + std::to_string(i);
    AlertRecord r = FullRecord();
    r.key.link = "link" + std::to_string(i);
    r.message_id = id;
    records.push_back(r);
    OutboxItem item = Item("email", NotificationKind::kFiring, id);
    item.payload += std::string(3000, 'x');  // a round spans many pages
    items.push_back(item);
  }
}

// The child: from the round the file is at, saves rounds as fast as it can until killed.
// Writes a byte to `ready` after its first round.
[[noreturn]] void SaveRoundsUntilKilled(const std::string& dir, int ready) {
  auto store = AlertStore::Open(dir, {.max_items = 1'000'000});
  if (!store) _exit(2);
  auto loaded = (*store)->LoadAlerts();
  if (!loaded) _exit(3);
  int round = loaded->empty() ? 0 : RoundOf(loaded->front().message_id);
  std::vector<AlertRecord> records;
  std::vector<OutboxItem> items;
  for (bool told = false;; told = true) {
    MakeRound(++round, records, items);
    if (!(*store)->SaveRound(records, items)) _exit(4);
    if (!told && write(ready, "x", 1) != 1) _exit(5);
  }
}

// Every round up to the last one is whole: its kPerRound items queued, and the records are
// the last round's, naming exactly that round's items. Returns the last round.
int ExpectWholeRounds(const std::string& dir) {
  auto store = OpenOrDie(dir, {.max_items = 1'000'000});
  if (!store) return -1;
  EXPECT_EQ(Query(store->path(), "PRAGMA integrity_check"), "ok");
  auto records = store->LoadAlerts();
  EXPECT_TRUE(records);
  if (!records) return -1;
  EXPECT_EQ(records->size(), static_cast<size_t>(kPerRound));
  if (records->empty()) return -1;
  const int last = RoundOf(records->front().message_id);
  std::set<std::string> record_ids;
  for (const AlertRecord& r : *records) {
    EXPECT_EQ(RoundOf(r.message_id), last) << r.message_id;
    record_ids.insert(r.message_id);
  }
  std::map<int, std::set<std::string>> items_by_round;
  int previous_round = 0;
  for (const OutboxItem& item : AllItems(*store, "email")) {
    const int round = RoundOf(item.notification_id);
    EXPECT_GE(round, previous_round) << "out of order: " << item.notification_id;
    previous_round = round;
    EXPECT_TRUE(items_by_round[round].insert(item.notification_id).second)
        << "queued twice: " << item.notification_id;
  }
  EXPECT_EQ(static_cast<int>(items_by_round.size()), last) << "a round without its items";
  for (const auto& [round, ids] : items_by_round)
    EXPECT_EQ(ids.size(), static_cast<size_t>(kPerRound)) << "round " << round;
  EXPECT_EQ(items_by_round[last], record_ids);
  return last;
}

TEST(AlertStoreCrash, KillNineLeavesEachRoundWholeOrNotAtAll) {
  ScratchDir dir;
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_us(0, 40'000);
  int last = 0;
  for (int kill = 0; kill < 10; ++kill) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(pipe_fds[0]);
      SaveRoundsUntilKilled(dir.path(), pipe_fds[1]);
    }
    close(pipe_fds[1]);
    char byte = 0;
    ASSERT_EQ(read(pipe_fds[0], &byte, 1), 1) << "the child saved no round";
    close(pipe_fds[0]);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended by itself, status " << status;

    const int now = ExpectWholeRounds(dir.path());
    EXPECT_GT(now, last) << "kill " << kill;
    last = now;
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace lanwatch
