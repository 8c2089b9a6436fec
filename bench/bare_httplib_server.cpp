// The baseline for bench/mockserver_load.sh: a bare cpp-httplib server answering one fixed JSON
// document, with no journal and no matching.
#include <httplib.h>

#include <charconv>
#include <cstring>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::cout << "Usage: bare-httplib-server PORT [--defaults]\n\n"
                     "Serves GET /_matrix/client/versions from a bare cpp-httplib server, the\n"
                     "baseline bench/mockserver_load.sh measures matrix-mockserver against.\n"
                     "By default it is tuned as matrix-mockserver is (TCP_NODELAY, unlimited\n"
                     "keep-alive, 256 worker threads); --defaults keeps cpp-httplib's defaults.\n";
        return argc < 2 ? 2 : 0;
    }
    int port = 0;
    const std::string_view text = argv[1];
    if (std::from_chars(text.data(), text.data() + text.size(), port).ec != std::errc() ||
        port <= 0 || port > 65535) {
        std::cerr << "bare-httplib-server: PORT must be 1-65535, got '" << text << "'\n";
        return 2;
    }
    const bool defaults = argc > 2 && std::strcmp(argv[2], "--defaults") == 0;
    httplib::Server server;
    if (!defaults) {
        server.new_task_queue = [] { return new httplib::ThreadPool(256); };
        server.set_tcp_nodelay(true);
        server.set_keep_alive_max_count(100'000'000);
    }
    // The same document as fixtures/mappings/versions.json, so both servers send equal bytes.
    const std::string body =
        R"({"versions":["r0.5.0","r0.6.0","r0.6.1","v1.1","v1.2","v1.3","v1.4","v1.5","v1.6","v1.7","v1.8","v1.9","v1.10","v1.11"],"unstable_features":{}})";
    server.Get("/_matrix/client/versions",
               [&body](const httplib::Request&, httplib::Response& res) {
                   res.set_content(body, "application/json");
               });
    std::cout << "listening on http://127.0.0.1:" << port << std::endl;
    if (!server.listen("127.0.0.1", port)) {
        std::cerr << "bare-httplib-server: cannot listen on port " << port << "\n";
        return 1;
    }
}
