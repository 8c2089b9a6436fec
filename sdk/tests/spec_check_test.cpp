// Checks every seed declaration against the Matrix spec's operations, read from the committed
// derived table, so a wrong method, path or missing token is caught without network access.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/endpoint.hpp"

#ifndef MATRIX_SPEC_TABLE
#error "MATRIX_SPEC_TABLE must name sdk/spec/client_server_operations.tsv"
#endif

namespace matrix {
namespace {

struct SpecOperation {
    std::string method;
    std::string path;
    std::string requires_auth;
};

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.emplace_back(text.substr(start, end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

// The table by operation_id; the first non-comment line names the columns.
class SpecTable {
  public:
    static const SpecTable& get() {
        static const SpecTable table(MATRIX_SPEC_TABLE);
        return table;
    }

    const std::string& error() const { return error_; }
    const std::map<std::string, SpecOperation>& operations() const { return operations_; }

    const SpecOperation* find(std::string_view operation_id) const {
        const auto it = operations_.find(std::string(operation_id));
        return it == operations_.end() ? nullptr : &it->second;
    }

  private:
    explicit SpecTable(const char* path) {
        std::ifstream in(path);
        if (!in) {
            error_ = std::string("cannot open ") + path;
            return;
        }
        std::map<std::string, std::size_t> column;
        std::string line;
        int line_number = 0;
        while (std::getline(in, line)) {
            ++line_number;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty() || line.front() == '#') continue;
            const std::vector<std::string> fields = split(line, '\t');
            if (column.empty()) {
                for (std::size_t i = 0; i < fields.size(); ++i) column[fields[i]] = i;
                for (const char* needed : {"operation_id", "method", "path", "requires_auth"}) {
                    if (!column.contains(needed)) {
                        error_ = std::string("header row lacks column ") + needed;
                        return;
                    }
                }
                continue;
            }
            if (fields.size() != column.size()) {
                error_ = "line " + std::to_string(line_number) + " has " +
                         std::to_string(fields.size()) + " fields, header has " +
                         std::to_string(column.size());
                return;
            }
            const std::string& id = fields[column["operation_id"]];
            if (operations_.contains(id)) {
                error_ = "operation_id " + id + " appears twice";
                return;
            }
            operations_[id] = {fields[column["method"]], fields[column["path"]],
                               fields[column["requires_auth"]]};
        }
        if (operations_.empty()) error_ = std::string("no operations in ") + path;
    }

    std::string error_;
    std::map<std::string, SpecOperation> operations_;
};

std::string v3_path(std::string_view path_template) {
    std::string path(path_template);
    const std::string placeholder = "{version}";
    if (const std::size_t at = path.find(placeholder); at != std::string::npos) {
        path.replace(at, placeholder.size(), "v3");
    }
    return path;
}

bool is_placeholder(std::string_view segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Empty when our path agrees with the spec's, else why not. Parameter names differ (ours are the
// seed's, the spec's camelCase); a fixed value of ours where the spec has a parameter agrees too.
std::string disagreement(std::string_view ours, std::string_view spec) {
    const std::vector<std::string> a = split(ours, '/');
    const std::vector<std::string> b = split(spec, '/');
    if (a.size() != b.size()) {
        return std::to_string(a.size()) + " segments against the spec's " +
               std::to_string(b.size());
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (is_placeholder(b[i])) {
            if (a[i].empty()) return "segment " + std::to_string(i) + " is empty";
            continue;
        }
        if (is_placeholder(a[i])) {
            return "segment " + std::to_string(i) + " is a parameter where the spec has '" + b[i] +
                   "'";
        }
        if (a[i] != b[i]) {
            return "segment " + std::to_string(i) + " is '" + a[i] + "', the spec's is '" + b[i] +
                   "'";
        }
    }
    return {};
}

bool has_bearer_token(const EndpointSpec& spec) {
    for (const ParamSpec& param : spec.params) {
        if (param.location == ParamLocation::bearer_token) return true;
    }
    return false;
}

TEST(SpecTable, LoadsTheCommittedTable) {
    const SpecTable& table = SpecTable::get();
    EXPECT_EQ(table.error(), "");
    EXPECT_GT(table.operations().size(), 60U);
}

TEST(PathComparison, AcceptsOurLiteralWhereTheSpecHasAParameter) {
    EXPECT_EQ(disagreement("/p/{user_id}/displayname", "/p/{userId}/{keyName}"), "");
}

TEST(PathComparison, RefusesOurParameterWhereTheSpecHasALiteral) {
    EXPECT_NE(disagreement("/p/{user_id}/{key}", "/p/{userId}/displayname"), "");
}

TEST(PathComparison, RefusesDifferentLiteralsAndDifferentLengths) {
    EXPECT_NE(disagreement("/rooms/{room_id}/kick", "/rooms/{roomId}/ban"), "");
    EXPECT_NE(disagreement("/rooms/{room_id}", "/rooms/{roomId}/state"), "");
    EXPECT_NE(disagreement("/_matrix/client/r0/sync", "/_matrix/client/v3/sync"), "");
}

TEST(SpecCheck, EverySeedFormNamesAnOperationOfTheSpec) {
    const SpecTable& table = SpecTable::get();
    ASSERT_EQ(table.error(), "");
    for (const EndpointSpec& spec : seed_endpoints()) {
        EXPECT_NE(table.find(spec.operation_id), nullptr)
            << spec.name << ": no operation " << spec.operation_id << " in the spec table";
        if (!spec.operation_id_with_suffix.empty()) {
            EXPECT_NE(table.find(spec.operation_id_with_suffix), nullptr)
                << spec.name << ": no operation " << spec.operation_id_with_suffix;
        }
    }
}

TEST(SpecCheck, EverySeedFormUsesTheSpecsMethod) {
    const SpecTable& table = SpecTable::get();
    ASSERT_EQ(table.error(), "");
    for (const EndpointSpec& spec : seed_endpoints()) {
        const SpecOperation* op = table.find(spec.operation_id);
        if (op == nullptr) continue;  // reported above
        EXPECT_EQ(to_string(spec.method), op->method)
            << spec.name << " (" << spec.operation_id << ") path " << v3_path(spec.path_template);
    }
}

TEST(SpecCheck, EverySeedFormsV3PathAgreesWithTheSpecsPath) {
    const SpecTable& table = SpecTable::get();
    ASSERT_EQ(table.error(), "");
    for (const EndpointSpec& spec : seed_endpoints()) {
        const SpecOperation* op = table.find(spec.operation_id);
        if (op == nullptr) continue;
        const std::string ours = v3_path(spec.path_template);
        EXPECT_EQ(disagreement(ours, op->path), "")
            << spec.name << ": our path " << ours << ", the spec's " << op->path << " ("
            << spec.operation_id << ")";
    }
}

TEST(SpecCheck, ThePathSuffixAddsExactlyOneParameterSegment) {
    const SpecTable& table = SpecTable::get();
    ASSERT_EQ(table.error(), "");
    int checked = 0;
    for (const EndpointSpec& spec : seed_endpoints()) {
        if (spec.operation_id_with_suffix.empty()) continue;
        ++checked;
        const SpecOperation* op = table.find(spec.operation_id_with_suffix);
        if (op == nullptr) continue;
        const std::string ours = v3_path(spec.path_template) + "/{suffix}";
        const std::vector<std::string> segments = split(op->path, '/');
        EXPECT_TRUE(is_placeholder(segments.back()))
            << spec.name << ": the spec's " << op->path << " does not end in a parameter";
        EXPECT_EQ(disagreement(ours, op->path), "")
            << spec.name << ": our path plus suffix " << ours << ", the spec's " << op->path << " ("
            << spec.operation_id_with_suffix << ")";
        bool declares_suffix = false;
        for (const ParamSpec& param : spec.params) {
            declares_suffix = declares_suffix || param.location == ParamLocation::path_suffix;
        }
        EXPECT_TRUE(declares_suffix) << spec.name << " names a suffix operation but no suffix";
    }
    EXPECT_GE(checked, 1) << "download's filename suffix should be checked";
}

TEST(SpecCheck, EveryFormWithAPathSuffixNamesTheSuffixOperation) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        for (const ParamSpec& param : spec.params) {
            if (param.location != ParamLocation::path_suffix) continue;
            EXPECT_FALSE(spec.operation_id_with_suffix.empty()) << spec.name;
        }
    }
}

TEST(SpecCheck, EveryOperationRequiringAuthHasABearerToken) {
    const SpecTable& table = SpecTable::get();
    ASSERT_EQ(table.error(), "");
    for (const EndpointSpec& spec : seed_endpoints()) {
        const SpecOperation* op = table.find(spec.operation_id);
        if (op == nullptr || op->requires_auth != "yes") continue;
        EXPECT_TRUE(has_bearer_token(spec))
            << spec.name << " (" << spec.operation_id << ", " << v3_path(spec.path_template)
            << ") requires auth in the spec but declares no token";
    }
}

}  // namespace
}  // namespace matrix
