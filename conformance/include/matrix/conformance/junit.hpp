// JUnit XML reports of a conformance run, for CI systems that display them.
#pragma once

#include <ostream>

#include "matrix/conformance/runner.hpp"

namespace matrix::conformance {

// One <testsuite> per vector file, one <testcase> per vector; malformed vectors are <error>s.
void write_junit(std::ostream& out, const RunReport& report);

}  // namespace matrix::conformance
