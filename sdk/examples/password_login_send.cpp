// Example: log in with a password and send a text message to a room.
// Run against the mock homeserver: build/bin/matrix-mockserver & build/bin/password-login-example
#include <chrono>
#include <iostream>
#include <string>

#include "matrix/api.hpp"
#include "matrix/auth.hpp"
#include "matrix/client.hpp"
#include "matrix/events.hpp"
#include "matrix/responses.hpp"

int main(int argc, char** argv) {
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::cout << "Usage: password-login-example [BASE_URL] [USER] [PASSWORD] [ROOM_ID]\n\n"
                     "Logs in on BASE_URL (default http://127.0.0.1:8008) as USER (default alice)\n"
                     "and sends a text message to ROOM_ID (default !lobby:localhost), retrying\n"
                     "if rate-limited. Start build/bin/matrix-mockserver first to run it against\n"
                     "the mock homeserver.\n";
        return 0;
    }
    const std::string base_url = argc > 1 ? argv[1] : "http://127.0.0.1:8008";
    const std::string user = argc > 2 ? argv[2] : "alice";
    const std::string password = argc > 3 ? argv[3] : "secret";
    const std::string room_id = argc > 4 ? argv[4] : "!lobby:localhost";
    namespace api = matrix::api;
    namespace responses = matrix::responses;
    try {
        matrix::ClientOptions options;
        options.retry.enabled = true;  // a 429 is waited out, a retried send keeps its txn id
        matrix::HttpClient client(options);

        const auto login = responses::Login::from(
            client.send(api::login(base_url, matrix::Auth::login_user(user, password),
                                   {.initial_device_display_name = "password example"})));
        std::cout << "logged in as " << login.user_id << " on device " << login.device_id << "\n";

        // A transaction id unique to this send; a retry re-sends it unchanged.
        const std::string txn =
            "example-" +
            std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
        const auto message = matrix::RoomEvent::message(
            room_id, matrix::MessageType::text, "Hello from matrix-conformance", txn,
            {.formatted_body = "Hello from <b>matrix-conformance</b>"});
        const auto sent = responses::EventId::from(
            client.send(api::send_room_event(base_url, login.access_token, message)));
        std::cout << "sent " << sent.event_id << " to " << room_id << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "password-login-example: " << e.what() << "\n";
        return 1;
    }
}
