// Consistency of the endpoint declaration table that every builder is driven by.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/endpoint.hpp"

namespace matrix {
namespace {

// The `{name}` placeholders of a path template, in order, `{path_version}` included.
std::vector<std::string_view> placeholders(std::string_view tmpl) {
    std::vector<std::string_view> names;
    std::size_t pos = 0;
    while ((pos = tmpl.find('{', pos)) != std::string_view::npos) {
        const std::size_t close = tmpl.find('}', pos);
        if (close == std::string_view::npos) {
            ADD_FAILURE() << "unclosed '{' in " << tmpl;
            break;
        }
        names.push_back(tmpl.substr(pos + 1, close - pos - 1));
        pos = close + 1;
    }
    return names;
}

std::string label(const EndpointSpec& spec) {
    std::string text(spec.name);
    if (!spec.form.empty()) text += " (" + std::string(spec.form) + ")";
    return text;
}

bool is_body(ParamLocation location) {
    return location == ParamLocation::body_field || location == ParamLocation::body_merge ||
           location == ParamLocation::body_whole || location == ParamLocation::body_raw;
}

TEST(Declarations, HaveExactlySixtyFormsUnderFiftySevenNames) {
    EXPECT_EQ(seed_endpoints().size(), 60U);
    std::set<std::string_view> names;
    for (const EndpointSpec& spec : seed_endpoints()) names.insert(spec.name);
    EXPECT_EQ(names.size(), 57U);
}

TEST(Declarations, KeepTheFormsOfOneNameAdjacent) {
    std::set<std::string_view> finished;
    std::string_view previous;
    for (const EndpointSpec& spec : seed_endpoints()) {
        if (spec.name != previous) {
            EXPECT_FALSE(finished.contains(spec.name)) << spec.name << " appears in two places";
            if (!previous.empty()) finished.insert(previous);
            previous = spec.name;
        }
    }
}

TEST(Declarations, GiveOverloadsDistinctNonEmptyFormsAndOthersNone) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        const auto forms = find_endpoint_forms(spec.name);
        ASSERT_FALSE(forms.empty()) << spec.name;
        if (forms.size() == 1) {
            EXPECT_EQ(spec.form, "") << label(spec) << " has no overload, so needs no form";
            continue;
        }
        EXPECT_FALSE(spec.form.empty()) << spec.name << " has overloads but an empty form";
        std::set<std::string_view> seen;
        for (const EndpointSpec& other : forms) {
            EXPECT_TRUE(seen.insert(other.form).second)
                << spec.name << " declares form '" << other.form << "' twice";
        }
    }
}

TEST(Declarations, DeclareTheThreeSeedOverloads) {
    EXPECT_EQ(find_endpoint_forms("login").size(), 2U);
    EXPECT_EQ(find_endpoint_forms("public_rooms").size(), 2U);
    EXPECT_EQ(find_endpoint_forms("room_visibility").size(), 2U);
    EXPECT_EQ(find_endpoint_forms("room_kick").size(), 1U);
    EXPECT_TRUE(find_endpoint_forms("no_such_endpoint").empty());
}

TEST(Declarations, NamePathParametersInEveryTemplatePlaceholder) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        for (const std::string_view name : placeholders(spec.path_template)) {
            if (name == "path_version") continue;
            bool declared_as_path = false;
            for (const ParamSpec& param : spec.params) {
                declared_as_path = declared_as_path ||
                                   (param.name == name && param.location == ParamLocation::path);
            }
            EXPECT_TRUE(declared_as_path) << label(spec) << ": {" << name << "} in "
                                          << spec.path_template << " is not a path parameter";
        }
    }
}

TEST(Declarations, PutEveryPathParameterInTheTemplateExactlyOnce) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        const std::vector<std::string_view> names = placeholders(spec.path_template);
        for (const ParamSpec& param : spec.params) {
            if (param.location != ParamLocation::path) continue;
            EXPECT_EQ(std::count(names.begin(), names.end(), param.name), 1)
                << label(spec) << ": path parameter " << param.name << " in " << spec.path_template;
        }
    }
}

TEST(Declarations, DeclarePathParametersAsRequiredStrings) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        for (const ParamSpec& param : spec.params) {
            if (param.location != ParamLocation::path &&
                param.location != ParamLocation::path_suffix) {
                continue;
            }
            EXPECT_EQ(param.type, ParamType::string) << label(spec) << ": " << param.name;
            if (param.location == ParamLocation::path) {
                EXPECT_TRUE(param.required) << label(spec) << ": " << param.name;
            }
        }
    }
}

