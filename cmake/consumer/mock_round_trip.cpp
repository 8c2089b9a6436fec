// Consumer check: an installed matrix::mockserver answers an installed matrix::client.
#include <iostream>

#include "matrix/api.hpp"
#include "matrix/client.hpp"
#include "matrix/mock/homeserver.hpp"

int main() {
    matrix::mock::MockHomeserver hs;
    hs.on("whoami").respond_json(200, R"({"user_id": "@consumer:localhost"})").times(1);
    matrix::HttpClient client;
    const matrix::Response response = client.send(matrix::api::whoami(hs.url(), "token"));
    hs.verify();
    std::cout << "whoami answered " << response.status << " " << response.body << "\n";
    return response.ok() ? 0 : 1;
}
