// Decoder: picks the fastest /sync decoding kernel the CPU runs, and spells error paths.
#include <simdjson.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "matrix/sync.hpp"
#include "sync_decode_kernel_interface.hpp"

namespace matrix::sync {

SyncDecodeError::SyncDecodeError(std::string json_path, const std::string& reason)
    : std::runtime_error(json_path + ": " + reason), path_(std::move(json_path)) {}

namespace detail {
namespace {

bool is_identifier(std::string_view key) {
    if (key.empty()) return false;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!letter && !(digit && i > 0)) return false;
    }
    return true;
}

}  // namespace

std::string spell_json_path(const PathStep* steps, std::size_t count) {
    std::string path = "$";
    for (std::size_t i = 0; i < count; ++i) {
        const PathStep& step = steps[i];
        if (step.is_index) {
            path += '[';
            path += std::to_string(step.index);
            path += ']';
        } else if (is_identifier(step.key)) {
            path += '.';
            path += step.key;
        } else {
            path += "['";
            for (const char c : step.key) {
                if (c == '\'' || c == '\\') path += '\\';
                path += c;
            }
            path += "']";
        }
    }
    return path;
}

}  // namespace detail

namespace {

// simdjson's own check of the CPU for its Haswell kernel: the same features the AVX2 kernel
// was compiled for.
bool cpu_runs_avx2_kernel() noexcept {
#if MATRIX_SYNC_HAVE_AVX2_KERNEL
    const simdjson::implementation* haswell = simdjson::get_available_implementations()["haswell"];
    return haswell != nullptr && haswell->supported_by_runtime_system();
#else
    return false;
#endif
}

std::unique_ptr<detail::DecodeKernel> make_kernel(Kernel kernel) {
    switch (kernel) {
        case Kernel::portable:
            return detail::make_portable_kernel();
        case Kernel::avx2:
#if MATRIX_SYNC_HAVE_AVX2_KERNEL
            if (cpu_runs_avx2_kernel()) return detail::make_avx2_kernel();
#endif
            throw std::invalid_argument(
                "the avx2 /sync decoding kernel needs an x86-64 CPU with AVX2, BMI1, PCLMULQDQ "
                "and LZCNT, and a build for x86-64; use Kernel::automatic or Kernel::portable");
        case Kernel::automatic:
            break;
    }
    return cpu_runs_avx2_kernel() ? make_kernel(Kernel::avx2) : detail::make_portable_kernel();
}

}  // namespace

Decoder::Decoder(Kernel kernel) : kernel_(make_kernel(kernel)) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

SyncResponse Decoder::decode(std::string_view json) {
    // The kernel reads up to kInputPadding bytes past the end, which a string_view does not
    // promise, so the input goes into a buffer that has them. resize() only allocates when
    // this body is larger than every earlier one.
    padded_.resize(json.size() + detail::kInputPadding);
    if (!json.empty()) std::memcpy(padded_.data(), json.data(), json.size());
    return kernel_->decode(padded_.data(), json.size(), padded_.size());
}

SyncResponse Decoder::decode_in_place(std::string& body) {
    if (body.capacity() < body.size() + detail::kInputPadding) {
        body.reserve(body.size() + detail::kInputPadding);
    }
    return kernel_->decode(body.data(), body.size(), body.capacity());
}

std::string_view Decoder::kernel_name() const noexcept { return kernel_->name(); }

bool Decoder::available(Kernel kernel) noexcept {
    return kernel != Kernel::avx2 || cpu_runs_avx2_kernel();
}

SyncResponse decode(std::string_view json) { return Decoder().decode(json); }

}  // namespace matrix::sync
