// The allocation counter fed by counting_allocator.cpp's global operator new replacements.
#pragma once

#include <atomic>
#include <cstdint>

namespace matrix_bench {

// Every successful or attempted operator new call in the process, since start.
extern std::atomic<std::uint64_t> allocation_count;

inline std::uint64_t allocations() noexcept {
    return allocation_count.load(std::memory_order_relaxed);
}

}  // namespace matrix_bench
