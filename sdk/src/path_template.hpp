// A declaration's path template split into literal runs and placeholders, once per endpoint
// rather than on every request.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "matrix/endpoint.hpp"

namespace matrix::detail {

struct PathPiece {
    static constexpr int kNoPlaceholder = -1;
    static constexpr int kVersion = -2;

    std::string_view literal;          // written as is, before the placeholder
    int placeholder = kNoPlaceholder;  // the index of the parameter, or kVersion
};

struct CompiledPath {
    // Seed templates have at most five placeholders; a declaration with more is refused.
    static constexpr std::size_t kMaxPieces = 16;

    std::array<PathPiece, kMaxPieces> pieces{};
    std::size_t count = 0;

    const PathPiece* begin() const noexcept { return pieces.data(); }
    const PathPiece* end() const noexcept { return pieces.data() + count; }
};

// The split template of `spec`: cached for the seed declarations; any other is split on every
// call, into storage of the calling thread that the next call reuses.
// Throws std::logic_error for a template with more than kMaxPieces pieces or a placeholder that
// names no parameter.
const CompiledPath& compiled_path(const EndpointSpec& spec);

}  // namespace matrix::detail
