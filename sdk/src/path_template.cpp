// The cache of the seed declarations' split path templates.
#include "path_template.hpp"

#include "seed_endpoints.hpp"

namespace matrix::detail {

const CompiledPath& compiled_path(const EndpointSpec& spec) {
    static const auto seed_paths = [] {
        std::array<CompiledPath, std::size(seed::all)> paths;
        for (std::size_t i = 0; i < paths.size(); ++i) paths[i] = split_path(seed::all[i]);
        return paths;
    }();
    const EndpointSpec* first = std::begin(seed::all);
    if (&spec >= first && &spec < std::end(seed::all)) {
        return seed_paths[static_cast<std::size_t>(&spec - first)];
    }
    thread_local CompiledPath other;
    other = split_path(spec);
    return other;
}

}  // namespace matrix::detail
