// The dashboard's files (mockserver/ui/), embedded into the binary at build time by
// cmake/EmbedFiles.cmake, so GET /__admin/ui works wherever the server runs.
#pragma once

#include <span>
#include <string_view>

namespace matrix::mock {

struct EmbeddedFile {
    std::string_view name;   // the file's name, e.g. "dashboard.js"
    std::string_view bytes;  // its contents, exactly as committed
};

// Every file of mockserver/ui/, in the order CMake lists them.
std::span<const EmbeddedFile> ui_assets() noexcept;

}  // namespace matrix::mock
