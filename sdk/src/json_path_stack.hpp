// The JSON path a decoder is at, kept cheaply and spelled only for an error message.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace matrix::sync::detail {

// One step of the path: a member name or an array index.
struct PathStep {
    std::string_view key;  // points into the parser's string buffer, valid for the document
    std::size_t index = 0;
    bool is_index = false;
};

// A fixed-size stack of steps: the decoder's nesting is bounded by the /sync schema (8 levels
// at most; event content is never entered), so it never allocates. Steps beyond the capacity
// are counted but not kept.
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

    // "$.rooms.join['!a:b'].timeline.events[3]"
    std::string spell() const;

  private:
    static constexpr std::size_t kCapacity = 16;
    std::array<PathStep, kCapacity> steps_{};
    std::size_t size_ = 0;
};

}  // namespace matrix::sync::detail
