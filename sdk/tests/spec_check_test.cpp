// Checks every seed declaration against the Matrix spec's operations, read from the committed
// derived table, so a wrong method, path or missing token is caught without network access.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
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
    std::string deprecated;
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
                for (const char* needed :
                     {"operation_id", "method", "path", "requires_auth", "deprecated"}) {
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
                               fields[column["requires_auth"]], fields[column["deprecated"]]};
        }
        if (operations_.empty()) error_ = std::string("no operations in ") + path;
    }

    std::string error_;
    std::map<std::string, SpecOperation> operations_;
};

std::string path_at(std::string_view path_template, PathVersion version) {
    std::string path(path_template);
    const std::string placeholder = "{path_version}";
    if (const std::size_t at = path.find(placeholder); at != std::string::npos) {
        path.replace(at, placeholder.size(), to_string(version));
    }
    return path;
}

std::string v3_path(std::string_view path_template) {
    return path_at(path_template, PathVersion::v3);
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

// The declaration table is generated from the spec by sdk/spec/derive_operations.py; the
// spec table by derive_spec_table.py. A hand edit of either, or one regenerated without the
// other, shows here.
TEST(SpecOperations, DeclareEveryOperationOfTheSpecTableAndNoOther) {
    const SpecTable& table = SpecTable::get();
    ASSERT_EQ(table.error(), "");
    std::set<std::string> declared;
    for (const EndpointSpec& operation : spec_operations()) {
        declared.insert(std::string(operation.operation_id));
        EXPECT_NE(table.find(operation.operation_id), nullptr)
            << operation.operation_id << " is declared but not in the spec table";
    }
    for (const auto& [id, op] : table.operations()) {
        EXPECT_TRUE(declared.contains(id)) << id << " (" << op.path << ") is not declared";
    }
    EXPECT_EQ(spec_operations().size(), table.operations().size());
}

TEST(SpecOperations, AgreeWithTheSpecTableOnMethodPathAuthAndDeprecation) {
    const SpecTable& table = SpecTable::get();
    ASSERT_EQ(table.error(), "");
    for (const EndpointSpec& operation : spec_operations()) {
        const SpecOperation* op = table.find(operation.operation_id);
        if (op == nullptr) continue;  // reported above
        const std::string_view id = operation.operation_id;
        EXPECT_EQ(to_string(operation.method), op->method) << id;
        // The spec serves each operation at its newest version.
        EXPECT_EQ(path_at(operation.path_template, operation.versions.newest()), op->path) << id;
        EXPECT_EQ(to_string(operation.auth), op->requires_auth) << id;
        EXPECT_EQ(operation.deprecated ? "yes" : "no", op->deprecated) << id;
        EXPECT_EQ(has_bearer_token(operation), operation.auth != AuthRequirement::none) << id;
    }
}

TEST(SpecOperations, EverySeedFormIsAFormOfADeclaredOperationWithItsMethodAndPath) {
    for (const EndpointSpec& form : seed_endpoints()) {
        const EndpointSpec& operation = operation_of(form);
        ASSERT_NE(&operation, &form)
            << form.name << ": no declared operation " << form.operation_id;
        EXPECT_EQ(operation.method, form.method) << form.name;
        EXPECT_EQ(disagreement(v3_path(form.path_template), v3_path(operation.path_template)), "")
            << form.name << ": " << form.path_template << " against " << operation.path_template;
        // Tokens are the seed's own: it sends one to requestToken operations that take none.
    }
}

TEST(SpecOperations, AreFoundByOperationIdAndBySnakeCaseName) {
    const auto by_id = find_endpoint_forms("getPushRules");
    ASSERT_EQ(by_id.size(), 1U);
    EXPECT_EQ(by_id[0].name, "get_push_rules");
    const auto by_name = find_endpoint_forms("get_push_rules");
    ASSERT_EQ(by_name.size(), 1U);
    EXPECT_EQ(&by_name[0], &by_id[0]);
    EXPECT_EQ(find_endpoint_forms("invite_by_3pid").size(), 1U);
    // A seed name names the seed's forms first.
    EXPECT_TRUE(is_seed_form(find_endpoint_forms("sync")[0]));
    EXPECT_TRUE(find_endpoint_forms("getPushRulez").empty());
}

}  // namespace
}  // namespace matrix
