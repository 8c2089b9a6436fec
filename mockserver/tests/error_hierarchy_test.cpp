// matrix::Error is the one base of every exception the libraries throw: `catch (const
// matrix::Error&)` catches each type, while the standard base each had before (and
// std::exception) still catches it too.
#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "matrix/client.hpp"
#include "matrix/error.hpp"
#include "matrix/mock/conformance_report.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/journal_lines.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/mock/seed_file.hpp"
#include "matrix/mock/stub.hpp"
#include "matrix/named_builder.hpp"
#include "matrix/sync.hpp"

namespace {

// Throws `error` and checks that each of the three catch clauses a user may write catches it
// with the same message: matrix::Error, the type's standard base, std::exception.
template <class Standard, class Thrown>
void expect_caught_as_error_and_as(const Thrown& error) {
    static_assert(std::is_base_of_v<matrix::Error, Thrown>);
    static_assert(std::is_base_of_v<Standard, Thrown>);
    const std::string message = error.what();
    EXPECT_FALSE(message.empty());
    try {
        throw error;
    } catch (const matrix::Error& e) {
        EXPECT_EQ(e.what(), message);
    } catch (...) {
        ADD_FAILURE() << "not caught as matrix::Error: " << message;
    }
    try {
        throw error;
    } catch (const Standard& e) {
        EXPECT_EQ(e.what(), message);
    } catch (...) {
        ADD_FAILURE() << "not caught as its standard base: " << message;
    }
    try {
        throw error;
    } catch (const std::exception& e) {
        EXPECT_EQ(e.what(), message);
    } catch (...) {
        ADD_FAILURE() << "not caught as std::exception: " << message;
    }
}

TEST(ErrorHierarchy, BuilderRefusalsAreErrorsAndStillInvalidArguments) {
    expect_caught_as_error_and_as<std::invalid_argument>(
        matrix::InvalidArgument("room_id", "must not be empty"));
    expect_caught_as_error_and_as<std::invalid_argument>(
        matrix::ArgumentSchemaError("unknown argument 'x'"));
    expect_caught_as_error_and_as<std::invalid_argument>(
        matrix::UnknownEndpoint("unknown endpoint 'room_kik'"));
}

TEST(ErrorHierarchy, ClientAndSyncErrorsAreErrorsAndStillRuntimeErrors) {
    expect_caught_as_error_and_as<std::runtime_error>(
        matrix::TransportError(matrix::TransportErrorKind::timeout, "no response in 5 s"));
    expect_caught_as_error_and_as<std::runtime_error>(matrix::ResponseError("not JSON"));
    matrix::MatrixError forbidden;
    forbidden.status = 403;
    forbidden.errcode = "M_FORBIDDEN";
    forbidden.error = "not in the room";
    expect_caught_as_error_and_as<std::runtime_error>(matrix::MatrixApiError(forbidden));
    expect_caught_as_error_and_as<std::runtime_error>(
        matrix::sync::SyncDecodeError("$.next_batch", "expected a string"));
}

TEST(ErrorHierarchy, MockServerErrorsAreErrorsAndKeepTheirStandardBase) {
    expect_caught_as_error_and_as<std::invalid_argument>(
        matrix::mock::MappingError("request.method", "must be a string"));
    expect_caught_as_error_and_as<std::runtime_error>(
        matrix::mock::MappingFileError("stubs.json", std::size_t{2}, "request", "missing"));
    expect_caught_as_error_and_as<std::runtime_error>(
        matrix::mock::JournalLineError("journal.jsonl", 3, "not JSON"));
    expect_caught_as_error_and_as<std::runtime_error>(matrix::mock::StartError("port 80 is taken"));
    expect_caught_as_error_and_as<std::runtime_error>(
        matrix::mock::VerificationError("stub 'x' expected 1 use, got 0"));
    expect_caught_as_error_and_as<std::runtime_error>(
        matrix::mock::SeedError("members[0]", "no user @bob:localhost"));
    expect_caught_as_error_and_as<std::runtime_error>(
        matrix::mock::SeedFileError("seed.json: rooms[1]: not an object"));
}

// What `action` throws, caught by the one base; "nothing thrown" when it returns.
template <class Action>
std::string caught_as_error(Action action) {
    try {
        action();
    } catch (const matrix::Error& e) {
        return e.what();
    }
    return "nothing thrown";
}

// The errors as the libraries really throw them, caught by the one base.
TEST(ErrorHierarchy, OneCatchClauseCatchesWhatTheLibrariesThrow) {
    const std::string unknown_endpoint =
        caught_as_error([] { (void)matrix::build_by_name("room_kik", "{}"); });
    EXPECT_NE(unknown_endpoint.find("room_kik"), std::string::npos) << unknown_endpoint;

    const std::string bad_sync =
        caught_as_error([] { (void)matrix::sync::decode(R"({"next_batch": 5})"); });
    EXPECT_NE(bad_sync.find("next_batch"), std::string::npos) << bad_sync;

    const std::string bad_mapping =
        caught_as_error([] { (void)matrix::mock::parse_mapping(R"({"request": 1})", "."); });
    EXPECT_NE(bad_mapping.find("request"), std::string::npos) << bad_mapping;

    const std::string bad_journal = caught_as_error([] {
        matrix::mock::ConformanceReport report;
        std::istringstream journal("{not json\n");
        matrix::mock::add_journal_lines(report, journal, "journal.jsonl");
    });
    EXPECT_NE(bad_journal.find("journal.jsonl:1"), std::string::npos) << bad_journal;
}

}  // namespace
