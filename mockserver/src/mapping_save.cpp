// Writing stubs to a mappings folder: conflicts are found before any file is touched.
#include "mapping_save.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

namespace matrix::mock {
namespace {

namespace fs = std::filesystem;

// The mapping ids each *.json file in `dir` gives, as load_mapping_dir() would read them. A
// file that does not load is left out: it stops the folder loading whatever is saved.
std::map<fs::path, std::set<std::string>> ids_by_file(const fs::path& dir) {
    std::map<fs::path, std::set<std::string>> out;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
        if (entry.path().extension() != ".json" || !entry.is_regular_file(error)) continue;
        try {
            std::set<std::string>& ids = out[entry.path().filename()];
            for (const Stub& stub : load_mapping_file(entry.path().string(), dir.string()))
                ids.insert(stub.id);
        } catch (const MappingFileError&) {
            out.erase(entry.path().filename());
        }
    }
    if (error) {
        throw MappingSaveError(
            MappingSaveError::Kind::io,
            "the mappings folder " + dir.string() + " cannot be listed: " + error.message());
    }
    return out;
}

// ID.json, or nothing when the id would name a path rather than a file in the folder (parsed
// ids cannot, but stubs from the in-process API are not parsed).
std::optional<fs::path> file_name_for(const std::string& id) {
    const fs::path name = fs::path(id + ".json");
    if (id.empty() || id.find('/') != std::string::npos || name != name.filename() || id == "." ||
        id == "..")
        return std::nullopt;
    return name;
}

}  // namespace

void write_mapping_file(const std::filesystem::path& path, const std::string& text) {
    // Not *.json, so a loader never reads it half-written.
    fs::path temporary = path;
    temporary += ".saving";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text << '\n';
        out.close();
        if (!out) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw MappingSaveError(MappingSaveError::Kind::io,
                                   "cannot write " + temporary.string());
        }
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        fs::remove(temporary, error);
        throw MappingSaveError(MappingSaveError::Kind::io, "cannot rename " + temporary.string() +
                                                               " to " + path.string() + ": " +
                                                               error.message());
    }
}

std::vector<SavedMapping> save_mappings(const std::string& dir_text,
                                        const std::vector<Stub>& stubs) {
    const fs::path dir(dir_text);
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
        throw MappingSaveError(MappingSaveError::Kind::conflict,
                               "the mappings folder " + dir_text + " is not a directory");
    }
    const auto existing = ids_by_file(dir);
    std::vector<std::pair<fs::path, const Stub*>> plan;
    for (const Stub& stub : stubs) {
        const std::optional<fs::path> name = file_name_for(stub.id);
        if (!name) {
            throw MappingSaveError(MappingSaveError::Kind::conflict,
                                   "stub id '" + stub.id + "' cannot name a file in the folder");
        }
        for (const auto& [file, ids] : existing) {
            if (file == *name) {
                for (const std::string& other : ids) {
                    if (other != stub.id) {
                        throw MappingSaveError(
                            MappingSaveError::Kind::conflict,
                            (dir / file).string() + " also holds mapping '" + other +
                                "'; saving stub '" + stub.id +
                                "' would replace it (move that mapping to its own file)");
                    }
                }
            } else if (ids.contains(stub.id)) {
                throw MappingSaveError(MappingSaveError::Kind::conflict,
                                       "mapping '" + stub.id + "' is already given by " +
                                           (dir / file).string() +
                                           "; saving it as well would give the id twice (edit "
                                           "or remove that file, or delete the stub)");
            }
        }
        plan.emplace_back(dir / *name, &stub);
    }
    std::vector<SavedMapping> saved;
    for (const auto& [path, stub] : plan) {
        try {
            write_mapping_file(path, stub->source_json);
        } catch (const MappingSaveError& e) {
            std::string written;
            for (const SavedMapping& done : saved) written += " " + done.file;
            throw MappingSaveError(e.kind(), std::string(e.what()) + " (written before it:" +
                                                 (written.empty() ? " none" : written) + ")");
        }
        saved.push_back({stub->id, path.string()});
    }
    return saved;
}

}  // namespace matrix::mock
