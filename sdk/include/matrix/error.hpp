// The two ways a builder refuses a call: a refused value, or arguments that do not fit the
// endpoint.
#pragma once

#include <stdexcept>
#include <string>

namespace matrix {

// A value the builder refuses, e.g. an empty path identifier or a token that would inject a
// header. `argument()` names the offending argument as the seed names it.
class InvalidArgument : public std::invalid_argument {
  public:
    InvalidArgument(std::string argument, const std::string& reason)
        : std::invalid_argument("argument '" + argument + "' " + reason),
          argument_(std::move(argument)) {}

    const std::string& argument() const noexcept { return argument_; }

  private:
    std::string argument_;
};

// Arguments given by name (JSON) that do not fit any form of the endpoint: unknown endpoint,
// unknown or missing argument, wrong JSON type. Only the by-name builder raises it; the typed
// API makes these mistakes impossible at compile time.
class ArgumentSchemaError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

class UnknownEndpoint : public ArgumentSchemaError {
  public:
    using ArgumentSchemaError::ArgumentSchemaError;
};

}  // namespace matrix
