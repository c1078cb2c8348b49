// Typed exceptions for what cannot be recovered: bad configuration, bad input, failed I/O.
// What is expected and retried (an LLM call) is a status value, not an exception.
// Every message names the thing that failed: the file and line, the key, the call and object, the
// rank.
#pragma once

#include <stdexcept>
#include <string>

namespace kerec {

// Base of every kerec exception. main() turns it into a message and a non-zero exit.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A job configuration that is unknown, mistyped or out of range. Message: "FILE:LINE: key 'a.b':
// ...".
class ConfigError : public Error {
 public:
  using Error::Error;
};

// Input data that does not parse. Message: "FILE:LINE: column 'x': reason".
class InputError : public Error {
 public:
  using Error::Error;
};

// A failed operating-system call on a path (open, write, fsync, rename, ...), with errno's text.
class IoError : public Error {
 public:
  using Error::Error;
};

// A failed HDF5 call. Message names the call and the file/object.
class Hdf5Error : public IoError {
 public:
  using IoError::IoError;
};

// A failed MPI call, or a collective-contract violation detected by the communicator.
class CommError : public Error {
 public:
  using Error::Error;
};

// Thrown on every rank when one or more ranks failed locally and the failure was agreed on
// (see dist/agree.h). The message names the failing ranks and their errors.
class RemoteError : public Error {
 public:
  explicit RemoteError(const std::string& message, bool config_error = false)
      : Error(message), config_error_(config_error) {}
  // True when every failing rank failed with a ConfigError (main() exits with the usage code).
  bool config_error() const { return config_error_; }

 private:
  bool config_error_;
};

// Builds "what: strerror(errno_value)" for IoError messages.
std::string errno_message(const std::string& what, int errno_value);

}  // namespace kerec
