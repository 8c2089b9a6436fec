// The generic builder: turns an endpoint declaration and its arguments into a Request value.
#include <string>

#include "matrix/endpoint.hpp"
#include "request_parts.hpp"

namespace matrix {

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
