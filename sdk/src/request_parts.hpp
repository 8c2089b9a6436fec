// The one builder core: each part of a request (path, query, headers, body) written from an
// endpoint declaration and its arguments into any output of wire_text.hpp. build() (the
// Request value) and encode() (wire bytes in one allocation) both call these, so they produce
// the same bytes by construction.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <functional>
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
//
// The parts below take any `Call` with this interface; SeedCall (seed_call.hpp) is the other
// one, the same call with its declaration known at compile time.
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

    template <ParamLocation Location>
    Mask given() const noexcept {
        return given_[index(Location)];
    }

    // Calls `use(i)` for each argument in `mask`, in declaration order.
    template <typename Use>
    static void for_each(Mask mask, Use&& use) {
        for (; mask != 0; mask &= mask - 1) use(static_cast<std::size_t>(std::countr_zero(mask)));
    }

    // Calls `use(i)` for each given argument that goes to one of `Locations`, in declaration
    // order.
    template <ParamLocation... Locations, typename Use>
    void for_each_given(Use&& use) const {
        for_each((given<Locations>() | ...), use);
    }

    // The first given argument at `Location`, or nullptr.
    template <ParamLocation Location>
    const ArgValue* first() const noexcept {
        const Mask mask = given<Location>();
        return mask == 0 ? nullptr : &args[static_cast<std::size_t>(std::countr_zero(mask))];
    }

    // Calls `use(literal, placeholder)` for each piece of the path template (see PathPiece).
    template <typename Use>
    void for_each_path_piece(Use&& use) const {
        for (const PathPiece& piece : compiled_path(spec)) use(piece.literal, piece.placeholder);
    }

  private:
    static constexpr std::size_t index(ParamLocation location) noexcept {
        return static_cast<std::size_t>(location);
    }

    std::array<Mask, static_cast<std::size_t>(ParamLocation::body_raw) + 1> given_{};
};

// What every call type derives the same way from its arguments.
// POST and PUT always send JSON (`{}` when no member is given, as the seed does); a DELETE only
// when a body argument is given (deleteDevice's optional `auth`); GET never.
template <typename Call>
BodyKind body_kind_of(const Call& call) noexcept {
    if (call.template first<ParamLocation::body_raw>() != nullptr) return BodyKind::raw;
    if (call.spec.method == Method::post || call.spec.method == Method::put) return BodyKind::json;
    if (call.spec.method == Method::del &&
        (call.template first<ParamLocation::body_field>() != nullptr ||
         call.template first<ParamLocation::body_whole>() != nullptr ||
         call.template first<ParamLocation::body_merge>() != nullptr)) {
        return BodyKind::json;
    }
    return BodyKind::none;
}

template <typename Call>
std::string_view base_url_of(const Call& call) noexcept {
    const ArgValue* value = call.template first<ParamLocation::base_url>();
    return value == nullptr ? std::string_view() : *std::get_if<std::string_view>(value);
}

// Arguments of a validated call have their declared types: these read them without checking.
inline std::string_view text_of(const ArgValue& value) noexcept {
    return *std::get_if<std::string_view>(&value);
}
inline const Json& json_of(const ArgValue& value) noexcept {
    return *std::get_if<JsonArg>(&value)->value;
}

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
        const IntegerText number(*std::get_if<std::int64_t>(&value));
        use(number.view());
    }
}

// The path template with `{path_version}` and `{param}` filled in (each value percent-encoded),
// then the optional extra segment.
template <typename Out, typename Call>
void write_path(Out& out, const Call& call) {
    call.for_each_path_piece([&](std::string_view literal, int placeholder) {
        out.append(literal);
        if (placeholder == PathPiece::kVersion) {
            out.append(path_version_text(call.version));
        } else if (placeholder != PathPiece::kNoPlaceholder) {
            out.append_percent_encoded(text_of(call.args[static_cast<std::size_t>(placeholder)]));
        }
    });
    call.template for_each_given<ParamLocation::path_suffix>([&](std::size_t i) {
        out.append("/");
        out.append_percent_encoded(text_of(call.args[i]));
    });
}

// An upper bound of what write_path() writes, from the sizes alone: every byte of the template
// at most once (a placeholder is longer than "r0"/"v3"/"v1") and every argument byte at most as
// %XX.
template <typename Call>
std::size_t path_size_bound(const Call& call) noexcept {
    std::size_t bound = call.spec.path_template.size();
    call.template for_each_given<ParamLocation::path, ParamLocation::path_suffix>(
        [&](std::size_t i) { bound += 1 + 3 * text_of(call.args[i]).size(); });
    return bound;
}

// Calls `use(name, value)` for each element of a query argument that is a JSON array of strings
// (`via`: one parameter per element) and each member of one that is a JSON object of strings
// (`fields`: one parameter per member, named by the member). Validated calls hold nothing else.
void for_each_query_element(std::string_view name, const Json& value,
                            const std::function<void(std::string_view, std::string_view)>& use);

// True when `value` is a JSON array of strings or a JSON object whose members are all strings.
bool is_query_list(const Json& value);

// Calls `use(name, value)` for each query parameter, not yet encoded, in declaration order,
// then for the endpoint's fixed one.
template <typename Call, typename Use>
void for_each_query_param(const Call& call, Use&& use) {
    call.template for_each_given<ParamLocation::query>([&](std::size_t i) {
        if (const auto* json = std::get_if<JsonArg>(&call.args[i])) {
            for_each_query_element(call.spec.params[i].key(), *json->value, use);
            return;
        }
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
template <typename Call, typename Use>
void for_each_header(const Call& call, Use&& use) {
    call.template for_each_given<ParamLocation::bearer_token, ParamLocation::header>(
        [&](std::size_t i) {
            if (call.spec.params[i].location == ParamLocation::bearer_token) {
                use(std::string_view("Authorization"), std::string_view("Bearer "),
                    text_of(call.args[i]));
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
template <typename Out, typename Call>
void write_json_body(Out& out, const Call& call) {
    if (const ArgValue* whole = call.template first<ParamLocation::body_whole>()) {
        out.append(json_of(*whole).text());
        return;
    }
    out.append("{");
    bool first = true;
    call.template for_each_given<ParamLocation::body_merge, ParamLocation::body_field>(
        [&](std::size_t i) {
            const ArgValue& value = call.args[i];
            if (call.spec.params[i].location == ParamLocation::body_merge) {
                const std::string& object = json_of(value).text();
                const std::string_view members =
                    std::string_view(object).substr(1, object.size() - 2);
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
                out.append(json_of(value).text());
            }
        });
    out.append("}");
}

template <typename Out, typename Call>
void write_body(Out& out, const Call& call) {
    switch (body_kind_of(call)) {
        case BodyKind::json:
            write_json_body(out, call);
            break;
        case BodyKind::raw:
            out.append(
                std::get_if<BytesArg>(call.template first<ParamLocation::body_raw>())->value);
            break;
        case BodyKind::none:
            break;
    }
}

}  // namespace matrix::detail
