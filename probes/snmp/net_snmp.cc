#include "probes/snmp/net_snmp.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>

#include "config/text_encoding.h"
#include "probes/snmp/snmp_client.h"

namespace lanwatch {
namespace {

int ForwardNetSnmpLog(int, int, void* server_arg, void*) {
  const auto* message = static_cast<const snmp_log_message*>(server_arg);
  if (message && message->msg) {
    std::string_view text(message->msg);
    while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    spdlog::debug("net-snmp: {}", ToValidUtf8(text));  // C library text: never trust it
  }
  return SNMPERR_SUCCESS;
}

}  // namespace

void InitNetSnmpOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // We only ever use numeric OIDs. No MIB directory and an empty module list: init_snmp then
    // reads no MIB file and looks for none. (Not through the MIBS variable: setenv is unsafe
    // once other threads exist.) The remembered line is processed with the pre-MIB settings
    // even though config files are not read.
    netsnmp_set_mib_directory("");
    static char no_mibs[] = "mibs :";
    netsnmp_config_remember(no_mibs);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_NO_TOKEN_WARNINGS, 1);
    // Route the library's own log to ours (debug level) instead of stderr.
    netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK, LOG_DEBUG);
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, ForwardNetSnmpLog,
                           nullptr);
    init_snmp("lanwatch");
    // init_snmp may have added a stderr handler of its own; keep only ours.
    snmp_disable_stderrlog();
  });
}

