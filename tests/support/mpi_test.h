// The MPI test main (mpi_test_main.cpp) runs GoogleTest under mpirun: every rank runs every test,
// only rank 0 prints, and a test fails on every rank if it failed on any rank.
#pragma once

#include "kerec/dist/comm.h"

namespace kerec::test {

// The world communicator of the running test binary.
dist::Comm& comm();

}  // namespace kerec::test
