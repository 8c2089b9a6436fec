// encode(): a request straight to its wire bytes. The parts are sized first (the body exactly,
// the head as a bound), then written once into one buffer, by the builder core of
// request_parts.hpp.
#include "matrix/encoded_request.hpp"

#include <cstring>

#include "matrix/endpoint.hpp"
#include "request_parts.hpp"

namespace matrix {
namespace detail {
namespace {

constexpr std::string_view kVersionAndLineEnd = " HTTP/1.1\r\n";
constexpr std::string_view kLineEnd = "\r\n";

// Where the base URL points on the wire: the Host header's value and the path prefix that
// starts every target. Checking the URL's form is the transport's business, as for Request.
struct BaseUrlParts {
    std::string_view authority;
    std::string_view path_prefix;

    explicit BaseUrlParts(std::string_view base_url) noexcept {
        const std::size_t scheme_end = base_url.find("://");
        const std::string_view rest =
            scheme_end == std::string_view::npos ? base_url : base_url.substr(scheme_end + 3);
        const std::size_t slash = rest.find('/');
        authority = rest.substr(0, slash);
        path_prefix = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
        // A trailing slash would double the one every request path starts with.
        while (!path_prefix.empty() && path_prefix.back() == '/') path_prefix.remove_suffix(1);
    }
};

}  // namespace

// Friend of EncodedRequest: lays the parts out in its buffer and records where each starts.
class RequestEncoder {
  public:
    explicit RequestEncoder(const ValidatedCall& call)
        : call_(call), base_url_(call.base_url()), body_kind_(call.body_kind()) {
        ValidatedCall::for_each(call.given(ParamLocation::header), [&](std::size_t i) {
            has_content_type_ =
                has_content_type_ || header_name_equals(call.spec.params[i].key(), "Content-Type");
        });
    }

    EncodedRequest encode() const {
        const std::string_view method = to_string(call_.spec.method);
        // The body is counted exactly: its Content-Length comes before it. The head is only
        // bounded, from sizes: counting it exactly would percent-encode every path and query
        // argument twice, and the bound wastes at most two bytes per argument byte.
        const std::size_t body_size =
            counted<SizeCounter>([&](SizeCounter& out) { write_body_part(out); });
        const std::size_t head_bound =
            method.size() + 1 + target_size_bound() + kVersionAndLineEnd.size() +
            counted<SizeCounter>([&](SizeCounter& out) { write_headers(out); }) +
            counted<SizeCounter>(
                [&](SizeCounter& out) { write_transport_headers(out, body_size); }) +
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
        write_transport_headers(out, body_size);
        out.append(kLineEnd);
        request.body_offset_ = offset(out);
        write_body_part(out);
        request.size_ = offset(out);
        request.body_kind_ = body_kind_;
        return request;
    }

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
    void write_transport_headers(Out& out, std::size_t body_size) const {
        if (body_kind_ == BodyKind::json && !has_content_type_) {
            out.append("Content-Type: application/json\r\n");
        }
        out.append("Host: ");
        out.append(base_url_.authority);
        out.append(kLineEnd);
        if (body_kind_ != BodyKind::none) {
            out.append("Content-Length: ");
            out.append(IntegerText(static_cast<std::int64_t>(body_size)).view());
            out.append(kLineEnd);
        }
    }

    template <typename Out>
    void write_body_part(Out& out) const {
        write_body(out, call_);
    }

    const ValidatedCall& call_;
    BaseUrlParts base_url_;
    BodyKind body_kind_;
    bool has_content_type_ = false;
};

}  // namespace detail

EncodedRequest::EncodedRequest(const EncodedRequest& other)
    : size_(other.size_),
      method_size_(other.method_size_),
      target_size_(other.target_size_),
      headers_offset_(other.headers_offset_),
      headers_size_(other.headers_size_),
      body_offset_(other.body_offset_),
      body_kind_(other.body_kind_) {
    if (other.data_) {
        data_ = std::make_unique_for_overwrite<char[]>(size_);
        std::memcpy(data_.get(), other.data_.get(), size_);
    }
}

EncodedRequest& EncodedRequest::operator=(const EncodedRequest& other) {
    if (this != &other) *this = EncodedRequest(other);
    return *this;
}

EncodedRequest encode(const EndpointSpec& spec, std::span<const ArgValue> args,
                      BuildOptions options) {
    return detail::RequestEncoder(detail::validate_call(spec, args, options)).encode();
}

}  // namespace matrix
