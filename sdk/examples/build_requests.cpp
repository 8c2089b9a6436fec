// Example: build a few requests with the typed API and print them as they would go on the wire.
#include <iostream>

#include "matrix/api.hpp"
#include "matrix/auth.hpp"
#include "matrix/events.hpp"

int main() {
    namespace api = matrix::api;
    const auto login = api::login("https://matrix.org", matrix::Auth::login_user("moss", "hunter2"),
                                  {.initial_device_display_name = "example"});
    const auto event = matrix::RoomEvent::message("!room:matrix.org", matrix::MessageType::text,
                                                  "Hello, world", "txn-1");
    const auto send = api::send_room_event("https://matrix.org", "token", event);
    const auto messages = api::room_messages("https://matrix.org", "token", "!room:matrix.org",
                                             "t1-2", "b", {.limit = 20});
    for (const matrix::Request& request : {login, send, messages}) {
        const matrix::WireRequest wire = matrix::render(request);
        std::cout << wire.method << " " << request.base_url << wire.target << "\n";
        for (const matrix::Header& header : wire.headers) {
            std::cout << "  " << header.name << ": " << header.value << "\n";
        }
        if (!wire.body.empty()) std::cout << "  " << wire.body << "\n";
    }
}
