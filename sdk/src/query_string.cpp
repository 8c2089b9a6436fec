// The shared query-string parser (matrix/query_string.hpp).
#include "matrix/query_string.hpp"

#include <utility>

#include "matrix/percent_encoding.hpp"

namespace matrix {

ParsedQuery parse_query(std::string_view raw_query) {
    ParsedQuery parsed;
    std::string_view rest = raw_query;
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t equals = pair.find('=');
        const std::string_view name = pair.substr(0, equals);
        const std::string_view value =
            equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
        auto decoded_name = percent_decode(name, PlusMeans::space);
        auto decoded_value = percent_decode(value, PlusMeans::space);
        if (!decoded_name || !decoded_value) {
            if (!parsed.first_malformed) parsed.first_malformed = std::string(pair);
            continue;
        }
        parsed.params.push_back({std::move(*decoded_name), std::move(*decoded_value)});
    }
    return parsed;
}

}  // namespace matrix
