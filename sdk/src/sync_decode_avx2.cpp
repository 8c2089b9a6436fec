// The /sync decoder for x86-64 CPUs with AVX2 (Haswell, 2013, and later). CMake compiles this
// file alone with -mavx2 -mbmi -mpclmul -mlzcnt, which makes simdjson's On-Demand use its
// Haswell kernel; Decoder only calls it after checking the CPU.
#include <simdjson.h>

#if !SIMDJSON_CAN_ALWAYS_RUN_HASWELL
#error "sync_decode_avx2.cpp must be compiled with -mavx2 -mbmi -mpclmul -mlzcnt"
#endif

#define MATRIX_SYNC_KERNEL_NAMESPACE avx2_kernel
#define MATRIX_SYNC_KERNEL_NAME "avx2"
#include "sync_decode_kernel.hpp"

static_assert(simdjson::SIMDJSON_PADDING == matrix::sync::detail::kInputPadding);

namespace matrix::sync::detail {

std::unique_ptr<DecodeKernel> make_avx2_kernel() {
    return std::make_unique<avx2_kernel::OnDemandKernel>();
}

}  // namespace matrix::sync::detail
