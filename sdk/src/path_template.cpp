// The cache of the declarations' split path templates, both tables.
#include "path_template.hpp"

#include <vector>

namespace matrix::detail {
namespace {

std::vector<CompiledPath> split_all(std::span<const EndpointSpec> table) {
    std::vector<CompiledPath> paths;
    paths.reserve(table.size());
    for (const EndpointSpec& spec : table) paths.push_back(split_path(spec));
    return paths;
}

const CompiledPath* cached(std::span<const EndpointSpec> table,
                           const std::vector<CompiledPath>& paths, const EndpointSpec& spec) {
    if (&spec < table.data() || &spec >= table.data() + table.size()) return nullptr;
    return &paths[static_cast<std::size_t>(&spec - table.data())];
}

}  // namespace

const CompiledPath& compiled_path(const EndpointSpec& spec) {
    static const std::vector<CompiledPath> seed_paths = split_all(seed_endpoints());
    static const std::vector<CompiledPath> operation_paths = split_all(spec_operations());
    if (const CompiledPath* path = cached(seed_endpoints(), seed_paths, spec)) return *path;
    if (const CompiledPath* path = cached(spec_operations(), operation_paths, spec)) return *path;
    thread_local CompiledPath other;
    other = split_path(spec);
    return other;
}

}  // namespace matrix::detail
