// splitmix64: a seeded generator whose output is fixed by the algorithm, unlike
// std::*_distribution, whose results are implementation-defined. A seed therefore names the same
// /sync corpus, and the same mutations of it in the tests, on every platform.
#pragma once

#include <cstddef>
#include <cstdint>

namespace matrix {

class SeededRandom {
  public:
    explicit SeededRandom(std::uint64_t seed) noexcept : state_(seed) {}

    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // In [0, n), 0 when n is 0; the modulo bias is irrelevant for test data and keeps the
    // result portable.
    std::size_t below(std::size_t n) noexcept {
        return n == 0 ? 0 : static_cast<std::size_t>(next() % n);
    }

  private:
    std::uint64_t state_;
};

}  // namespace matrix
