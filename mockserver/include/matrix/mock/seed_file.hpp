// Seed files: users, and rooms with members, state and messages, put into a simulation at once
// (matrix-mockserver --seed FILE). The format is in docs/seeding.md.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "matrix/error.hpp"
#include "matrix/mock/simulation.hpp"

namespace matrix::mock {

// A seed file that cannot be read or applied; what() is "FILE: KEY: reason", the key a path
// into the document such as rooms[1].members[0].
class SeedFileError : public StandardError<std::runtime_error> {
  public:
    using StandardError::StandardError;
};

// Seeds `simulation` from the file, in document order: every user, then every room with its
// messages. Returns the sessions of the users it added, in file order. Stops at the first
// error, leaving what came before it seeded.
std::vector<Session> seed_from_file(Simulation& simulation, const std::filesystem::path& file);

// The same for a document in memory; `name` is what errors call it.
std::vector<Session> seed_from_text(Simulation& simulation, std::string_view text,
                                    std::string_view name);

}  // namespace matrix::mock
