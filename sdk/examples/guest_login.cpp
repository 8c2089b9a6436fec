// Example (the seed's guest flow): register a guest, join a room, sync once.
// Run against the mock homeserver: build/bin/matrix-mockserver & build/bin/guest-login-example
#include <iostream>
#include <string>

#include "matrix/api.hpp"
#include "matrix/client.hpp"
#include "matrix/responses.hpp"

int main(int argc, char** argv) {
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::cout
            << "Usage: guest-login-example [BASE_URL] [ROOM]\n\n"
               "Registers a guest on BASE_URL (default http://127.0.0.1:8008), joins ROOM\n"
               "(default #lobby:localhost) and syncs once. Start build/bin/matrix-mockserver\n"
               "first to run it against the mock homeserver.\n";
        return 0;
    }
    const std::string base_url = argc > 1 ? argv[1] : "http://127.0.0.1:8008";
    const std::string room = argc > 2 ? argv[2] : "#lobby:localhost";
    namespace api = matrix::api;
    namespace responses = matrix::responses;
    try {
        matrix::HttpClient client;
        const auto guest = responses::Login::from_register(client.send(
            api::register_guest(base_url, {.initial_device_display_name = "guest example"})));
        std::cout << "registered guest " << guest.user_id << "\n";

        const auto joined = responses::RoomId::from(
            client.send(api::join_room(base_url, guest.access_token, room)));
        std::cout << "joined " << room << " as " << joined.room_id << "\n";

        const matrix::Response sync =
            client.send(api::sync(base_url, guest.access_token, {.timeout = 0}));
        if (!sync.ok()) throw matrix::MatrixApiError(*sync.matrix_error());
        // Typed /sync decoding is its own piece of work; here the body is only checked as JSON.
        std::cout << "synced: " << sync.json().text().size() << " bytes of JSON\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "guest-login-example: " << e.what() << "\n";
        return 1;
    }
}
