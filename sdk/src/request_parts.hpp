// The one builder core: each part of a request (path, query, headers, body) written from an
// endpoint declaration and its arguments into any output of wire_text.hpp. build() (the
// Request value) and encode() (wire bytes in one allocation) both call these, so they produce
// the same bytes by construction.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "matrix/endpoint.hpp"
#include "path_template.hpp"
#include "wire_text.hpp"

namespace matrix::detail {

inline bool is_given(const ArgValue& value) noexcept {
    return !std::holds_alternative<std::monostate>(value);
}

// A call whose arguments passed validate_call(), with the given arguments sorted by where they
// go, so that each part below visits its own arguments only, in declaration order.
class ValidatedCall {
  public:
    using Mask = std::uint64_t;  // bit i: argument i is given
    static constexpr std::size_t kMaxParams = 64;

    const EndpointSpec& spec;
    std::span<const ArgValue> args;
    PathVersion version;

    ValidatedCall(const EndpointSpec& endpoint, std::span<const ArgValue> arguments,
                  PathVersion path_version) noexcept
        : spec(endpoint), args(arguments), version(path_version) {
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (is_given(args[i])) given_[index(spec.params[i].location)] |= Mask{1} << i;
        }
    }

    Mask given(ParamLocation location) const noexcept { return given_[index(location)]; }

    // Calls `use(i)` for each argument in `mask`, in declaration order.
    template <typename Use>
    static void for_each(Mask mask, Use&& use) {
        for (; mask != 0; mask &= mask - 1) use(static_cast<std::size_t>(std::countr_zero(mask)));
    }

    // The first given argument at `location`, or nullptr.
    const ArgValue* first(ParamLocation location) const noexcept {
        const Mask mask = given(location);
        return mask == 0 ? nullptr : &args[static_cast<std::size_t>(std::countr_zero(mask))];
    }

    BodyKind body_kind() const noexcept {
        if (given(ParamLocation::body_raw) != 0) return BodyKind::raw;
        return spec.method == Method::post || spec.method == Method::put ? BodyKind::json
                                                                         : BodyKind::none;
    }

    std::string_view base_url() const noexcept {
        const ArgValue* value = first(ParamLocation::base_url);
        return value == nullptr ? std::string_view() : std::get<std::string_view>(*value);
    }

  private:
    static constexpr std::size_t index(ParamLocation location) noexcept {
        return static_cast<std::size_t>(location);
    }

    std::array<Mask, static_cast<std::size_t>(ParamLocation::body_raw) + 1> given_{};
};

// Refuses what the builders refuse (InvalidArgument naming the argument), in declaration
// order, then a body member set twice. Everything below trusts the call it returns.
ValidatedCall validate_call(const EndpointSpec& spec, std::span<const ArgValue> args,
                            BuildOptions options);

// Calls `use` with the text form of a scalar argument (string, integer or boolean) as it goes
// into a path, query or header.
template <typename Use>
void with_scalar_text(const ArgValue& value, Use&& use) {
    if (const auto* text = std::get_if<std::string_view>(&value)) {
        use(*text);
    } else if (const auto* flag = std::get_if<bool>(&value)) {
        use(std::string_view(*flag ? "true" : "false"));
    } else {
        const IntegerText number(std::get<std::int64_t>(value));
        use(number.view());
    }
}

// The path template with `{version}` and `{param}` filled in (each value percent-encoded), then
// the optional extra segment.
template <typename Out>
void write_path(Out& out, const ValidatedCall& call) {
    for (const PathPiece& piece : compiled_path(call.spec)) {
        out.append(piece.literal);
        if (piece.placeholder == PathPiece::kVersion) {
            out.append(call.version == PathVersion::r0 ? "r0" : "v3");
        } else if (piece.placeholder != PathPiece::kNoPlaceholder) {
            out.append_percent_encoded(std::get<std::string_view>(call.args[piece.placeholder]));
        }
    }
    ValidatedCall::for_each(call.given(ParamLocation::path_suffix), [&](std::size_t i) {
        out.append("/");
        out.append_percent_encoded(std::get<std::string_view>(call.args[i]));
    });
}

