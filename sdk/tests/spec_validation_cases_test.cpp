// Every operation's spec-example request passes validation, and each request that breaks one
// rule of it (sdk/spec/derive_validation_cases.py) is flagged with exactly that violation.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "matrix/spec_validation.hpp"

namespace {

struct ExpectedViolation {
    std::string where;
    std::string rule;
};

struct Case {
    std::string name;
    std::string method;
    std::string target;
    std::vector<matrix::Header> headers;
    std::string body;
    std::vector<ExpectedViolation> expect;
};

struct OperationCases {
    std::string operation;
    std::vector<Case> cases;
};

// Test names and failure lines show the operation, not the struct's bytes.
void PrintTo(const OperationCases& cases, std::ostream* out) { *out << cases.operation; }

std::string text(const rapidjson::Value& value) {
    return {value.GetString(), value.GetStringLength()};
}

std::vector<OperationCases> load_cases() {
    std::ifstream file(MATRIX_VALIDATION_CASES);
    std::stringstream content;
    content << file.rdbuf();
    rapidjson::Document document;
    document.Parse(content.str().c_str());
    if (document.HasParseError() || !document.IsObject())
        throw std::runtime_error(std::string("cannot read ") + MATRIX_VALIDATION_CASES);
    std::vector<OperationCases> out;
    for (const auto& operation : document["operations"].GetArray()) {
        OperationCases cases{text(operation["operation"]), {}};
        for (const auto& item : operation["cases"].GetArray()) {
            Case c{text(item["name"]), text(item["method"]), text(item["target"]), {}, {}, {}};
            for (const auto& header : item["headers"].GetArray())
                c.headers.push_back({text(header[0]), text(header[1])});
            if (item.HasMember("body")) c.body = text(item["body"]);
            for (const auto& violation : item["expect"].GetArray())
                c.expect.push_back({text(violation["where"]), text(violation["rule"])});
            cases.cases.push_back(std::move(c));
        }
        out.push_back(std::move(cases));
    }
    return out;
}

std::string describe(const std::vector<matrix::SpecViolation>& violations) {
    std::string out;
    for (const auto& v : violations) out += "\n  " + v.where + " [" + v.rule + "] " + v.message;
    return out.empty() ? " none" : out;
}

class SpecValidationCases : public testing::TestWithParam<OperationCases> {};

TEST_P(SpecValidationCases, ExampleConformsAndEachBrokenRuleIsFlagged) {
    for (const Case& c : GetParam().cases) {
        SCOPED_TRACE(c.name + ": " + c.method + " " + c.target);
        const matrix::SpecVerdict verdict =
            matrix::validate_request({c.method, c.target, c.headers, c.body});
        ASSERT_NE(verdict.operation, nullptr);
        EXPECT_EQ(verdict.operation->operation_id, GetParam().operation);
        std::vector<std::pair<std::string, std::string>> found;
        for (const auto& v : verdict.violations) found.emplace_back(v.where, v.rule);
        std::vector<std::pair<std::string, std::string>> expected;
        for (const auto& v : c.expect) expected.emplace_back(v.where, v.rule);
        EXPECT_EQ(found, expected) << "violations found:" << describe(verdict.violations);
    }
}

INSTANTIATE_TEST_SUITE_P(EveryOperation, SpecValidationCases, testing::ValuesIn(load_cases()),
                         [](const testing::TestParamInfo<OperationCases>& param) {
                             return param.param.operation;
                         });

}  // namespace
