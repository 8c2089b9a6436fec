// Breaking a client's connection on purpose, for stubs with a "fault".
#pragma once

#include <string>

#include "matrix/mock/stub.hpp"

namespace matrix::mock {

// Applies `fault` to the server-side socket connected to remote_address:remote_port on
// local_port: CONNECTION_RESET aborts it with a TCP RST, EMPTY_RESPONSE closes it with no byte
// sent. The HTTP layer keeps a harmless unconnected socket in its place, so its own write and
// close fail quietly. Returns false when the socket cannot be found.
bool apply_connection_fault(Fault fault, const std::string& remote_address, int remote_port,
                            int local_port);

// Ends the connection to remote_address:remote_port on local_port once an answer has been
// written: the client reads the answer, then end of stream, and nothing it sent afterwards is
// taken for a next request. For requests whose framing cannot be trusted. Returns false when
// the socket cannot be found.
bool end_connection_after_response(const std::string& remote_address, int remote_port,
                                   int local_port);

}  // namespace matrix::mock
