#include "kerec/util/error.h"

#include <cstring>

namespace kerec {

std::string errno_message(const std::string& what, int errno_value) {
  return what + ": " + std::strerror(errno_value);
}

}  // namespace kerec
