// Text from outside lanwatch (SNMP agents' OCTET STRINGs, files) made into valid UTF-8, the only
// encoding lanwatch writes: metrics, JSON, tables, logs, emails.
//
// Chinese-localised devices (Huawei VRP, H3C Comware) send sysName, ifAlias, ifDescr and
// storage names in GBK; others send UTF-8, or Latin letters and garbage. Decoding happens
// once, where agent bytes become text (SnmpValue::AsText); ToValidUtf8 is the last line of
// defence at output boundaries.
//
// Thread-safe: GB18030 decoding uses one glibc iconv descriptor per thread, opened on first
// use and closed when the thread ends.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace lanwatch {

// An agent's OCTET STRING as UTF-8 text:
//   kAuto     valid UTF-8 is kept; so is UTF-8 cut short inside its last character (agents
//             truncate long aliases at a byte count), the cut replaced by U+FFFD; anything
//             else is read as GB18030 (a superset of GBK and GB2312).
//   kUtf8     read as UTF-8; each invalid sequence becomes U+FFFD.
//   kGb18030  read as GB18030, always.
// Bytes that are not valid in the chosen encoding become U+FFFD. Control characters (C0, DEL,
// C1; agents NUL-pad strings) are dropped and trailing spaces trimmed. Never invalid UTF-8.
std::string DecodeAgentText(std::string_view bytes, TextEncoding encoding);

// `text` with each invalid UTF-8 sequence replaced by U+FFFD (one per maximal invalid part,
// as the Unicode standard recommends); everything else, control characters included, as is.
std::string ToValidUtf8(std::string_view text);

// How many leading bytes of `text` are valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); text.size() when all of it is.
size_t ValidUtf8Prefix(std::string_view text);
inline bool IsValidUtf8(std::string_view text) { return ValidUtf8Prefix(text) == text.size(); }

// Columns `text` (valid UTF-8) takes in a terminal: 2 for East Asian wide and fullwidth
// characters (汉字, ＡＢＣ), 0 for combining marks, 1 otherwise.
size_t DisplayWidth(std::string_view text);

// "auto", "utf-8", "gb18030"; ParseTextEncoding also takes "gbk" (read as GB18030) and
// ignores case.
std::string_view ToString(TextEncoding encoding);
std::optional<TextEncoding> ParseTextEncoding(std::string_view name);

}  // namespace lanwatch
