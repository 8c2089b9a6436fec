// Builds journal entries for matching tests the way the server records requests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/mock/journal.hpp"
#include "matrix/percent_encoding.hpp"
#include "matrix/request.hpp"

namespace matrix::mock::testing_support {

// Splits `target` itself rather than calling split_target(), so these tests pin down what the
// matchers expect of an entry independently of the journal's code.
inline JournalEntry entry(std::string method, std::string target, std::vector<Header> headers = {},
                          std::string body = {}) {
    JournalEntry e;
    e.method = std::move(method);
    e.target = std::move(target);
    const std::size_t question = e.target.find('?');
    e.raw_path = e.target.substr(0, question);
    e.raw_query = question == std::string::npos ? "" : e.target.substr(question + 1);
    std::string_view rest = e.raw_query;
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? "" : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t equals = pair.find('=');
        const auto name = percent_decode(pair.substr(0, equals), PlusMeans::space);
        const auto value = percent_decode(
            equals == std::string_view::npos ? "" : pair.substr(equals + 1), PlusMeans::space);
        if (!name || !value) {
            e.query_decodes = false;
            e.query.clear();
            break;
        }
        e.query.push_back({*name, *value});
    }
    e.headers = std::move(headers);
    e.body = std::move(body);
    return e;
}

}  // namespace matrix::mock::testing_support
