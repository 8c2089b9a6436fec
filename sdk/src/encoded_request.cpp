// encode(): a request straight to its wire bytes by the encoder of request_encoder.hpp. Seed
// endpoints are encoded by code specialised for each declaration at compile time (SeedCall, in
// seed_form_encoders_*.cpp); any other declaration through ValidatedCall.
#include "matrix/encoded_request.hpp"

#include <cstring>
#include <iterator>

#include "matrix/endpoint.hpp"
#include "request_encoder.hpp"

namespace matrix {

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

namespace {

// Out of line, so that the dispatch below sets up no frame for this path's locals when it jumps
// to a specialised encoder.
[[gnu::noinline]] EncodedRequest encode_declared(const EndpointSpec& spec,
                                                 std::span<const ArgValue> args,
                                                 BuildOptions options) {
    const detail::ValidatedCall call = detail::validate_call(spec, args, options);
    return detail::RequestEncoder<detail::ValidatedCall>(call).encode();
}

}  // namespace

EncodedRequest encode(const EndpointSpec& spec, std::span<const ArgValue> args,
                      BuildOptions options) {
    const EndpointSpec* const first_seed = std::begin(seed::all);
    if (&spec >= first_seed && &spec < std::end(seed::all)) {
        const auto index = static_cast<std::size_t>(&spec - first_seed);
        return index < detail::kSeedFormsInFirstHalf
                   ? detail::kFirstHalfSeedFormEncoders[index](args, options)
                   : detail::kSecondHalfSeedFormEncoders[index - detail::kSeedFormsInFirstHalf](
                         args, options);
    }
    return encode_declared(spec, args, options);
}

}  // namespace matrix
