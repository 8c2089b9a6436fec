// XML text and attribute escaping, shared by the two JUnit writers (the conformance runner's and
// the spec conformance report's), so hostile names and messages are escaped one way.
#pragma once

#include <string>
#include <string_view>

namespace matrix::mock {

// `text` as XML 1.0 character data or a double- or single-quoted attribute value: the five
// predefined entities for & < > " ', each control character XML 1.0 forbids even as a
// reference (all below U+0020 but tab and line feed; carriage return too, which parsers would
// turn into a line feed) as '?', and bytes of malformed UTF-8 as U+FFFD, so the document stays
// well-formed whatever a client sent.
std::string xml_escape(std::string_view text);

}  // namespace matrix::mock
