// A call to a seed endpoint whose declaration is known at compile time: the same interface as
// ValidatedCall, so the parts of request_parts.hpp write it with the same code, but every
// "where does argument i go" is decided by the compiler. Loops over parameters and path pieces
// unroll, and only optional arguments are tested at run time.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "byte_blocks.hpp"
#include "path_template.hpp"
#include "request_parts.hpp"
#include "seed_endpoints.hpp"

namespace matrix::detail {

template <std::size_t SeedIndex>
class SeedCall {
  public:
    static constexpr const EndpointSpec& spec = seed::all[SeedIndex];
    static constexpr std::size_t kParamCount = spec.params.size();
    static constexpr CompiledPath kPath = split_path(spec);

    std::span<const ArgValue> args;
    PathVersion version;

    SeedCall(std::span<const ArgValue> arguments, PathVersion path_version) noexcept
        : args(arguments), version(path_version) {}

    // True when the arguments pass every check of validate_call(), found without building an
    // error message: the count, presence, types, non-empty identifiers, UTF-8 and header-breaking
    // bytes. False means "ask validate_call()", which throws the refusal in declaration order
    // or, for valid non-ASCII text, accepts the call.
    // Declarations that merge objects into the body always ask: only validate_call() looks for
    // body members set twice.
    //
    // One check is left out: the UTF-8 of text that will be percent-encoded (path segments,
    // query parameters). Encoding it looks at every byte anyway and reports non-ASCII ones;
    // only then does the UTF-8 need checking, which the caller does after encoding.
    bool passes_checks() const noexcept {
        if constexpr (declares<ParamLocation::body_merge>()) {
            return false;
        } else {
            if (args.size() != kParamCount) return false;
            return [&]<std::size_t... P>(std::index_sequence<P...>) {
                return (passes_check<P>() && ...);
            }
            (std::make_index_sequence<kParamCount>());
        }
    }

    template <ParamLocation... Locations, typename Use>
    void for_each_given(Use&& use) const {
        [&]<std::size_t... P>(std::index_sequence<P...>) {
            (visit_if_given<P, Locations...>(use), ...);
        }
        (std::make_index_sequence<kParamCount>());
    }

    template <ParamLocation Location>
    const ArgValue* first() const noexcept {
        const ArgValue* found = nullptr;
        [&]<std::size_t... P>(std::index_sequence<P...>) {
            // Stops at the first given one: || short-circuits.
            (void)((spec.params[P].location == Location && is_given(args[P]) &&
                    (found = &args[P]) != nullptr) ||
                   ...);
        }
        (std::make_index_sequence<kParamCount>());
        return found;
    }

    template <typename Use>
    void for_each_path_piece(Use&& use) const {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            (use(kPath.pieces[K].literal, kPath.pieces[K].placeholder), ...);
        }
        (std::make_index_sequence<kPath.count>());
    }

  private:
    template <ParamLocation Location>
    static constexpr bool declares() noexcept {
        for (const ParamSpec& param : spec.params) {
            if (param.location == Location) return true;
        }
        return false;
    }

    template <std::size_t P, ParamLocation... Locations, typename Use>
    void visit_if_given(Use& use) const {
        constexpr ParamSpec param = spec.params[P];
        if constexpr (((param.location == Locations) || ...)) {
            // A required argument is given: validation saw to it.
            if (param.required || is_given(args[P])) use(std::integral_constant<std::size_t, P>{});
        }
    }

    template <std::size_t P>
    bool passes_check() const noexcept {
        constexpr ParamSpec param = spec.params[P];
        const ArgValue& value = args[P];
        if (!is_given(value)) return !param.required;
        if constexpr (param.type == ParamType::string) {
            const auto* text = std::get_if<std::string_view>(&value);
            if (text == nullptr || (!param.allow_empty && text->empty())) return false;
            constexpr bool goes_into_a_header = param.location == ParamLocation::base_url ||
                                                param.location == ParamLocation::bearer_token ||
                                                param.location == ParamLocation::header;
            constexpr bool is_percent_encoded = param.location == ParamLocation::path ||
                                                param.location == ParamLocation::path_suffix ||
                                                param.location == ParamLocation::query;
            if constexpr (is_percent_encoded) {
                return true;
            } else {
                // Non-ASCII text may well be valid: validate_call() decides then.
                return is_plain_ascii(*text, goes_into_a_header);
            }
        } else if constexpr (param.type == ParamType::integer) {
            return std::holds_alternative<std::int64_t>(value);
        } else if constexpr (param.type == ParamType::boolean) {
            return std::holds_alternative<bool>(value);
        } else if constexpr (param.type == ParamType::bytes) {
            return std::holds_alternative<BytesArg>(value);
        } else {
            const auto* json = std::get_if<JsonArg>(&value);
            constexpr Json::Kind kind =
                param.type == ParamType::json_object ? Json::Kind::object : Json::Kind::array;
            return json != nullptr && json->value->kind() == kind;
        }
    }
};

}  // namespace matrix::detail
