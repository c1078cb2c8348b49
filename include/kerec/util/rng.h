// Deterministic random numbers that do not depend on the rank count or on platform distributions.
//
// A stream is identified by (seed, purpose, id): the world generator draws user 17's bills from
// Rng(seed, "bills", 17) on whichever rank owns user 17, so the output is the same at 1, 2 or 4
// ranks. Distributions are implemented here (not std::*_distribution, whose algorithms differ
// between standard libraries) so that a seed means the same data everywhere.
#pragma once

#include <cstdint>
#include <string_view>

namespace kerec {

// SplitMix64 finaliser: a good 64-bit mixing function.
uint64_t mix64(uint64_t x);
// FNV-1a of a string, mixed; stable across platforms.
uint64_t hash64(std::string_view s);

// xoshiro256** generator seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  Rng(uint64_t seed, std::string_view purpose, uint64_t id = 0);

  uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [0, n); n > 0. Unbiased (rejection).
  uint64_t uniform_int(uint64_t n);
  // Uniform integer in [lo, hi]; lo <= hi.
  int64_t uniform_range(int64_t lo, int64_t hi);
  bool bernoulli(double p);
  // Standard normal (Box-Muller, no cached second value so state stays simple).
  double normal();
  double normal(double mean, double stddev);
  // exp(normal(mu, sigma)).
  double lognormal(double mu, double sigma);
  // Exponential with the given rate (> 0).
  double exponential(double rate);
  // Poisson with the given mean (>= 0): Knuth for small means, normal approximation above 64.
  uint64_t poisson(double mean);

 private:
  uint64_t s_[4];
};

}  // namespace kerec
