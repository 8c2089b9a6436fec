// matrix-sync-corpus: writes a seeded /sync corpus, or a mock-server mapping serving it.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "matrix/testing/sync_corpus.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: matrix-sync-corpus --size small|medium|large --seed N [--out FILE] [--mapping]\n"
    "\n"
    "Writes a deterministic, spec-shaped /sync response body (the same bytes for the same size\n"
    "and seed) to FILE, or to standard output.\n"
    "\n"
    "  --size NAME   small (~100 KB), medium (~5 MB, 500 joined rooms) or large (~50 MB)\n"
    "  --seed N      an unsigned 64-bit integer\n"
    "  --out FILE    write here instead of standard output\n"
    "  --mapping     write a mock-server mapping (WireMock JSON) answering GET\n"
    "                /_matrix/client/{r0,v3}/sync with the corpus, for matrix-mockserver\n"
    "  --help        show this text\n";

// Bad command lines: reported with the usage line and exit status 2.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Options {
    std::optional<matrix::sync::CorpusSize> size;
    std::optional<std::uint64_t> seed;
    std::string out;
    bool mapping = false;
    bool help = false;
};

std::uint64_t parse_seed(std::string_view text) {
    std::uint64_t seed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        throw UsageError("--seed: '" + std::string(text) +
                         "' is not an unsigned 64-bit decimal integer");
    }
    return seed;
}

Options parse_arguments(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        // Options that take a value accept both "--name value" and "--name=value".
        std::string_view name = argument;
        std::optional<std::string_view> value;
        if (const auto equals = argument.find('='); equals != std::string_view::npos) {
            name = argument.substr(0, equals);
            value = argument.substr(equals + 1);
        }
        const auto take_value = [&]() -> std::string_view {
            if (value) return *value;
            if (i + 1 >= argc) throw UsageError(std::string(name) + " needs a value");
            return argv[++i];
        };
        if (name == "--help" || name == "-h") {
            options.help = true;
        } else if (name == "--mapping") {
            options.mapping = true;
        } else if (name == "--size") {
            const std::string_view size = take_value();
            try {
                options.size = matrix::sync::parse_corpus_size(size);
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--size: ") + e.what());
            }
        } else if (name == "--seed") {
            options.seed = parse_seed(take_value());
        } else if (name == "--out") {
            options.out = std::string(take_value());
            if (options.out.empty()) throw UsageError("--out needs a file name");
        } else {
            throw UsageError("unknown argument '" + std::string(argument) + "'");
        }
    }
    if (!options.help) {
        if (!options.size) throw UsageError("--size is required");
        if (!options.seed) throw UsageError("--seed is required");
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse_arguments(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "matrix-sync-corpus: " << e.what() << "\n\n" << kUsage;
        return 2;
    }
    if (options.help) {
        std::cout << kUsage;
        return 0;
    }
    try {
        std::string text = matrix::sync::generate_sync_response(*options.size, *options.seed);
        if (options.mapping) text = matrix::sync::sync_stub_mapping(text);
        if (options.out.empty()) {
            std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
            std::cout.flush();
            if (!std::cout) throw std::runtime_error("cannot write to standard output");
        } else {
            std::ofstream file(options.out, std::ios::binary | std::ios::trunc);
            if (!file) throw std::runtime_error("cannot open '" + options.out + "' for writing");
            file.write(text.data(), static_cast<std::streamsize>(text.size()));
            file.close();
            if (!file) throw std::runtime_error("cannot write '" + options.out + "'");
        }
    } catch (const std::exception& e) {
        std::cerr << "matrix-sync-corpus: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
