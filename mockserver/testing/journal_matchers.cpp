// GoogleTest matchers for journal entries: a header, a JSON body, a spec operation.
#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/error.hpp"
#include "matrix/json_difference.hpp"
#include "matrix/mock/testing.hpp"

namespace matrix::mock {
namespace {

using ::testing::MatchResultListener;

bool same_name(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

class HeaderMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
  public:
    HeaderMatcher(std::string name, std::optional<::testing::Matcher<const std::string&>> value)
        : name_(std::move(name)), value_(std::move(value)) {}

    bool MatchAndExplain(const JournalEntry& entry, MatchResultListener* listener) const override {
        bool found = false;
        for (const Header& header : entry.headers) {
            if (!same_name(header.name, name_)) continue;
            found = true;
            if (!value_ || value_->Matches(header.value)) return true;
            *listener << "whose " << header.name << " is \"" << header.value << "\"";
        }
        if (!found) *listener << "which has no " << name_ << " header";
        return false;
    }
    void DescribeTo(std::ostream* out) const override {
        *out << "has a " << name_ << " header";
        if (value_) {
            *out << " that ";
            value_->DescribeTo(out);
        }
    }
    void DescribeNegationTo(std::ostream* out) const override {
        *out << "has no " << name_ << " header";
        if (value_) {
            *out << " that ";
            value_->DescribeTo(out);
        }
    }

  private:
    std::string name_;
    std::optional<::testing::Matcher<const std::string&>> value_;
};

// The body as JSON, or why it is not.
std::optional<Json> json_body(const JournalEntry& entry, MatchResultListener* listener) {
    try {
        return Json::parse(entry.body.view(), "body");
    } catch (const InvalidArgument& error) {
        *listener << "whose body is not JSON (" << error.what() << ")";
        return std::nullopt;
    }
}

class JsonSubsetMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
  public:
    explicit JsonSubsetMatcher(Json subset) : subset_(std::move(subset)) {}

    bool MatchAndExplain(const JournalEntry& entry, MatchResultListener* listener) const override {
        const std::optional<Json> body = json_body(entry, listener);
        if (!body) return false;
        const auto difference = first_difference(subset_, *body, {.ignore_extra_members = true});
        if (difference) *listener << "whose body differs " << to_string(*difference);
        return !difference;
    }
    void DescribeTo(std::ostream* out) const override {
        *out << "has a JSON body holding " << subset_.text();
    }
    void DescribeNegationTo(std::ostream* out) const override {
        *out << "has no JSON body holding " << subset_.text();
    }

  private:
    Json subset_;
};

class JsonBodyMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
  public:
    explicit JsonBodyMatcher(::testing::Matcher<const Json&> body) : body_(std::move(body)) {}

    bool MatchAndExplain(const JournalEntry& entry, MatchResultListener* listener) const override {
        const std::optional<Json> body = json_body(entry, listener);
        if (!body) return false;
        *listener << "whose body is " << body->text();
        return body_.Matches(*body);
    }
    void DescribeTo(std::ostream* out) const override {
        *out << "has a JSON body that ";
        body_.DescribeTo(out);
    }
    void DescribeNegationTo(std::ostream* out) const override {
        *out << "has no JSON body that ";
        body_.DescribeTo(out);
    }

  private:
    ::testing::Matcher<const Json&> body_;
};

class OperationMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
  public:
    explicit OperationMatcher(std::string_view name) : name_(name) {
        for (const EndpointSpec& form : find_endpoint_forms(name)) {
            const std::string_view id = operation_of(form).operation_id;
            if (std::ranges::find(operation_ids_, id) == operation_ids_.end())
                operation_ids_.emplace_back(id);
        }
        if (operation_ids_.empty()) {
            throw std::invalid_argument("IsOperation(\"" + name_ +
                                        "\"): not an operationId, nor an SDK endpoint name");
        }
    }

    bool MatchAndExplain(const JournalEntry& entry, MatchResultListener* listener) const override {
        if (entry.operation == nullptr) {
            *listener << "which is no spec operation";
            return false;
        }
        const std::string_view id = entry.operation->operation_id;
        if (std::ranges::find(operation_ids_, id) != operation_ids_.end()) return true;
        *listener << "which is " << id;
        return false;
    }
    void DescribeTo(std::ostream* out) const override { *out << "is " << listed(); }
    void DescribeNegationTo(std::ostream* out) const override { *out << "is not " << listed(); }

  private:
    std::string listed() const {
        std::string out;
        for (const std::string& id : operation_ids_) out += (out.empty() ? "" : " or ") + id;
        return out + (operation_ids_.size() == 1 && operation_ids_.front() == name_
                          ? ""
                          : " (" + name_ + ")");
    }

    std::string name_;
    std::vector<std::string> operation_ids_;
};

}  // namespace

::testing::Matcher<const JournalEntry&> HasHeader(std::string name) {
    return ::testing::MakeMatcher(new HeaderMatcher(std::move(name), std::nullopt));
}

::testing::Matcher<const JournalEntry&> HasHeader(std::string name,
                                                  ::testing::Matcher<const std::string&> value) {
    return ::testing::MakeMatcher(new HeaderMatcher(std::move(name), std::move(value)));
}

::testing::Matcher<const JournalEntry&> HasJsonBody(Json subset) {
    return ::testing::MakeMatcher(new JsonSubsetMatcher(std::move(subset)));
}

::testing::Matcher<const JournalEntry&> HasJsonBody(::testing::Matcher<const Json&> body) {
    return ::testing::MakeMatcher(new JsonBodyMatcher(std::move(body)));
}

::testing::Matcher<const JournalEntry&> IsOperation(EndpointName endpoint) {
    return IsOperation(endpoint.name);
}

::testing::Matcher<const JournalEntry&> IsOperation(std::string_view name) {
    return ::testing::MakeMatcher(new OperationMatcher(name));
}

}  // namespace matrix::mock
