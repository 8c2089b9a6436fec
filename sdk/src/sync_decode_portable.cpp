// The /sync decoder for any CPU: simdjson's portable (fallback) On-Demand kernel.
#include <simdjson.h>

#define MATRIX_SYNC_KERNEL_NAMESPACE portable_kernel
#define MATRIX_SYNC_KERNEL_NAME "portable"
#include "sync_decode_kernel.hpp"

static_assert(simdjson::SIMDJSON_PADDING == matrix::sync::detail::kInputPadding);

namespace matrix::sync::detail {

std::unique_ptr<DecodeKernel> make_portable_kernel() {
    return std::make_unique<portable_kernel::OnDemandKernel>();
}

}  // namespace matrix::sync::detail