TEST(Declarations, AllowEmptyPathValuesOnlyForStateKeys) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        for (const ParamSpec& param : spec.params) {
            if (param.location != ParamLocation::path) continue;
            const bool is_state_key = param.name.ends_with("state_key");
            EXPECT_EQ(param.allow_empty, is_state_key) << label(spec) << ": " << param.name;
        }
    }
}

TEST(Declarations, UseUniqueBodyKeysWithinAnEndpoint) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        std::set<std::string_view> keys;
        for (const ParamSpec& param : spec.params) {
            if (param.location != ParamLocation::body_field) continue;
            EXPECT_TRUE(keys.insert(param.key()).second)
                << label(spec) << ": body key " << param.key() << " declared twice";
        }
    }
}

TEST(Declarations, UseUniqueQueryKeysAndParameterNamesWithinAnEndpoint) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        std::set<std::string_view> query_keys;
        std::set<std::string_view> names;
        for (const ParamSpec& param : spec.params) {
            EXPECT_TRUE(names.insert(param.name).second) << label(spec) << ": " << param.name;
            if (param.location != ParamLocation::query) continue;
            EXPECT_TRUE(query_keys.insert(param.key()).second)
                << label(spec) << ": " << param.key();
        }
        if (!spec.fixed_query_name.empty()) {
            EXPECT_FALSE(query_keys.contains(spec.fixed_query_name)) << label(spec);
        }
    }
}

TEST(Declarations, GiveGetAndDeleteEndpointsNoBodyParameters) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        if (spec.method != Method::get && spec.method != Method::del) continue;
        for (const ParamSpec& param : spec.params) {
            EXPECT_FALSE(is_body(param.location))
                << label(spec) << " is a " << to_string(spec.method) << " but declares body "
                << "parameter " << param.name;
        }
    }
}

TEST(Declarations, GiveAWholeOrRawBodyNoOtherBodyParameters) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        int whole = 0;
        int others = 0;
        for (const ParamSpec& param : spec.params) {
            if (param.location == ParamLocation::body_whole ||
                param.location == ParamLocation::body_raw) {
                ++whole;
            } else if (is_body(param.location)) {
                ++others;
            }
        }
        EXPECT_LE(whole, 1) << label(spec);
        if (whole == 1) {
            EXPECT_EQ(others, 0) << label(spec);
        }
    }
}

TEST(Declarations, StartWithARequiredBaseUrlAndAtMostOneToken) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        ASSERT_FALSE(spec.params.empty()) << label(spec);
        EXPECT_EQ(spec.params[0].location, ParamLocation::base_url) << label(spec);
        EXPECT_TRUE(spec.params[0].required) << label(spec);
        int tokens = 0;
        for (const ParamSpec& param : spec.params) {
            if (param.location == ParamLocation::bearer_token) {
                ++tokens;
                EXPECT_TRUE(param.required) << label(spec);
            }
        }
        EXPECT_LE(tokens, 1) << label(spec);
    }
}

TEST(Declarations, GiveEveryFormAnOperationIdAndAnAbsolutePath) {
    for (const EndpointSpec& spec : seed_endpoints()) {
        EXPECT_FALSE(spec.operation_id.empty()) << label(spec);
        EXPECT_TRUE(spec.path_template.starts_with("/")) << label(spec);
    }
}

TEST(Declarations, TypeStructMembersAsTheirStructAllows) {
    // The by-name builder takes a struct argument as one object; all its members must be there.
    std::map<std::string, int> members_per_struct;
    for (const EndpointSpec& spec : seed_endpoints()) {
        for (const ParamSpec& param : spec.params) {
            const std::size_t dot = param.name.find('.');
            if (dot == std::string_view::npos) continue;
            EXPECT_TRUE(param.required) << label(spec) << ": " << param.name;
            ++members_per_struct[std::string(spec.name) + ":" +
                                 std::string(param.name.substr(0, dot))];
        }
    }
    EXPECT_EQ(members_per_struct["send_room_event:room_event"], 4);
    EXPECT_EQ(members_per_struct["send_state_event:state_event"], 4);
}

TEST(ParamTypeNames, AreDistinctAndNonEmpty) {
    // They appear in error messages, where two types with one name would mislead.
    std::set<std::string_view> names;
    for (const ParamType type : {ParamType::string, ParamType::integer, ParamType::boolean,
                                 ParamType::json_object, ParamType::json_array, ParamType::bytes}) {
        EXPECT_FALSE(to_string(type).empty());
        EXPECT_TRUE(names.insert(to_string(type)).second) << to_string(type);
    }
    EXPECT_EQ(to_string(ParamType::integer), "integer");
}

}  // namespace
}  // namespace matrix
