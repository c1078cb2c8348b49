// ranker.h5 and eei.h5: round trips, and refusals that name the file.
#include <gtest/gtest.h>

#include "../../support/temp_dir_test.h"
#include "kerec/train/eei_file.h"
#include "kerec/train/ranker_file.h"
#include "kerec/util/error.h"
#include "synthetic.h"

namespace kerec::train::test {
namespace {

class ArtifactFiles : public kerec::test::TempDirTest {};

TEST_F(ArtifactFiles, RankerRoundTripAndDenseFeaturesMustMatch) {
  const auto items = synthetic_items();
  RankerShape shape = small_shape(items);
  shape.dense = 3;
  RankerModel written(shape, 1), read(shape, 2);
  write_ranker_file(path("ranker.h5"), written, "sha");
  read_ranker_file(path("ranker.h5"), read);
  EXPECT_EQ(
      std::vector<float>(read.params().flat_values().begin(), read.params().flat_values().end()),
      std::vector<float>(written.params().flat_values().begin(),
                         written.params().flat_values().end()));
  EXPECT_EQ(read.params().table(1).weight, written.params().table(1).weight);
  RankerModel baseline(small_shape(items), 3);
  try {
    read_ranker_file(path("ranker.h5"), baseline);
    FAIL() << "a ranker with dense features was read into one without";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ranker.h5: a ranker with 3 dense features, expected 0"),
              std::string::npos);
  }
}

TEST_F(ArtifactFiles, EeiWeightsRoundTripAndOtherSchemasAreRefused) {
  ComplementWeights w;
  const std::vector<int32_t> a = {0, 0, 2}, b = {1, 3, 0};
  const std::vector<float> weight = {0.5f, 1.5f, 0.0f};
  w.graph = EntityGraph::from_edges(4, a, b, weight);
  w.recency = {1.0, 0.5, 0.25};
  w.window_h = 72;
  write_eei_file(path("eei.h5"), w, nullptr, {}, "sha");
  const auto r = read_eei_weights(path("eei.h5"));
  EXPECT_EQ(r.graph.offsets, w.graph.offsets);
  EXPECT_EQ(r.graph.targets, w.graph.targets);
  EXPECT_EQ(r.graph.weights, w.graph.weights);
  EXPECT_EQ(r.recency, w.recency);
  EXPECT_EQ(r.window_h, 72);
  RankerModel ranker(small_shape(synthetic_items()), 1);
  write_ranker_file(path("ranker.h5"), ranker, "sha");
  EXPECT_THROW(read_eei_weights(path("ranker.h5")), std::exception);
}

}  // namespace
}  // namespace kerec::train::test
