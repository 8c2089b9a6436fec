// The encoder behind encode(): the parts of a request sized first (the body exactly, the head
// as a bound), then written once into one buffer by the builder core of request_parts.hpp. Any
// call type of request_parts.hpp works: ValidatedCall for any declaration (encoded_request.cpp)
// and SeedCall for a seed form known at compile time (seed_form_encoders_*.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "matrix/encoded_request.hpp"
#include "matrix/endpoint.hpp"
#include "request_parts.hpp"
#include "seed_call.hpp"

namespace matrix::detail {

inline constexpr std::string_view kVersionAndLineEnd = " HTTP/1.1\r\n";
inline constexpr std::string_view kLineEnd = "\r\n";

// Where the base URL points on the wire: the Host header's value and the path prefix that
// starts every target. Checking the URL's form is the transport's business, as for Request.
struct BaseUrlParts {
    std::string_view authority;
    std::string_view path_prefix;

    explicit BaseUrlParts(std::string_view base_url) noexcept {
        std::string_view rest = base_url;
        // The two schemes Matrix uses are compared in place; any other is searched for.
        if (rest.starts_with("https://")) {
            rest.remove_prefix(8);
        } else if (rest.starts_with("http://")) {
            rest.remove_prefix(7);
        } else if (const std::size_t scheme_end = rest.find("://");
                   scheme_end != std::string_view::npos) {
            rest.remove_prefix(scheme_end + 3);
        }
        const std::size_t slash = rest.find('/');
        authority = rest.substr(0, slash);
        path_prefix = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
        // A trailing slash would double the one every request path starts with.
        while (!path_prefix.empty() && path_prefix.back() == '/') path_prefix.remove_suffix(1);
    }
};

// Friend of EncodedRequest: lays the parts out in its buffer and records where each starts.
template <typename Call>
class RequestEncoder {
  public:
    explicit RequestEncoder(const Call& call)
        : call_(call), base_url_(base_url_of(call)), body_kind_(body_kind_of(call)) {
        call.template for_each_given<ParamLocation::header>([&](std::size_t i) {
            has_content_type_ =
                has_content_type_ || header_name_equals(call.spec.params[i].key(), "Content-Type");
        });
    }

    EncodedRequest encode() {
        const std::string_view method = to_string(call_.spec.method);
        // The body is counted exactly: its Content-Length comes before it. The head is only
        // bounded, from sizes: counting it exactly would percent-encode every path and query
        // argument twice, and the bound wastes at most two bytes per argument byte.
        const std::size_t body_size =
            counted<SizeCounter>([&](SizeCounter& out) { write_body_part(out); });
        const IntegerText content_length(static_cast<std::int64_t>(body_size));
        const std::size_t head_bound =
            method.size() + 1 + target_size_bound() + kVersionAndLineEnd.size() +
            counted<SizeCounter>([&](SizeCounter& out) { write_headers(out); }) +
            counted<SizeCounter>(
                [&](SizeCounter& out) { write_transport_headers(out, content_length); }) +
            kLineEnd.size();

        EncodedRequest request;
        request.data_ =
            std::make_unique_for_overwrite<char[]>(head_bound + body_size + kWriteSlack);
        const char* const begin = request.data_.get();
        const auto offset = [&](const BufferWriter& out) {
            return static_cast<std::size_t>(out.cursor() - begin);
        };
        BufferWriter out(request.data_.get());
        out.append(method);
        out.append(" ");
        request.method_size_ = method.size();
        write_target(out);
        request.target_size_ = offset(out) - method.size() - 1;
        out.append(kVersionAndLineEnd);
        request.headers_offset_ = offset(out);
        write_headers(out);
        request.headers_size_ = offset(out) - request.headers_offset_;
        write_transport_headers(out, content_length);
        out.append(kLineEnd);
        request.body_offset_ = offset(out);
        write_body_part(out);
        request.size_ = offset(out);
        request.body_kind_ = body_kind_;
        percent_encoded_non_ascii_ = out.percent_encoded_non_ascii();
        return request;
    }