// An upper bound of what write_path() writes, from the sizes alone: every byte of the template
// at most once (a placeholder is longer than "r0"/"v3") and every argument byte at most as %XX.
inline std::size_t path_size_bound(const ValidatedCall& call) noexcept {
    std::size_t bound = call.spec.path_template.size();
    ValidatedCall::for_each(
        call.given(ParamLocation::path) | call.given(ParamLocation::path_suffix),
        [&](std::size_t i) { bound += 1 + 3 * std::get<std::string_view>(call.args[i]).size(); });
    return bound;
}

// Calls `use(name, value)` for each query parameter, not yet encoded, in declaration order,
// then for the endpoint's fixed one.
template <typename Use>
void for_each_query_param(const ValidatedCall& call, Use&& use) {
    ValidatedCall::for_each(call.given(ParamLocation::query), [&](std::size_t i) {
        with_scalar_text(call.args[i],
                         [&](std::string_view value) { use(call.spec.params[i].key(), value); });
    });
    if (!call.spec.fixed_query_name.empty()) {
        use(call.spec.fixed_query_name, call.spec.fixed_query_value);
    }
}

// "?name=value" for the first parameter, "&name=value" for the others, both percent-encoded.
template <typename Out>
void write_query_param(Out& out, bool first, std::string_view name, std::string_view value) {
    out.append(first ? "?" : "&");
    out.append_percent_encoded(name);
    out.append("=");
    out.append_percent_encoded(value);
}

// Calls `use(name, value_prefix, value)` for each of the request's own headers, in declaration
// order; the header's value is value_prefix followed by value ("Bearer " + token).
template <typename Use>
void for_each_header(const ValidatedCall& call, Use&& use) {
    const ValidatedCall::Mask bearer = call.given(ParamLocation::bearer_token);
    ValidatedCall::for_each(bearer | call.given(ParamLocation::header), [&](std::size_t i) {
        if ((bearer >> i & 1) != 0) {
            use(std::string_view("Authorization"), std::string_view("Bearer "),
                std::get<std::string_view>(call.args[i]));
        } else {
            with_scalar_text(call.args[i], [&](std::string_view value) {
                use(call.spec.params[i].key(), std::string_view(), value);
            });
        }
    });
}

// The JSON body: a whole-body object as given, or an object of the body fields and of the
// members of merged objects, in declaration order. JSON arguments are validated compact text,
// so they are copied, not re-serialized (a merged object loses only its braces).
template <typename Out>
void write_json_body(Out& out, const ValidatedCall& call) {
    if (const ArgValue* whole = call.first(ParamLocation::body_whole)) {
        out.append(std::get<JsonArg>(*whole).value->text());
        return;
    }
    out.append("{");
    bool first = true;
    const ValidatedCall::Mask merged = call.given(ParamLocation::body_merge);
    ValidatedCall::for_each(merged | call.given(ParamLocation::body_field), [&](std::size_t i) {
        const ArgValue& value = call.args[i];
        if ((merged >> i & 1) != 0) {
            const std::string& object = std::get<JsonArg>(value).value->text();
            const std::string_view members = std::string_view(object).substr(1, object.size() - 2);
            if (members.empty()) return;
            if (!first) out.append(",");
            out.append(members);
            first = false;
            return;
        }
        if (!first) out.append(",");
        first = false;
        // Declared keys need no escaping (for the seed's, a static_assert in seed_endpoints.hpp
        // says so); skipping the escaping pass halves the cost of a short field.
        out.append("\"");
        out.append(call.spec.params[i].key());
        out.append("\":");
        if (const auto* text = std::get_if<std::string_view>(&value)) {
            out.append_json_string(*text);
        } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
            out.append(IntegerText(*number).view());
        } else if (const auto* flag = std::get_if<bool>(&value)) {
            out.append(*flag ? "true" : "false");
        } else {
            out.append(std::get<JsonArg>(value).value->text());
        }
    });
    out.append("}");
}

template <typename Out>
void write_body(Out& out, const ValidatedCall& call) {
    switch (call.body_kind()) {
        case BodyKind::json:
            write_json_body(out, call);
            break;
        case BodyKind::raw:
            out.append(std::get<BytesArg>(*call.first(ParamLocation::body_raw)).value);
            break;
        case BodyKind::none:
            break;
    }
}

}  // namespace matrix::detail
