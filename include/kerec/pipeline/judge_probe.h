// `kerec judge --probe`: what a user runs first against a new endpoint. One request of
// llm.pairs_per_request pairs (spread over the run's pairs/pairs.h5 when the pairs stage has run,
// else a few everyday product pairs), printed with the raw answer, how it was read and the
// verdicts (kerec/llm/probe.h). Nothing is journaled or written to the run directory.
#pragma once

#include <ostream>

#include "kerec/dist/comm.h"
#include "kerec/pipeline/job_config.h"

namespace kerec::pipeline {

// Collective; rank 0 asks and prints to `out`. Returns the exit status on every rank: 0 when every
// pair got a readable verdict, 1 otherwise (an error the endpoint gave is printed, not thrown).
int probe_judge(dist::Comm& comm, const JobConfig& config, std::ostream& out);

}  // namespace kerec::pipeline