    // After encode(): whether a percent-encoded argument held non-ASCII bytes.
    bool percent_encoded_non_ascii() const noexcept { return percent_encoded_non_ascii_; }

  private:
    template <typename Counter, typename Write>
    static std::size_t counted(Write&& write) {
        Counter counter;
        write(counter);
        return counter.size();
    }

    std::size_t target_size_bound() const {
        SizeBound bound;
        bound.append(base_url_.path_prefix);
        for_each_query_param(call_, [&](std::string_view name, std::string_view value) {
            write_query_param(bound, false, name, value);
        });
        return bound.size() + path_size_bound(call_);
    }

    template <typename Out>
    void write_target(Out& out) const {
        out.append(base_url_.path_prefix);
        write_path(out, call_);
        bool first = true;
        for_each_query_param(call_, [&](std::string_view name, std::string_view value) {
            write_query_param(out, first, name, value);
            first = false;
        });
    }

    template <typename Out>
    void write_headers(Out& out) const {
        for_each_header(
            call_, [&](std::string_view name, std::string_view prefix, std::string_view value) {
                out.append(name);
                out.append(": ");
                out.append(prefix);
                out.append(value);
                out.append(kLineEnd);
            });
    }

    // The headers HTTP itself needs; HttpClient adds the same Content-Type for a JSON body.
    template <typename Out>
    void write_transport_headers(Out& out, const IntegerText& content_length) const {
        if (body_kind_ == BodyKind::json && !has_content_type_) {
            out.append("Content-Type: application/json\r\n");
        }
        out.append("Host: ");
        out.append(base_url_.authority);
        out.append(kLineEnd);
        if (body_kind_ != BodyKind::none) {
            out.append("Content-Length: ");
            out.append(content_length.view());
            out.append(kLineEnd);
        }
    }

    template <typename Out>
    void write_body_part(Out& out) const {
        write_body(out, call_);
    }

    const Call& call_;
    BaseUrlParts base_url_;
    BodyKind body_kind_;
    bool has_content_type_ = false;
    bool percent_encoded_non_ascii_ = false;
};

template <std::size_t SeedIndex>
EncodedRequest encode_seed_form(std::span<const ArgValue> args, BuildOptions options) {
    // A seed form is built at r0 unless asked otherwise (path_version_for says the same, out
    // of line and after looking the form up).
    const SeedCall<SeedIndex> call(args, options.version
                                             ? path_version_for(SeedCall<SeedIndex>::spec, options)
                                             : PathVersion::r0);
    // A refusal, with its message, comes from the one place that words them all.
    if (!call.passes_checks()) validate_call(call.spec, args, options);
    RequestEncoder<SeedCall<SeedIndex>> encoder(call);
    EncodedRequest request = encoder.encode();
    // The UTF-8 of percent-encoded text is left to this point (see SeedCall::passes_checks):
    // the encoder has looked at every byte of it by now, and almost all of it is ASCII.
    if (encoder.percent_encoded_non_ascii()) validate_call(call.spec, args, options);
    return request;
}

using SeedFormEncoder = EncodedRequest (*)(std::span<const ArgValue>, BuildOptions);

// encode_seed_form<First>, ..., encode_seed_form<First + Count - 1>.
template <std::size_t First, std::size_t Count>
constexpr std::array<SeedFormEncoder, Count> seed_form_encoders() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<SeedFormEncoder, Count>{&encode_seed_form<First + I>...};
    }
    (std::make_index_sequence<Count>());
}

// The specialised encoders are compiled in two translation units, half each, so that neither
// takes most of the 20 s a unit may (together they took 17 to 18.5 s at -O3).
inline constexpr std::size_t kSeedFormsInFirstHalf = std::size(seed::all) / 2;
inline constexpr std::size_t kSeedFormsInSecondHalf = std::size(seed::all) - kSeedFormsInFirstHalf;
extern const std::array<SeedFormEncoder, kSeedFormsInFirstHalf> kFirstHalfSeedFormEncoders;
extern const std::array<SeedFormEncoder, kSeedFormsInSecondHalf> kSecondHalfSeedFormEncoders;

}  // namespace matrix::detail
