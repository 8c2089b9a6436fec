// Reading journal lines (--journal-out's JSON Lines) into report observations.
#include "matrix/mock/journal_lines.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>
#include <utility>

namespace matrix::mock {
namespace {

std::string_view type_name(const rapidjson::Value& value) {
    switch (value.GetType()) {
        case rapidjson::kNullType:
            return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType:
            return "a boolean";
        case rapidjson::kObjectType:
            return "an object";
        case rapidjson::kArrayType:
            return "an array";
        case rapidjson::kStringType:
            return "a string";
        case rapidjson::kNumberType:
            return "a number";
    }
    return "?";
}

[[noreturn]] void fail(const std::string& problem) { throw JournalLineError(problem); }

const rapidjson::Value& member(const rapidjson::Value& object, const char* name,
                               std::string_view context = {}) {
    const auto found = object.FindMember(name);
    if (found == object.MemberEnd()) fail(std::string(context) + "missing \"" + name + "\"");
    return found->value;
}

std::string string_member(const rapidjson::Value& object, const char* name,
                          std::string_view context = {}) {
    const rapidjson::Value& value = member(object, name, context);
    if (!value.IsString()) {
        fail(std::string(context) + "\"" + name + "\" must be a string, got " +
             std::string(type_name(value)));
    }
    return {value.GetString(), value.GetStringLength()};
}

std::vector<SpecViolation> violations_of(const rapidjson::Value& object) {
    const rapidjson::Value& array = member(object, "violations");
    if (!array.IsArray()) {
        fail("\"violations\" must be an array, got " + std::string(type_name(array)));
    }
    std::vector<SpecViolation> violations;
    violations.reserve(array.Size());
    for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
        const std::string context = "\"violations\"[" + std::to_string(i) + "]";
        const rapidjson::Value& item = array[i];
        if (!item.IsObject()) {
            fail(context + " must be an object, got " + std::string(type_name(item)));
        }
        const std::string in = context + ": ";
        SpecViolation violation;
        violation.where = string_member(item, "where", in);
        violation.rule = string_member(item, "rule", in);
        violation.message = string_member(item, "message", in);
        violations.push_back(std::move(violation));
    }
    return violations;
}

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

ReportObservation observation_from_journal_line(std::string_view line) {
    rapidjson::Document document;
    // Iterative, so a hostile line of deep nesting cannot exhaust the stack; encoding checked,
    // so every string read is UTF-8.
    constexpr unsigned kFlags =
        rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
    document.Parse<kFlags>(line.data(), line.size());
    if (document.HasParseError()) {
        fail("not JSON: " + std::string(rapidjson::GetParseError_En(document.GetParseError())) +
             " (at byte " + std::to_string(document.GetErrorOffset()) + ")");
    }
    if (!document.IsObject()) {
        fail("not a JSON object but " + std::string(type_name(document)));
    }

    ReportObservation observation;
    const rapidjson::Value& id = member(document, "id");
    if (!id.IsUint64()) {
        fail("\"id\" must be a non-negative integer, got " +
             (id.IsNumber() ? std::string("another number") : std::string(type_name(id))));
    }
    observation.entry_id = id.GetUint64();
    observation.method = string_member(document, "method");
    observation.path = string_member(document, "path");

    const auto operation = document.FindMember("operation");
    if (operation == document.MemberEnd()) {
        fail("missing \"operation\" (a journal written before requests were identified?)");
    }
    if (operation->value.IsString()) {
        observation.operation_id =
            std::string(operation->value.GetString(), operation->value.GetStringLength());
    } else if (!operation->value.IsNull()) {
        fail("\"operation\" must be a string or null, got " +
             std::string(type_name(operation->value)));
    }

    observation.violations = violations_of(document);

    if (const auto canonical = document.FindMember("path_canonical");
        canonical != document.MemberEnd()) {
        if (!canonical->value.IsBool()) {
            fail("\"path_canonical\" must be a boolean, got " +
                 std::string(type_name(canonical->value)));
        }
        observation.path_canonical = canonical->value.GetBool();
    }
    // Optional, as in journals from before; an absent or odd one counts as no answer.
    if (const auto status = document.FindMember("status");
        status != document.MemberEnd() && status->value.IsInt()) {
        observation.status = status->value.GetInt();
    }
    return observation;
}

std::size_t add_journal_lines(ConformanceReport& report, std::istream& in,
                              const std::string& source) {
    std::size_t added = 0;
    std::size_t number = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++number;
        if (is_blank(line)) continue;
        if (line.back() == '\r') line.pop_back();
        try {
            report.add(observation_from_journal_line(line));
        } catch (const JournalLineError& e) {
            throw JournalLineError(source, number, e.problem());
        }
        ++added;
    }
    if (in.bad()) throw JournalLineError(source, number + 1, "cannot read the line");
    return added;
}

}  // namespace matrix::mock
