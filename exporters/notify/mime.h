// The pieces of an Internet message that need care: base64 (RFC 2045), encoded-words for
// non-ASCII header text (RFC 2047), header folding, mailboxes and msg-ids (RFC 5322). Every
// function returns 7-bit ASCII with CRLF line ends, whatever UTF-8 it is given. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lanwatch::mime {

std::string Base64(std::string_view bytes);
// Base64 in lines of at most 76 characters, each ending in CRLF: a body part.
std::string Base64Lines(std::string_view bytes);

// `text` cut into pieces of at most `max_bytes` bytes, each ending on a UTF-8 character
// boundary (a character longer than max_bytes is a piece of its own).
std::vector<std::string_view> SplitUtf8(std::string_view text, size_t max_bytes);

// One header field of unstructured text (Subject, or an X- field), "Name: value\r\n".
// Printable ASCII stays readable, folded at spaces; anything else becomes UTF-8 base64
// encoded-words of at most 75 characters each, one per line, no UTF-8 sequence split across
// two words, no line longer than 76 characters.
std::string UnstructuredHeader(std::string_view name, std::string_view utf8);

struct Mailbox {
  std::string display_name;  // UTF-8; may be empty
  std::string address;       // local@domain
};
// "Name <a@b>", "\"Name\" <a@b>", "<a@b>" or "a@b"; nullopt without an address.
std::optional<Mailbox> ParseMailbox(std::string_view text);
// A mailbox for a header: the name quoted or encoded as it needs, then <address>.
std::string FormatMailbox(const Mailbox& m);
// An address header (From, To) of one or more mailboxes, folded between them.
std::string AddressHeader(std::string_view name, const std::vector<Mailbox>& mailboxes);

// "b.example" of "a@b.example"; "" when there is no domain.
std::string AddressDomain(std::string_view address);
// `id` as the left part of a msg-id (RFC 5322 dot-atom-text): other characters become '-'.
std::string MsgIdLocalPart(std::string_view id);
// "<LOCAL@DOMAIN>".
std::string MsgId(std::string_view id, std::string_view domain);
// A header of msg-ids (In-Reply-To, References), one per line after the first.
std::string MsgIdHeader(std::string_view name, const std::vector<std::string>& msg_ids);

}  // namespace lanwatch::mime
