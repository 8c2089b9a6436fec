// The encoders specialised for the second half of the seed forms (see request_encoder.hpp).
#include "request_encoder.hpp"

namespace matrix::detail {

const std::array<SeedFormEncoder, kSeedFormsInSecondHalf> kSecondHalfSeedFormEncoders =
    seed_form_encoders<kSeedFormsInFirstHalf, kSeedFormsInSecondHalf>();

}  // namespace matrix::detail