namespace netsnmp {
namespace {

std::string PeerName(const std::string& ip, uint16_t port) {
  if (ip.find(':') != std::string::npos) {  // IPv6 literal
    std::string bare = ip.front() == '[' ? ip.substr(1, ip.size() - 2) : ip;
    return fmt::format("udp6:[{}]:{}", bare, port);
  }
  return fmt::format("udp:{}:{}", ip, port);
}

// Derives the master key (Ku) from a passphrase, as snmpget -A does. That hashes a megabyte,
// milliseconds of CPU: done once per (protocol, passphrase) for the life of the process, so
// that a session reopened in the middle of a round costs the other devices nothing.
std::expected<void, Error> DeriveKey(AuthProtocol protocol, const oid* auth_proto,
                                     size_t auth_proto_len, const std::string& passphrase,
                                     u_char* key, size_t* key_len) {
  static std::mutex mutex;
  static std::map<std::tuple<AuthProtocol, std::string>, std::vector<u_char>> cache;
  std::lock_guard lock(mutex);
  auto& cached = cache[{protocol, passphrase}];
  if (cached.empty()) {
    u_char derived[USM_AUTH_KU_LEN];
    size_t derived_len = sizeof derived;
    std::string copy = passphrase;  // generate_Ku takes a non-const buffer
    if (generate_Ku(auth_proto, static_cast<u_int>(auth_proto_len),
                    reinterpret_cast<u_char*>(copy.data()), copy.size(), derived,
                    &derived_len) != SNMPERR_SUCCESS) {
      cache.erase({protocol, passphrase});
      return std::unexpected(Error("cannot derive an SNMPv3 key from the passphrase"));
    }
    cached.assign(derived, derived + derived_len);
  }
  std::copy(cached.begin(), cached.end(), key);
  *key_len = cached.size();
  return {};
}

}  // namespace

std::expected<SessionHandle, Error> OpenSession(const SnmpTarget& target, const std::string& ip,
                                                Callback callback, void* magic) {
  InitNetSnmpOnce();
  const SnmpSettings& s = target.settings;
  netsnmp_session session;
  snmp_sess_init(&session);
  std::string peer = PeerName(ip, s.port);
  session.peername = peer.data();
  session.timeout =
      static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(s.timeout).count());
  session.retries = s.retries;
  session.callback = callback;
  session.callback_magic = magic;
  std::string community = s.community;
  std::string user = s.user;
  switch (s.version) {
    case SnmpVersion::kV1:
    case SnmpVersion::kV2c:
      session.version = s.version == SnmpVersion::kV1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
      session.community = reinterpret_cast<u_char*>(community.data());
      session.community_len = community.size();
      break;
    case SnmpVersion::kV3: {
      session.version = SNMP_VERSION_3;
      session.flags |= SNMP_FLAGS_DONT_PROBE;  // no synchronous probe inside snmp_sess_open
      session.securityName = user.data();
      session.securityNameLen = user.size();
      session.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
      if (s.auth_protocol != AuthProtocol::kNone) {
        session.securityLevel = s.priv_protocol != PrivProtocol::kNone ? SNMP_SEC_LEVEL_AUTHPRIV
                                                                       : SNMP_SEC_LEVEL_AUTHNOPRIV;
        if (s.auth_protocol == AuthProtocol::kSha) {
          session.securityAuthProto =
              snmp_duplicate_objid(usmHMACSHA1AuthProtocol, USM_AUTH_PROTO_SHA_LEN);
          session.securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
        } else {
          session.securityAuthProto = snmp_duplicate_objid(
              usmHMAC192SHA256AuthProtocol, OID_LENGTH(usmHMAC192SHA256AuthProtocol));
          session.securityAuthProtoLen = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
        }
        auto auth_key =
            DeriveKey(s.auth_protocol, session.securityAuthProto, session.securityAuthProtoLen,
                      s.auth_passphrase, session.securityAuthKey, &session.securityAuthKeyLen);
        if (!auth_key) return std::unexpected(auth_key.error().context(target.name));
      }
      if (s.priv_protocol == PrivProtocol::kAes) {
        session.securityPrivProto =
            snmp_duplicate_objid(usmAESPrivProtocol, USM_PRIV_PROTO_AES_LEN);
        session.securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
        auto priv_key =
            DeriveKey(s.auth_protocol, session.securityAuthProto, session.securityAuthProtoLen,
                      s.priv_passphrase, session.securityPrivKey, &session.securityPrivKeyLen);
        if (!priv_key) return std::unexpected(priv_key.error().context(target.name));
      }
      break;
    }
  }
  void* handle = snmp_sess_open(&session);
  // snmp_sess_open copied what it needs; the protocol OIDs we duplicated are ours to free.
  free(session.securityAuthProto);
  free(session.securityPrivProto);
  if (!handle) {
    int lib_error = 0, sys_error = 0;
    char* text = nullptr;
    ::snmp_error(&session, &sys_error, &lib_error, &text);
    Error error(fmt::format("{}: cannot open SNMP session to {}: {}", target.name, peer,
                            text ? text : "unknown error"));
    free(text);
    return std::unexpected(error);
  }
  // snmp_sess_add_ex clears DONT_PROBE on the session it keeps, so that the first
  // snmp_sess_async_send would run snmpv3_engineID_probe: a synchronous exchange that blocks
  // the whole select() loop for timeout x (retries + 1) when the agent is down. Set it again:
  // SnmpClient discovers the engine itself, asynchronously (EngineProbe).
  snmp_sess_session(handle)->flags |= SNMP_FLAGS_DONT_PROBE;
  return SessionHandle(handle);
}

bool EngineKnown(void* handle) {
  const netsnmp_session* session = snmp_sess_session(handle);
  return session->version != SNMP_VERSION_3 || session->securityEngineIDLen > 0;
}

PduPtr EngineProbe() {
  // What usm_build_probe_pdu (not exported) builds: no user, no authentication, no varbinds.
  PduPtr pdu(snmp_pdu_create(SNMP_MSG_GET));
  pdu->version = SNMP_VERSION_3;
  pdu->securityName = strdup("");
  pdu->securityNameLen = 0;
  pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
  pdu->securityModel = SNMP_SEC_MODEL_USM;
  return pdu;
}

std::expected<void, Error> FinishEngineDiscovery(void* handle) {
  netsnmp_session* session = snmp_sess_session(handle);
  if (session->securityEngineIDLen == 0) {
    return std::unexpected(Error("the agent's discovery report carried no engine ID"));
  }
  // What the library's post-probe hook does: localise the user's keys for this engine.
  if (create_user_from_session(session) != SNMPERR_SUCCESS) {
    return std::unexpected(Error("cannot set up the SNMPv3 user for the agent's engine"));
  }
  return {};
}

