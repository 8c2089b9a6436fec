// matrix::Error, the one base of every exception the libraries throw, and the two ways a
// builder refuses a call: a refused value, or arguments that do not fit the endpoint.
#pragma once

#include <stdexcept>
#include <string>

namespace matrix {

// Every exception type of the SDK, the client, the /sync decoder, the mock homeserver and the
// conformance runner derives from Error, so `catch (const matrix::Error& e)` catches them all
// and e.what() says what went wrong.
//
// Error is a mix-in, not a std::exception: each type also keeps the standard base it always had
// (std::invalid_argument for refused arguments and bad mappings, std::runtime_error for the
// rest) through StandardError below, so existing `catch (const std::invalid_argument&)` and
// `catch (const std::runtime_error&)` sites keep working. Deriving Error itself from a standard
// exception would give those types two std::exception bases, and `catch (const
// std::exception&)` would then no longer catch them (an ambiguous base does not match).
class Error {
  public:
    virtual ~Error() = default;
    virtual const char* what() const noexcept = 0;

  protected:
    Error() = default;
    Error(const Error&) = default;
    Error& operator=(const Error&) = default;
};

// A matrix::Error that is also the standard exception `Standard` (its constructors, its what()).
template <class Standard>
class StandardError : public Standard, public Error {
  public:
    using Standard::Standard;
    const char* what() const noexcept override { return Standard::what(); }
};

// A value the builder refuses, e.g. an empty path identifier or a token that would inject a
// header. `argument()` names the offending argument as the seed names it.
class InvalidArgument : public StandardError<std::invalid_argument> {
  public:
    InvalidArgument(std::string argument, const std::string& reason)
        : StandardError("argument '" + argument + "' " + reason), argument_(std::move(argument)) {}

    const std::string& argument() const noexcept { return argument_; }

  private:
    std::string argument_;
};

// Arguments given by name (JSON) that do not fit any form of the endpoint: unknown endpoint,
// unknown or missing argument, wrong JSON type. Only the by-name builder raises it; the typed
// API makes these mistakes impossible at compile time.
class ArgumentSchemaError : public StandardError<std::invalid_argument> {
  public:
    using StandardError::StandardError;
};

class UnknownEndpoint : public ArgumentSchemaError {
  public:
    using ArgumentSchemaError::ArgumentSchemaError;
};

}  // namespace matrix
