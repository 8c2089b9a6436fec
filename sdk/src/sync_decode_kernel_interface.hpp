// What the per-instruction-set /sync decoders (sync_decode_kernel.hpp) offer to Decoder.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "matrix/sync.hpp"

namespace matrix::sync::detail {

// Bytes a kernel may read past the end of its input (simdjson's SIMDJSON_PADDING, which the
// kernels check against this value at compile time).
inline constexpr std::size_t kInputPadding = 64;

class DecodeKernel {
  public:
    virtual ~DecodeKernel() = default;
    virtual std::string_view name() const noexcept = 0;
    // `data` must stay readable up to `capacity` bytes, with capacity >= length + kInputPadding.
    virtual SyncResponse decode(const char* data, std::size_t length, std::size_t capacity) = 0;
};

// One step of the JSON path to the value being decoded. The path is only spelled out when a
// decode fails, so the happy path pays for a push and a pop per value, not for string work.
struct PathStep {
    std::string_view key;  // points into the parser's string buffer, valid for the document
    std::size_t index = 0;
    bool is_index = false;
};

// The path to the value being decoded, as a fixed-size stack: the decoder's nesting is bounded
// by the /sync schema (8 levels at most; event content is never entered), so it never
// allocates. Steps beyond the capacity are counted but not kept.
class PathStack {
  public:
    void clear() noexcept { size_ = 0; }
    void push(PathStep step) noexcept {
        if (size_ < kCapacity) steps_[size_] = step;
        ++size_;
    }
    void pop() noexcept { --size_; }
    // The innermost step; only called right after a push.
    PathStep& top() noexcept { return steps_[std::min(size_, kCapacity) - 1]; }
    const PathStep* data() const noexcept { return steps_.data(); }
    std::size_t size() const noexcept { return std::min(size_, kCapacity); }

  private:
    static constexpr std::size_t kCapacity = 16;
    std::array<PathStep, kCapacity> steps_{};
    std::size_t size_ = 0;
};

// "$.rooms.join['!a:b'].timeline.events[3]" for the steps given.
std::string spell_json_path(const PathStep* steps, std::size_t count);

std::unique_ptr<DecodeKernel> make_portable_kernel();
#if MATRIX_SYNC_HAVE_AVX2_KERNEL
// Requires AVX2, BMI1, PCLMULQDQ and LZCNT at run time; Decoder checks before calling.
std::unique_ptr<DecodeKernel> make_avx2_kernel();
#endif

}  // namespace matrix::sync::detail
