// How GoogleTest prints a journal entry: what a reader needs to tell requests apart.
#include <string_view>

#include "matrix/mock/testing.hpp"

namespace matrix::mock {

void PrintTo(const JournalEntry& entry, std::ostream* out) {
    constexpr std::size_t kBodyShown = 200;
    *out << '#' << entry.id << ' ' << entry.method << ' ' << entry.target << " -> " << entry.status
         << " (";
    *out << (entry.operation != nullptr ? entry.operation->operation_id : "no spec operation");
    switch (entry.answerer) {
        case Answerer::stub:
            *out << ", stub " << entry.matched_stub.value_or("?");
            break;
        case Answerer::simulation:
            *out << ", simulated";
            break;
        case Answerer::proxy:
            *out << ", proxied";
            break;
        case Answerer::none:
            *out << ", unmatched";
            break;
    }
    *out << ')';
    for (const Header& header : entry.headers)
        *out << "\n    " << header.name << ": " << header.value;
    const std::string_view body = entry.body.view();
    if (body.empty()) return;
    *out << "\n    body (" << body.size() << " bytes): " << body.substr(0, kBodyShown);
    if (body.size() > kBodyShown) *out << "...";
}

}  // namespace matrix::mock
