// The two declaration tables (the spec's operations and the seed's forms) and how a name, an
// operationId or a seed form finds its declaration.
#include <algorithm>
#include <array>
#include <string>

#include "generated/spec_operations.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/error.hpp"
#include "path_template.hpp"
#include "seed_endpoints.hpp"

namespace matrix {

std::string_view to_string(ParamType type) noexcept {
    switch (type) {
        case ParamType::string:
            return "string";
        case ParamType::integer:
            return "integer";
        case ParamType::boolean:
            return "boolean";
        case ParamType::json_object:
            return "object";
        case ParamType::json_array:
            return "array";
        case ParamType::bytes:
            return "bytes";
        case ParamType::json_value:
            return "json";
    }
    return "value";
}

std::string_view to_string(PathVersion version) noexcept {
    if (version > PathVersion::v1) return "?";  // a value cast from a number no version has
    return detail::path_version_text(version);
}

std::string_view to_string(AuthRequirement auth) noexcept {
    switch (auth) {
        case AuthRequirement::none:
            return "no";
        case AuthRequirement::optional:
            return "optional";
        case AuthRequirement::required:
            return "yes";
    }
    return "?";
}

std::optional<PathVersion> path_version_from_string(std::string_view text) noexcept {
    for (const PathVersion version : {PathVersion::r0, PathVersion::v3, PathVersion::v1}) {
        if (to_string(version) == text) return version;
    }
    return std::nullopt;
}

std::span<const EndpointSpec> seed_endpoints() noexcept { return seed::all; }

std::span<const EndpointSpec> spec_operations() noexcept { return operations::all; }

const EndpointSpec* find_operation(std::string_view operation_id) noexcept {
    const auto found =
        std::ranges::find(operations::all, operation_id, &EndpointSpec::operation_id);
    return found == std::end(operations::all) ? nullptr : &*found;
}

std::span<const EndpointSpec> find_endpoint_forms(std::string_view name) noexcept {
    const auto first = std::ranges::find(seed::all, name, &EndpointSpec::name);
    if (first != std::end(seed::all)) {
        auto last = first;
        while (last != std::end(seed::all) && last->name == name) ++last;
        return {first, last};
    }
    if (const EndpointSpec* operation = find_operation(name)) return {operation, 1U};
    const auto by_name = std::ranges::find(operations::all, name, &EndpointSpec::name);
    if (by_name != std::end(operations::all)) return {&*by_name, 1U};
    return {};
}

bool is_seed_form(const EndpointSpec& spec) noexcept {
    return &spec >= std::begin(seed::all) && &spec < std::end(seed::all);
}

const EndpointSpec& operation_of(const EndpointSpec& spec) noexcept {
    if (!is_seed_form(spec)) return spec;
    // Every seed form names an operation of the table (declarations_test checks it), so the
    // lookup below always finds one; the form itself is the answer only if that ever broke.
    static const auto operations = [] {
        std::array<const EndpointSpec*, std::size(seed::all)> found{};
        for (std::size_t i = 0; i < found.size(); ++i) {
            const EndpointSpec* operation = find_operation(seed::all[i].operation_id);
            found[i] = operation != nullptr ? operation : &seed::all[i];
        }
        return found;
    }();
    return *operations[static_cast<std::size_t>(&spec - std::begin(seed::all))];
}

PathVersion path_version_for(const EndpointSpec& spec, const BuildOptions& options) {
    // The common case first, without the seed form's lookup: this is on every build's path.
    if (!options.version) return is_seed_form(spec) ? PathVersion::r0 : spec.versions.newest();
    const PathVersions versions = operation_of(spec).versions;
    // A path without a version segment (/versions, /.well-known) is the same at every version.
    if (versions.empty() || versions.has(*options.version)) return *options.version;
    std::string known;
    for (const PathVersion version : {PathVersion::r0, PathVersion::v3, PathVersion::v1}) {
        if (!versions.has(version)) continue;
        if (!known.empty()) known += ", ";
        known += to_string(version);
    }
    throw InvalidArgument("version",
                          "the path of " + std::string(spec.operation_id) + " has no version " +
                              std::string(to_string(*options.version)) + " (it has " + known + ")");
}

}  // namespace matrix
