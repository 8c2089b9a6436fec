// Which spec operation a request is: from its method and its path, on every version prefix the
// operation's path has had. The mock homeserver's simulation routes by it, and anything that
// reports on a client's requests can name the operation each one was.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/request.hpp"

namespace matrix {

struct OperationMatch {
    const EndpointSpec* operation = nullptr;  // one of spec_operations()
    // The version segment the path had; nullopt for paths without one (/_matrix/client/versions,
    // /.well-known/matrix/client).
    std::optional<PathVersion> version;
    // The path parameters, decoded, in the template's order: {"roomId", "!a:b.c"}.
    std::vector<std::pair<std::string_view, std::string>> path_params;

    // The decoded value of path parameter `name`; nullptr when the template has none of that name.
    const std::string* path_param(std::string_view name) const noexcept;
};

// The operation `method` on the path made of `segments` (percent-decoded, split at '/', without
// the empty one before the leading '/': "/_matrix/client/v3/sync" is {"_matrix", "client", "v3",
// "sync"}) is, or nullopt when no operation has that method and path.
//
// A placeholder matches any non-empty segment, or an empty one where the parameter may be empty
// (stateKey). A last placeholder that may be empty may also be left out with its slash, as
// homeservers accept (`/state/m.room.name` is `/state/m.room.name/`). When several operations
// match, the one with more literal segments wins; between operations with the same method and
// path (getEvents and peekEvents, told apart by the query; inviteBy3PID and inviteUser, by the
// body), the first declared.
std::optional<OperationMatch> match_operation(std::string_view method,
                                              std::span<const std::string> segments);

// The same for a raw request path ("/_matrix/client/v3/rooms/%21a%3Ab.c/state"), decoded segment
// by segment; nullopt also for a path that does not start with '/' or holds a malformed escape.
std::optional<OperationMatch> match_operation(std::string_view method, std::string_view raw_path);

// Between two operations that share a method and path, the one the request is, from what
// match_operation() cannot see: peekEvents when the query has room_id (else getEvents);
// inviteUser when the JSON body has a user_id member (else inviteBy3PID). Any other operation
// is returned as it is.
const EndpointSpec& tell_apart(const EndpointSpec& matched, std::span<const QueryParam> query,
                               std::string_view body);

}  // namespace matrix
