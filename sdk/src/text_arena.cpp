// TextArena's growth: one block sized for the whole body, then 64 KiB blocks if ever needed.
#include <algorithm>
#include <cstddef>
#include <memory>

#include "matrix/sync.hpp"

namespace matrix::sync {

void TextArena::add_block(std::size_t at_least) {
    // Later blocks only come when more text is kept than expected (a caller adding its own
    // strings); a floor keeps them few. What is left of the current block is not reused.
    constexpr std::size_t kMinimumLaterBlock = 64 * 1024;
    const std::size_t wanted =
        blocks_.empty() && expected_bytes_ > 0 ? expected_bytes_ : kMinimumLaterBlock;
    const std::size_t size = std::max(at_least, wanted);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    next_ = blocks_.back().get();
    left_ = size;
}

}  // namespace matrix::sync
