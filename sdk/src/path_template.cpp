// Splitting path templates, and the cache of the seed declarations' split templates.
#include "path_template.hpp"

#include <stdexcept>
#include <string>

#include "seed_endpoints.hpp"

namespace matrix::detail {
namespace {

int parameter_index(const EndpointSpec& spec, std::string_view name) {
    if (name == "version") return PathPiece::kVersion;
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        if (spec.params[i].name == name) return static_cast<int>(i);
    }
    throw std::logic_error("path template of " + std::string(spec.name) + " names '" +
                           std::string(name) + "', which is no parameter");
}

void split(const EndpointSpec& spec, CompiledPath& out) {
    const std::string_view tmpl = spec.path_template;
    out.count = 0;
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
        piece.placeholder = parameter_index(spec, tmpl.substr(open + 1, close - open - 1));
        pos = close + 1;
    }
}

}  // namespace

const CompiledPath& compiled_path(const EndpointSpec& spec) {
    static const auto seed_paths = [] {
        std::array<CompiledPath, std::size(seed::all)> paths;
        for (std::size_t i = 0; i < paths.size(); ++i) split(seed::all[i], paths[i]);
        return paths;
    }();
    const EndpointSpec* first = std::begin(seed::all);
    if (&spec >= first && &spec < std::end(seed::all)) {
        return seed_paths[static_cast<std::size_t>(&spec - first)];
    }
    thread_local CompiledPath other;
    split(spec, other);
    return other;
}

}  // namespace matrix::detail
