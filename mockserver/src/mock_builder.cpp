// Building a typed mock: the stub is completed in the builder and added to the registry in one
// step at mount(), so a concurrent client sees either no stub or the whole one.
#include "matrix/mock/mock_builder.hpp"

#include <stdexcept>
#include <utility>

#include "matrix/error.hpp"
#include "matrix/mock/homeserver.hpp"
#include "stub_json.hpp"

namespace matrix::mock {

bool Expectation::holds(std::size_t uses) const noexcept {
    return uses >= min && (!max || uses <= *max);
}

std::string Expectation::describe() const {
    const auto requests = [](std::size_t n) {
        return std::to_string(n) + (n == 1 ? " request" : " requests");
    };
    if (max && *max == 0) return "no request";
    if (max && *max == min) return "exactly " + requests(min);
    if (!max) return "at least " + requests(min);
    if (min == 0) return "at most " + requests(*max);
    return "between " + std::to_string(min) + " and " + requests(*max);
}

Expectation at_least(std::size_t n) { return {n, std::nullopt}; }
Expectation at_most(std::size_t n) { return {0, n}; }
Expectation exactly(std::size_t n) { return {n, n}; }
Expectation never() { return {0, 0}; }

Expectation between(std::size_t low, std::size_t high) {
    if (low > high) {
        throw std::invalid_argument("between(" + std::to_string(low) + ", " + std::to_string(high) +
                                    "): the low bound is above the high one");
    }
    return {low, high};
}

MockBuilder::MockBuilder(MockHomeserver& server, RequestPattern pattern, std::string label)
    : server_(&server), label_(std::move(label)) {
    stub_.request = std::move(pattern);
    stub_.responses = {ResponseDefinition::json_body(200, Json::object({}))};
    stub_.source = "api";
}

MockBuilder& MockBuilder::with_query(std::string_view name, ValueMatcher matcher) {
    stub_.request.with_query(name, std::move(matcher));
    return *this;
}

MockBuilder& MockBuilder::with_header(std::string_view name, ValueMatcher matcher) {
    stub_.request.with_header(name, std::move(matcher));
    return *this;
}

MockBuilder& MockBuilder::with_body(BodyPattern pattern) {
    stub_.request.with_body(std::move(pattern));
    return *this;
}

MockBuilder& MockBuilder::respond(ResponseDefinition response) {
    stub_.responses = {std::move(response)};
    responded_ = true;
    return *this;
}

MockBuilder& MockBuilder::ok(const Json& body) {
    return respond(ResponseDefinition::json_body(200, body));
}

MockBuilder& MockBuilder::ok(std::string_view json_text) {
    return ok(Json::parse(json_text, "json_text"));
}

MockBuilder& MockBuilder::error(std::string_view errcode, std::string_view error) {
    return respond(ResponseDefinition::matrix_error(errcode, error));
}

MockBuilder& MockBuilder::then(ResponseDefinition response) {
    // The default 200 {} is a placeholder, not the first of a sequence.
    if (!responded_) return respond(std::move(response));
    stub_.responses.push_back(std::move(response));
    return *this;
}

MockBuilder& MockBuilder::then_ok(const Json& body) {
    return then(ResponseDefinition::json_body(200, body));
}

MockBuilder& MockBuilder::then_error(std::string_view errcode, std::string_view error) {
    return then(ResponseDefinition::matrix_error(errcode, error));
}

MockBuilder& MockBuilder::priority(int priority) {
    stub_.priority = priority;
    return *this;
}

MockBuilder& MockBuilder::max_uses(std::size_t n) {
    if (n == 0) throw InvalidArgument("max_uses", "must be at least 1 (never() expects no use)");
    stub_.max_uses = n;
    return *this;
}

MockBuilder& MockBuilder::named(std::string name) {
    stub_.name = std::move(name);
    return *this;
}

MockBuilder& MockBuilder::expect(Expectation expectation) {
    expectation_ = expectation;
    return *this;
}

Stub MockBuilder::completed() const {
    Stub stub = stub_;
    stub.id = new_stub_id();
    stub.source_json = mapping_json(stub).text();
    return stub;
}

MockGuard MockBuilder::mount(std::source_location at) const {
    Stub stub = completed();
    RequestPattern pattern = stub.request;
    const std::string id = server_->stubs().add(std::move(stub));
    return MockGuard(*server_, id, label_, std::move(pattern), expectation_, at);
}

std::string MockBuilder::mount_as_persistent() const {
    Stub stub = completed();
    if (expectation_) {
        if (!expectation_->max || *expectation_->max != expectation_->min) {
            throw std::logic_error(label_ + ": expecting " + expectation_->describe() +
                                   " needs the guard of mount(); a persistent mock can expect "
                                   "exactly(n), which MockHomeserver::verify() checks");
        }
        stub.expected_uses = expectation_->min;
    }
    return server_->stubs().add(std::move(stub));
}

}  // namespace matrix::mock
