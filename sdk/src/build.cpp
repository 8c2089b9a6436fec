// The generic builder: turns an endpoint declaration and its arguments into a Request value.
#include <algorithm>
#include <string>

#include "matrix/endpoint.hpp"
#include "request_parts.hpp"
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
    }
    return "value";
}

std::span<const EndpointSpec> seed_endpoints() noexcept { return seed::all; }

std::span<const EndpointSpec> find_endpoint_forms(std::string_view name) noexcept {
    const auto first = std::ranges::find(seed::all, name, &EndpointSpec::name);
    auto last = first;
    while (last != std::end(seed::all) && last->name == name) ++last;
    return {first, last};
}

Request build(const EndpointSpec& spec, std::span<const ArgValue> args, BuildOptions options) {
    const detail::ValidatedCall call = detail::validate_call(spec, args, options);
    Request request;
    request.method = spec.method;
    request.base_url = detail::base_url_of(call);
    detail::StringAppender path(request.path);
    detail::write_path(path, call);
    detail::for_each_query_param(call, [&](std::string_view name, std::string_view value) {
        request.query.push_back({std::string(name), std::string(value)});
    });
    detail::for_each_header(
        call, [&](std::string_view name, std::string_view prefix, std::string_view value) {
            std::string full_value;
            full_value.reserve(prefix.size() + value.size());
            full_value.append(prefix).append(value);
            request.headers.push_back({std::string(name), std::move(full_value)});
        });
    request.body_kind = detail::body_kind_of(call);
    detail::StringAppender body(request.body);
    detail::write_body(body, call);
    return request;
}

}  // namespace matrix
