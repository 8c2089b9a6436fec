// The encoders specialised for the first half of the seed forms (see request_encoder.hpp).
#include "request_encoder.hpp"

namespace matrix::detail {

const std::array<SeedFormEncoder, kSeedFormsInFirstHalf> kFirstHalfSeedFormEncoders =
    seed_form_encoders<0, kSeedFormsInFirstHalf>();

}  // namespace matrix::detail
