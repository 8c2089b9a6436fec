// Conformance vectors as loaded from files in the matrix-conformance-vectors/1 format.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/request.hpp"

namespace matrix::conformance {

inline constexpr std::string_view kVectorFormat = "matrix-conformance-vectors/1";

enum class ExpectedBody { none, json, raw };

// What one vector says must be on the wire.
struct ExpectedRequest {
    std::string method;
    std::string path;
    std::vector<QueryParam> query;  // decoded values
    std::vector<Header> headers;
    ExpectedBody body_kind = ExpectedBody::none;
    std::string body;  // compact JSON text or the raw bytes
};

// What an expect_error vector asks of the builder: a refusal (matrix::InvalidArgument), and
// when `argument` is given, a refusal of that argument (InvalidArgument::argument()).
struct ExpectedRefusal {
    std::string reason;  // informational, shown in reports; may be empty
    std::optional<std::string> argument;
};

struct Vector {
    std::string file;
    std::size_t index = 0;  // position in the file's "vectors" array
    std::string id;
    std::string endpoint;
    std::string args_json;  // the "args" object, compact JSON
    // "version": the path version to build with; absent, the endpoint's default (BuildOptions).
    std::optional<PathVersion> version;
    std::optional<ExpectedRequest> expect;
    std::optional<ExpectedRefusal> expect_error;  // the builder must refuse
};

// A file or vector that is not in the format. It makes the run fail; it is never skipped.
struct VectorProblem {
    std::string file;
    std::string vector_id;  // empty when the problem is with the file itself
    std::string reason;
};

struct VectorFile {
    std::string path;
    std::vector<Vector> vectors;
    std::vector<VectorProblem> problems;
};

// Loads and validates a vector file: structure, field types, unique ids, known endpoints and
// arguments that fit one of the endpoint's forms. Never throws for bad input; every problem
// found is listed with the file, the vector id and the reason.
VectorFile load_vector_file(const std::string& path);

// The same, from text already in memory; `path` only names it in problems.
VectorFile parse_vector_file(const std::string& path, std::string_view text);

}  // namespace matrix::conformance
