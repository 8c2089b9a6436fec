// Writing stubs to a mappings folder as files load_mapping_dir() reads back identically.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "matrix/mock/stub.hpp"

namespace matrix::mock {

struct SavedMapping {
    std::string id;
    std::string file;  // the path written
};

// Why a save wrote nothing (conflict) or stopped part-way (a write failed).
class MappingSaveError : public std::runtime_error {
  public:
    enum class Kind { conflict, io };
    MappingSaveError(Kind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    Kind kind() const noexcept { return kind_; }

  private:
    Kind kind_;
};

// Writes `text` and a newline to `path` through a temporary file and a rename, so a reader
// never sees half a file. Throws MappingSaveError (io) naming the file that could not be written.
void write_mapping_file(const std::filesystem::path& path, const std::string& text);

// Writes each stub's mapping JSON (source_json) to DIR/ID.json, through a temporary file and a
// rename so a reader never sees half a file. Nothing is written when a stub's id is already
// given by another file in DIR, or ID.json holds other mappings: the folder would then no
// longer load (two mappings with one id) or would lose mappings. Never writes outside DIR.
std::vector<SavedMapping> save_mappings(const std::string& dir, const std::vector<Stub>& stubs);

}  // namespace matrix::mock
