// Stable pseudonyms for Matrix ids in recorded exchanges (--record): the same real user, room or
// event id becomes the same pseudonym in every file of a session, so a recorded flow still
// chains when it is replayed.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "matrix/json.hpp"

namespace matrix::mock {

// Not thread-safe: the recorder calls it under its own lock.
class Pseudonyms {
  public:
    // `text` with every id in it replaced: "@alice:hs.org" -> "@user-1:hs.org",
    // "!Abc:hs.org" -> "!room-1:hs.org", "$Xyz:hs.org" -> "$event-1:hs.org", and an event id
    // without a server name ("$" and 16 or more id characters) -> "$event-1". The server name
    // is kept: it is not a person's, and clients check that ids have one.
    std::string in_text(std::string_view text);
    // Every object key and string value of `json` (of any depth), as in_text() rewrites them.
    Json in_json(const Json& json);

    std::size_t size() const noexcept { return by_real_.size(); }

  private:
    std::string pseudonym_for(char sigil, std::string_view id, std::string_view server);

    std::map<std::string, std::string, std::less<>> by_real_;
    std::size_t users_ = 0;
    std::size_t rooms_ = 0;
    std::size_t events_ = 0;
};

}  // namespace matrix::mock
