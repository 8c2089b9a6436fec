// Fuzzes the mapping file loader: any file content loads or throws MappingFileError, and the
// stubs it accepts can be selected against a few typical requests without anything escaping.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/registry.hpp"
#include "matrix/mock/stub.hpp"

namespace {

using matrix::fuzz::check;
using matrix::mock::JournalEntry;

// The loader reads files, so each input is written to one in a private directory, which is
// also the base directory for bodyFileName (with one body file in it to be found).
struct Scratch {
    std::string dir;
    std::string mapping;

    Scratch() {
        std::string pattern = "/tmp/matrix-fuzz-mapping-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) matrix::fuzz::finding("mkdtemp failed");
        dir = pattern;
        mapping = dir + "/mapping.json";
        std::ofstream(dir + "/body.json") << R"({"from":"file"})";
    }
    ~Scratch() {
        std::remove(mapping.c_str());
        std::remove((dir + "/body.json").c_str());
        ::rmdir(dir.c_str());
    }
};

JournalEntry request(std::string method, std::string target, std::string body) {
    JournalEntry entry;
    entry.method = std::move(method);
    entry.target = std::move(target);
    entry.headers = {{"Authorization", "Bearer token"}, {"Content-Type", "application/json"}};
    entry.body = std::move(body);
    matrix::mock::split_target(entry);
    return entry;
}

const std::vector<JournalEntry>& typical_requests() {
    static const std::vector<JournalEntry> requests{
        request("GET", "/_matrix/client/v3/sync?since=s1&timeout=0&filter=%7B%7D", ""),
        request("POST", "/_matrix/client/v3/login",
                R"({"type":"m.login.password","identifier":{"user":"a"},"password":"p"})"),
        request("PUT", "/_matrix/client/r0/rooms/%21r%3Ab/send/m.room.message/1",
                R"({"body":"hi","msgtype":"m.text","n":[1,2.5,null]})"),
        request("GET", "/_matrix/client/versions?a=%zz&b+c=d+e", "not json"),
    };
    return requests;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Scratch scratch;
    {
        std::ofstream out(scratch.mapping, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        check(out.good(), "cannot write the scratch mapping file");
    }

    std::vector<matrix::mock::Stub> stubs;
    try {
        stubs = matrix::mock::load_mapping_file(scratch.mapping, scratch.dir);
    } catch (const matrix::mock::MappingFileError& error) {
        check(!std::string_view(error.what()).empty(), "MappingFileError without a message");
        return 0;
    }

    matrix::mock::StubRegistry registry;
    for (matrix::mock::Stub& stub : stubs) {
        check(!stub.responses.empty(), "a loaded stub has no response");
        registry.add(std::move(stub));
    }
    // Several rounds, so sequences, maxUses and use counts move.
    for (int round = 0; round < 3; ++round) {
        for (const JournalEntry& entry : typical_requests()) (void)registry.select(entry);
    }
    return 0;
}
