// validate_response(): a 2xx body against the schema the spec gives the operation for it, so a
// server under test (the simulation) is held to the same schemas as the clients it answers.
#include "json_text_dom.hpp"
#include "matrix/spec_validation.hpp"
#include "validation/schema_check.hpp"
#include "validation/schema_set.hpp"

namespace matrix {

std::vector<SpecViolation> validate_response(const EndpointSpec& operation, int status,
                                             std::string_view body) {
    std::vector<SpecViolation> out;
    const validation::OperationRules* rules = validation::SchemaSet::spec().rules(operation);
    if (rules == nullptr) return out;
    const auto response = rules->responses.find(status);
    if (response == rules->responses.end()) return out;
    rapidjson::Document document;
    if (const std::string error = detail::parse_text_dom(body, document); !error.empty()) {
        out.push_back({"response", "not_json", "the response body is not JSON: " + error});
        return out;
    }
    std::string where = "response";
    validation::check_value(*response->second, document, where, out);
    return out;
}

}  // namespace matrix