namespace {

// A netsnmp_large_fd_set holding just `fd`: no FD_SETSIZE limit on socket numbers.
class OneFdSet {
 public:
  explicit OneFdSet(int fd) {
    netsnmp_large_fd_set_init(&set_, std::max(fd + 1, static_cast<int>(FD_SETSIZE)));
    NETSNMP_LARGE_FD_ZERO(&set_);
    if (fd >= 0) NETSNMP_LARGE_FD_SET(fd, &set_);
  }
  ~OneFdSet() { netsnmp_large_fd_set_cleanup(&set_); }
  OneFdSet(const OneFdSet&) = delete;
  OneFdSet& operator=(const OneFdSet&) = delete;
  netsnmp_large_fd_set* get() { return &set_; }

 private:
  netsnmp_large_fd_set set_;
};

}  // namespace

int SessionSocket(void* handle) {
  netsnmp_transport* transport = snmp_sess_transport(handle);
  return transport ? transport->sock : -1;
}

std::optional<std::chrono::microseconds> SessionTimeout(void* handle) {
  OneFdSet set(SessionSocket(handle));
  int fds = 0, block = 1;
  timeval timeout{0, 0};
  snmp_sess_select_info2(handle, &fds, set.get(), &timeout, &block);
  if (block) return std::nullopt;
  return std::chrono::seconds(timeout.tv_sec) + std::chrono::microseconds(timeout.tv_usec);
}

void SessionRead(void* handle) {
  OneFdSet set(SessionSocket(handle));
  snmp_sess_read2(handle, set.get());
}

void AddNullVarBind(netsnmp_pdu* pdu, const Oid& oid) {
  std::vector<::oid> parts(oid.parts().begin(), oid.parts().end());
  snmp_add_null_var(pdu, parts.data(), parts.size());
}

VarBind DecodeVarBind(const netsnmp_variable_list& var) {
  VarBind vb;
  vb.oid = Oid(std::vector<uint32_t>(var.name, var.name + var.name_length));
  SnmpValue& v = vb.value;
  switch (var.type) {
    case ASN_INTEGER:
      v.type = SnmpType::kInteger;
      if (var.val.integer) v.integer = *var.val.integer;
      break;
    case ASN_OCTET_STR:
    case ASN_OPAQUE:
      v.type = var.type == ASN_OCTET_STR ? SnmpType::kOctetString : SnmpType::kOpaque;
      if (var.val.string)
        v.bytes.assign(reinterpret_cast<const char*>(var.val.string), var.val_len);
      break;
    case ASN_IPADDRESS:
      v.type = SnmpType::kIpAddress;
      if (var.val.string)
        v.bytes.assign(reinterpret_cast<const char*>(var.val.string), var.val_len);
      break;
    case ASN_OBJECT_ID:
      v.type = SnmpType::kObjectId;
      if (var.val.objid) {
        v.object_id =
            Oid(std::vector<uint32_t>(var.val.objid, var.val.objid + var.val_len / sizeof(::oid)));
      }
      break;
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
      v.type = var.type == ASN_COUNTER ? SnmpType::kCounter32
               : var.type == ASN_GAUGE ? SnmpType::kGauge32
                                       : SnmpType::kTimeTicks;
      // Net-SNMP stores these in a long; only the low 32 bits are the value.
      if (var.val.integer) v.number = static_cast<uint32_t>(*var.val.integer);
      break;
    case ASN_COUNTER64:
      v.type = SnmpType::kCounter64;
      if (var.val.counter64) {
        v.number = (static_cast<uint64_t>(var.val.counter64->high) << 32) |
                   static_cast<uint32_t>(var.val.counter64->low);
      }
      break;
    case ASN_NULL:
      v.type = SnmpType::kNull;
      break;
    case SNMP_NOSUCHOBJECT:
      v.type = SnmpType::kNoSuchObject;
      break;
    case SNMP_NOSUCHINSTANCE:
      v.type = SnmpType::kNoSuchInstance;
      break;
    case SNMP_ENDOFMIBVIEW:
      v.type = SnmpType::kEndOfMibView;
      break;
    default:
      v.type = SnmpType::kOther;
      break;
  }
  return vb;
}

std::string SessionError(void* handle) {
  int lib_error = 0, sys_error = 0;
  char* text = nullptr;
  snmp_sess_error(handle, &sys_error, &lib_error, &text);
  std::string out = text ? text : "unknown error";
  free(text);
  return out;
}

}  // namespace netsnmp
}  // namespace lanwatch
