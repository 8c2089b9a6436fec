// A declaration's path template split into literal runs and placeholders, once per endpoint
// rather than on every request.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "matrix/endpoint.hpp"

namespace matrix::detail {

// The version segment's text (to_string(PathVersion) returns it too). Every version is two
// bytes, so writing one is a fixed-size copy, not a call and a sized copy on every request.
constexpr std::string_view path_version_text(PathVersion version) noexcept {
    constexpr std::string_view kTexts = "r0v3v1";
    return kTexts.substr(2 * static_cast<std::size_t>(version), 2);
}

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

// Splits the template of `spec`; at compile time for the seed declarations (SeedCall).
// `{path_version}` is the version segment; any other placeholder names a parameter.
// Throws std::logic_error for a template with more than kMaxPieces pieces or a placeholder that
// names no parameter.
constexpr CompiledPath split_path(const EndpointSpec& spec) {
    const auto parameter_index = [&](std::string_view name) {
        if (name == "path_version") return PathPiece::kVersion;
        for (std::size_t i = 0; i < spec.params.size(); ++i) {
            if (spec.params[i].name == name) return static_cast<int>(i);
        }
        throw std::logic_error("path template of " + std::string(spec.name) + " names '" +
                               std::string(name) + "', which is no parameter");
    };
    const std::string_view tmpl = spec.path_template;
    CompiledPath out;
    std::size_t pos = 0;
    while (pos < tmpl.size()) {
        if (out.count == CompiledPath::kMaxPieces) {
            throw std::logic_error("path template of " + std::string(spec.name) +
                                   " has too many placeholders");
        }
        PathPiece& piece = out.pieces[out.count++];
        const std::size_t open = tmpl.find('{', pos);
        piece.literal = tmpl.substr(pos, open - pos);
        if (open == std::string_view::npos) break;
        const std::size_t close = tmpl.find('}', open);
        piece.placeholder = parameter_index(tmpl.substr(open + 1, close - open - 1));
        pos = close + 1;
    }
    return out;
}

// The split template of `spec`: cached for the declarations of both tables; any other is split
// on every call, into storage of the calling thread that the next call reuses.
// Throws std::logic_error for a template with more than kMaxPieces pieces or a placeholder that
// names no parameter.
const CompiledPath& compiled_path(const EndpointSpec& spec);

}  // namespace matrix::detail
