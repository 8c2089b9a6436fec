// Runs every vector file under fixtures/vectors/, one test per vector id, at builder level or
// (built with MATRIX_WIRE_LEVEL) on the wire through the mock homeserver.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "matrix/conformance/runner.hpp"
#include "matrix/conformance/wire.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/named_builder.hpp"

namespace matrix::conformance {
namespace {

// GoogleTest names allow only letters, digits and underscores.
std::string test_name(std::string_view text) {
    std::string name;
    for (const char c : text) {
        name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    }
    return name.empty() ? "unnamed" : name;
}

std::string describe(const VectorResult& result) {
    std::string text;
    if (result.outcome == Outcome::malformed) return "malformed: " + result.detail;
    for (const Mismatch& mismatch : result.mismatches) {
        text += mismatch.field + ": expected " + mismatch.expected + ", actual " + mismatch.actual +
                "\n";
    }
    return text;
}

class VectorTest : public testing::Test {
  public:
    explicit VectorTest(Vector vector) : vector_(std::move(vector)) {}
    void TestBody() override {
#ifdef MATRIX_WIRE_LEVEL
        // One mock homeserver per process; ctest runs each test in its own process.
        static WireLevelChecker checker;
        const VectorResult result = checker.check(vector_);
#else
        const VectorResult result = check_at_builder_level(vector_);
#endif
        EXPECT_EQ(result.outcome, Outcome::passed) << describe(result) << result.detail;
    }

  private:
    Vector vector_;
};

class ProblemTest : public testing::Test {
  public:
    explicit ProblemTest(VectorProblem problem) : problem_(std::move(problem)) {}
    void TestBody() override {
        ADD_FAILURE() << problem_.file << ": vector '" << problem_.vector_id
                      << "': " << problem_.reason;
    }

  private:
    VectorProblem problem_;
};

// Fails when a seed endpoint form has no vector in any shipped file.
class CoverageTest : public testing::Test {
  public:
    explicit CoverageTest(std::vector<Vector> vectors) : vectors_(std::move(vectors)) {}
    void TestBody() override {
        std::set<const EndpointSpec*> covered;
        for (const Vector& vector : vectors_) {
            try {
                covered.insert(&select_form(vector.endpoint, vector.args_json));
            } catch (const std::exception&) {
                // Malformed vectors fail in their own tests.
            }
        }
        for (const EndpointSpec& spec : seed_endpoints()) {
            EXPECT_TRUE(covered.count(&spec) == 1)
                << "no vector covers " << spec.name << (spec.form.empty() ? "" : " (") << spec.form
                << (spec.form.empty() ? "" : ")");
        }
    }

  private:
    std::vector<Vector> vectors_;
};

void register_vector_files(const std::filesystem::path& directory) {
    std::vector<Vector> all_vectors;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::ranges::sort(files);
    for (const auto& path : files) {
        const std::string suite = test_name(path.stem().string());
        VectorFile file = load_vector_file(path.string());
        all_vectors.insert(all_vectors.end(), file.vectors.begin(), file.vectors.end());
        for (Vector& vector : file.vectors) {
            const std::string name = test_name(vector.id);
            testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                  [vector = std::move(vector)]() -> testing::Test* {
                                      return new VectorTest(vector);
                                  });
        }
        // A malformed file or vector is a failing test, never a silently smaller suite.
        std::size_t index = 0;
        for (VectorProblem& problem : file.problems) {
            const std::string name =
                "malformed_" + std::to_string(index++) + "_" + test_name(problem.vector_id);
            testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                  [problem = std::move(problem)]() -> testing::Test* {
                                      return new ProblemTest(problem);
                                  });
        }
    }
#ifndef MATRIX_WIRE_LEVEL
    testing::RegisterTest("Coverage", "EverySeedEndpointFormHasAVector", nullptr, nullptr, __FILE__,
                          __LINE__, [all_vectors = std::move(all_vectors)]() -> testing::Test* {
                              return new CoverageTest(all_vectors);
                          });
#endif
}

}  // namespace
}  // namespace matrix::conformance

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    matrix::conformance::register_vector_files(MATRIX_VECTOR_DIR);
    return RUN_ALL_TESTS();
}
