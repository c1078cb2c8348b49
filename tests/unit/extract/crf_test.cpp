#include "kerec/extract/crf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "kerec/dist/local_comm.h"
#include "kerec/extract/crf_train.h"
#include "kerec/util/error.h"

namespace kerec::extract {
namespace {

// Feature 1 marks mention starts, feature 2 mention continuations, feature 0 everything else.
Sequence make(std::vector<uint8_t> tags) {
  Sequence s;
  for (uint8_t t : tags) {
    s.features.push_back(t == kOutside ? 0 : t == kBegin ? 1 : 2);
    s.features.push_back(3);  // a shared bias feature
    s.offsets.push_back(static_cast<uint32_t>(s.features.size()));
  }
  s.tags = std::move(tags);
  return s;
}

double nll(const CrfModel& m, const Sequence& s) {
  int64_t v = 0;
  std::vector<int64_t> g(m.weights.size(), 0);
  accumulate_gradient(m, s, v, g);
  return std::ldexp(static_cast<double>(v), -kFixedShift);
}

TEST(Crf, GradientMatchesFiniteDifferences) {
  CrfModel m = CrfModel::zeros(4);
  for (size_t i = 0; i < m.weights.size(); ++i)
    m.weights[i] = 0.1 * std::sin(static_cast<double>(i));
  const Sequence s = make({kOutside, kBegin, kInside, kOutside});
  int64_t value = 0;
  std::vector<int64_t> grad(m.weights.size(), 0);
  accumulate_gradient(m, s, value, grad);
  for (size_t i : {size_t{0}, size_t{4}, size_t{7}, m.weights.size() - 1, m.weights.size() - 5}) {
    CrfModel plus = m, minus = m;
    plus.weights[i] += 1e-5, minus.weights[i] -= 1e-5;
    const double numeric = (nll(plus, s) - nll(minus, s)) / 2e-5;
    EXPECT_NEAR(std::ldexp(static_cast<double>(grad[i]), -kFixedShift), numeric, 1e-4)
        << "weight " << i;
  }
}

TEST(Crf, TrainingLearnsTheTagsAndViterbiDecodesThem) {
  std::vector<Sequence> data = {make({kOutside, kBegin, kInside, kOutside}),
                                make({kBegin, kOutside}), make({kOutside, kOutside, kBegin})};
  dist::LocalComm comm;
  TrainStats stats;
  const CrfModel m =
      train_crf(comm, data, {.feature_bits = 4, .l2 = 0.1, .max_iterations = 50}, &stats);
  EXPECT_LT(stats.final_objective, stats.initial_objective / 5);
  for (const auto& s : data) EXPECT_EQ(m.viterbi(s), s.tags);
  EXPECT_EQ(stats.sequences, 3);
}

TEST(Crf, SpansOfBioTags) {
  using P = std::pair<int32_t, int32_t>;
  EXPECT_EQ(spans_of({kOutside, kBegin, kInside, kOutside, kInside, kBegin}),
            (std::vector<P>{{1, 3}, {4, 5}, {5, 6}}));
}

TEST(Crf, SaveLoadRoundTripAndVersionCheck) {
  const auto path =
      std::filesystem::temp_directory_path() / ("kerec_crf_" + std::to_string(::getpid()) + ".bin");
  CrfModel m = CrfModel::zeros(6);
  m.weights[5] = 1.25;
  m.known.assign((size_t{1} << CrfModel::kVocabBits) / 8, 0);
  m.known[CrfModel::token_bucket(U"phone") >> 3] |= 1u << (CrfModel::token_bucket(U"phone") & 7);
  m.save(path);
  const CrfModel back = CrfModel::load(path);
  EXPECT_EQ(back.weights, m.weights);
  EXPECT_TRUE(back.is_known(U"phone"));
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "garbage that is not a model";
  EXPECT_THROW(CrfModel::load(path), InputError);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "kerec-crf" << std::string(8, '\x07');
  EXPECT_THROW(CrfModel::load(path), InputError);  // another format version
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace kerec::extract
