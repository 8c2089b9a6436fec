// The allocation counter fed by counting_allocator.cpp's global operator new replacements.
#pragma once

#include <cstdint>

namespace matrix_bench {

// Every successful or attempted operator new call on the calling thread, since it started.
// Per thread, so counting costs no locked instruction (an atomic increment would add its own
// cost to every allocation measured) and other threads' allocations (a mock server's workers in
// the intake benchmark) do not count against the benchmark's.
extern thread_local std::uint64_t allocation_count;

inline std::uint64_t allocations() noexcept { return allocation_count; }

}  // namespace matrix_bench
