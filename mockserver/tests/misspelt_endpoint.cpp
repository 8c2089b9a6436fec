// Built by the ctest test mock_misspelt_endpoint_does_not_compile, which passes only when the
// compiler refuses the misspelt constant: endpoints are checked at compile time.
#include "matrix/endpoints.hpp"

constexpr matrix::EndpointName kRight = matrix::endpoints::whoami;
constexpr matrix::EndpointName kWrong = matrix::endpoints::whoamii;

int main() { return kRight.name.size() == kWrong.name.size() ? 0 : 1; }
