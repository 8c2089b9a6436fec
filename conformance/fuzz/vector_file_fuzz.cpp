// Fuzzes the vector file loader: any text loads into vectors and problems without throwing
// (the loader promises never to throw for bad input), and every vector it accepts can be
// checked at builder level without an exception escaping.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "matrix/conformance/runner.hpp"
#include "matrix/conformance/vector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace matrix::conformance;
    const std::string_view input = matrix::fuzz::as_text(data, size);

    const VectorFile file = parse_vector_file("fuzz.json", input);
    for (const VectorProblem& problem : file.problems) {
        matrix::fuzz::check(problem.file == "fuzz.json", "a problem names another file");
        matrix::fuzz::check(!problem.reason.empty(), "a problem without a reason");
    }
    for (const Vector& vector : file.vectors) {
        const VectorResult result = check_at_builder_level(vector);
        matrix::fuzz::check(result.vector_id == vector.id, "a result names another vector");
    }
    return 0;
}
