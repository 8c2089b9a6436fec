// The percent-encoding writers of wire_text.hpp and the choice between them. Each is one
// function with the whole block walk inlined into it (flatten), so the SSSE3 one runs its
// classification inline although the rest of the SDK is compiled for plain x86-64.
#include <atomic>
#include <string_view>

#include "byte_blocks.hpp"
#include "wire_text.hpp"

namespace matrix::detail {

char* write_percent_encoded_baseline(char* out, std::string_view value,
                                     LaneMask* non_ascii) noexcept {
    return write_encoded<percent_escaped_lanes>(out, kPercentEncoded, value, non_ascii);
}

#if defined(MATRIX_HAVE_SSSE3_PERCENT_LANES)
[[gnu::target("ssse3"), gnu::flatten]] char* write_percent_encoded_ssse3(
    char* out, std::string_view value, LaneMask* non_ascii) noexcept {
    return write_encoded<percent_escaped_lanes_ssse3>(out, kPercentEncoded, value, non_ascii);
}
#endif

namespace {

PercentWriter writer_for_this_cpu() noexcept {
#if defined(MATRIX_HAVE_SSSE3_PERCENT_LANES)
    __builtin_cpu_init();  // may run before the constructor that would otherwise call it
    if (__builtin_cpu_supports("ssse3")) return &write_percent_encoded_ssse3;
#endif
    return &write_percent_encoded_baseline;
}

char* choose_then_write(char* out, std::string_view value, LaneMask* non_ascii) noexcept {
    const PercentWriter chosen = writer_for_this_cpu();
    percent_writer.store(chosen, std::memory_order_relaxed);
    return chosen(out, value, non_ascii);
}

}  // namespace

// Constant-initialised: no static initialisation order to get wrong.
std::atomic<PercentWriter> percent_writer{&choose_then_write};

}  // namespace matrix::detail
