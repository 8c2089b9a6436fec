// Replays a fuzz target's corpus as an ordinary test: each file argument (or every file in a
// directory argument) goes through LLVMFuzzerTestOneInput once, as libFuzzer would pass it.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "fuzz_support.hpp"

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& argument) {
    std::vector<std::filesystem::path> found;
    if (std::filesystem::is_directory(argument)) {
        for (const auto& entry : std::filesystem::directory_iterator(argument)) {
            if (entry.is_regular_file()) found.push_back(entry.path());
        }
        // Sorted, so a failure names the same file on every run.
        std::sort(found.begin(), found.end());
    } else {
        found.push_back(argument);
    }
    return found;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: %s CORPUS_DIR_OR_FILE...\n"
                     "Runs every input through the fuzz target once; a finding aborts.\n",
                     argv[0]);
        return 2;
    }
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path argument = argv[i];
        if (!std::filesystem::exists(argument)) {
            std::fprintf(stderr, "%s: %s does not exist\n", argv[0], argv[i]);
            return 2;
        }
        for (const auto& path : inputs_of(argument)) {
            std::ifstream in(path, std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "%s: cannot read %s\n", argv[0], path.c_str());
                return 2;
            }
            const std::string bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
            // Printed first, so a crash's output ends with the culprit's name.
            std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
            ++replayed;
        }
    }
    // An empty corpus would pass without testing anything: treat it as a setup mistake.
    if (replayed == 0) {
        std::fprintf(stderr, "%s: no inputs found\n", argv[0]);
        return 2;
    }
    std::printf("replayed %zu inputs\n", replayed);
    return 0;
}
