// match_operation(): each operation's path template split once into segments, then compared with
// the request's decoded segments.
#include "matrix/operation_match.hpp"

#include <algorithm>
#include <vector>

#include "json_text_dom.hpp"
#include "matrix/percent_encoding.hpp"

namespace matrix {
namespace {

struct TemplateSegment {
    enum class Kind { literal, version, param };
    Kind kind = Kind::literal;
    std::string_view text;  // the literal, or the parameter's name
    bool may_be_empty = false;
};

struct SplitTemplate {
    const EndpointSpec* operation;
    std::vector<TemplateSegment> segments;
    std::size_t literals = 0;
};

std::vector<SplitTemplate> split_templates() {
    std::vector<SplitTemplate> all;
    for (const EndpointSpec& operation : spec_operations()) {
        SplitTemplate split{&operation, {}, 0};
        std::string_view rest = operation.path_template.substr(1);
        while (true) {
            const std::size_t slash = rest.find('/');
            const std::string_view text = rest.substr(0, slash);
            TemplateSegment segment;
            if (text == "{path_version}") {
                segment.kind = TemplateSegment::Kind::version;
            } else if (text.size() > 2 && text.front() == '{' && text.back() == '}') {
                segment.kind = TemplateSegment::Kind::param;
                segment.text = text.substr(1, text.size() - 2);
                const auto param =
                    std::ranges::find(operation.params, segment.text, &ParamSpec::name);
                segment.may_be_empty = param != operation.params.end() && param->allow_empty;
            } else {
                segment.text = text;
                ++split.literals;
            }
            split.segments.push_back(segment);
            if (slash == std::string_view::npos) break;
            rest.remove_prefix(slash + 1);
        }
        all.push_back(std::move(split));
    }
    return all;
}

const std::vector<SplitTemplate>& templates() {
    static const std::vector<SplitTemplate> all = split_templates();
    return all;
}

// Whether `split` matches `segments`, without copying anything: the scan tries every template
// of the method, and most fail at a literal after a parameter (/rooms/{roomId}/<literal>).
// A last parameter that may be empty may be missing altogether.
bool matches(const SplitTemplate& split, std::span<const std::string> segments) {
    const std::size_t expected = split.segments.size();
    const bool last_left_out = segments.size() + 1 == expected &&
                               split.segments.back().kind == TemplateSegment::Kind::param &&
                               split.segments.back().may_be_empty;
    if (segments.size() != expected && !last_left_out) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const TemplateSegment& segment = split.segments[i];
        const std::string& actual = segments[i];
        switch (segment.kind) {
            case TemplateSegment::Kind::literal:
                if (actual != segment.text) return false;
                break;
            case TemplateSegment::Kind::version: {
                const auto version = path_version_from_string(actual);
                if (!version || !split.operation->versions.has(*version)) return false;
                break;
            }
            case TemplateSegment::Kind::param:
                if (actual.empty() && !segment.may_be_empty) return false;
                break;
        }
    }
    return true;
}

// The match for a template that matches(): its version and decoded parameters.
OperationMatch match_of(const SplitTemplate& split, std::span<const std::string> segments) {
    OperationMatch match;
    match.operation = split.operation;
    for (std::size_t i = 0; i < split.segments.size(); ++i) {
        const TemplateSegment& segment = split.segments[i];
        if (segment.kind == TemplateSegment::Kind::version) {
            match.version = path_version_from_string(segments[i]);
        } else if (segment.kind == TemplateSegment::Kind::param) {
            // Past the end: the left-out last parameter, empty.
            match.path_params.emplace_back(segment.text,
                                           i < segments.size() ? segments[i] : std::string());
        }
    }
    return match;
}

std::optional<Method> method_named(std::string_view name) {
    for (const Method method : {Method::get, Method::post, Method::put, Method::del}) {
        if (to_string(method) == name) return method;
    }
    return std::nullopt;
}

}  // namespace

const std::string* OperationMatch::path_param(std::string_view name) const noexcept {
    for (const auto& [param, value] : path_params) {
        if (param == name) return &value;
    }
    return nullptr;
}

std::optional<OperationMatch> match_operation(std::string_view method,
                                              std::span<const std::string> segments) {
    const std::optional<Method> wanted = method_named(method);
    if (!wanted) return std::nullopt;
    const SplitTemplate* best = nullptr;
    for (const SplitTemplate& split : templates()) {
        if (split.operation->method != *wanted) continue;
        if (best != nullptr && split.literals <= best->literals) continue;
        if (matches(split, segments)) best = &split;
    }
    if (best == nullptr) return std::nullopt;
    return match_of(*best, segments);
}

std::optional<OperationMatch> match_operation(std::string_view method, std::string_view raw_path) {
    if (!raw_path.starts_with('/')) return std::nullopt;
    std::vector<std::string> segments;
    std::string_view rest = raw_path.substr(1);
    while (true) {
        const std::size_t slash = rest.find('/');
        auto decoded = percent_decode(rest.substr(0, slash), PlusMeans::plus);
        if (!decoded) return std::nullopt;
        segments.push_back(std::move(*decoded));
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return match_operation(method, segments);
}

const EndpointSpec& tell_apart(const EndpointSpec& matched, std::span<const QueryParam> query,
                               std::string_view body) {
    const auto other = [&](std::string_view operation_id) -> const EndpointSpec& {
        const EndpointSpec* found = find_operation(operation_id);
        return found != nullptr ? *found : matched;
    };
    if (matched.operation_id == "getEvents") {
        const bool peeking = std::any_of(query.begin(), query.end(),
                                         [](const QueryParam& p) { return p.name == "room_id"; });
        return peeking ? other("peekEvents") : matched;
    }
    if (matched.operation_id == "inviteBy3PID") {
        rapidjson::Document document;
        const bool by_user_id = detail::parse_text_dom(body, document).empty() &&
                                document.IsObject() && document.HasMember("user_id");
        return by_user_id ? other("inviteUser") : matched;
    }
    return matched;
}

}  // namespace matrix
