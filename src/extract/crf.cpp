#include "kerec/extract/crf.h"

#include <algorithm>
#include <array>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cmath>
#include <cstring>
#include <fstream>

#include "kerec/util/error.h"

namespace kerec::extract {
namespace {

using Row = std::array<double, kTags>;

size_t transition_at(uint32_t bits, int from, int to) {
  return (size_t{1} << bits) * kTags + static_cast<size_t>(from * kTags + to);
}
size_t start_at(uint32_t bits, int y) { return (size_t{1} << bits) * kTags + kTags * kTags + y; }

// Emission scores: scores[t][y].
std::vector<Row> emissions(const CrfModel& m, const Sequence& s) {
  std::vector<Row> out(s.size(), Row{0, 0, 0});
  for (size_t t = 0; t < s.size(); ++t)
    for (uint32_t k = s.offsets[t]; k < s.offsets[t + 1]; ++k) {
      const double* w = &m.weights[static_cast<size_t>(s.features[k]) * kTags];
      for (int y = 0; y < kTags; ++y) out[t][y] += w[y];
    }
  return out;
}

double log_sum_exp(const double* v, int n) {
  double top = *std::max_element(v, v + n), sum = 0;
  for (int i = 0; i < n; ++i) sum += std::exp(v[i] - top);
  return top + std::log(sum);
}

constexpr char kMagic[9] = {'k', 'e', 'r', 'e', 'c', '-', 'c', 'r', 'f'};

int64_t fixed(double x) { return std::llround(std::ldexp(x, kFixedShift)); }

}  // namespace

CrfModel CrfModel::zeros(uint32_t feature_bits) {
  return CrfModel{feature_bits, std::vector<double>(parameter_count(feature_bits), 0.0), {}};
}

uint32_t CrfModel::token_bucket(std::u32string_view token) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char32_t c : token) h = (h ^ c) * 0x100000001b3ULL;
  h ^= h >> 31;
  return static_cast<uint32_t>(h) & ((uint32_t{1} << kVocabBits) - 1);
}

bool CrfModel::is_known(std::u32string_view token) const {
  if (known.empty()) return true;
  const uint32_t b = token_bucket(token);
  return (known[b >> 3] >> (b & 7)) & 1;
}

std::vector<uint8_t> CrfModel::viterbi(const Sequence& s) const {
  const size_t n = s.size();
  if (n == 0) return {};
  const auto em = emissions(*this, s);
  std::vector<Row> score(n);
  std::vector<std::array<uint8_t, kTags>> back(n);
  for (int y = 0; y < kTags; ++y) score[0][y] = weights[start_at(feature_bits, y)] + em[0][y];
  for (size_t t = 1; t < n; ++t)
    for (int y = 0; y < kTags; ++y) {
      int arg = 0;
      double best = -INFINITY;
      for (int p = 0; p < kTags; ++p) {
        const double v = score[t - 1][p] + weights[transition_at(feature_bits, p, y)];
        if (v > best) best = v, arg = p;
      }
      score[t][y] = best + em[t][y];
      back[t][y] = static_cast<uint8_t>(arg);
    }
  std::vector<uint8_t> tags(n);
  tags[n - 1] = static_cast<uint8_t>(std::max_element(score[n - 1].begin(), score[n - 1].end()) -
                                     score[n - 1].begin());
  for (size_t t = n - 1; t > 0; --t) tags[t - 1] = back[t][tags[t]];
  return tags;
}

void accumulate_gradient(const CrfModel& m, const Sequence& s, int64_t& nll,
                         std::vector<int64_t>& grad) {
  const size_t n = s.size();
  if (n == 0) return;
  const uint32_t bits = m.feature_bits;
  const auto em = emissions(m, s);
  double trans[kTags][kTags];
  for (int p = 0; p < kTags; ++p)
    for (int y = 0; y < kTags; ++y) trans[p][y] = m.weights[transition_at(bits, p, y)];
  std::vector<Row> alpha(n), beta(n);
  for (int y = 0; y < kTags; ++y) alpha[0][y] = m.weights[start_at(bits, y)] + em[0][y];
  for (size_t t = 1; t < n; ++t)
    for (int y = 0; y < kTags; ++y) {
      double v[kTags];
      for (int p = 0; p < kTags; ++p) v[p] = alpha[t - 1][p] + trans[p][y];
      alpha[t][y] = log_sum_exp(v, kTags) + em[t][y];
    }
  beta[n - 1] = Row{0, 0, 0};
  for (size_t t = n - 1; t > 0; --t)
    for (int p = 0; p < kTags; ++p) {
      double v[kTags];
      for (int y = 0; y < kTags; ++y) v[y] = trans[p][y] + em[t][y] + beta[t][y];
      beta[t - 1][p] = log_sum_exp(v, kTags);
    }
  const double log_z = log_sum_exp(alpha[n - 1].data(), kTags);
  // Gold score.
  double gold = m.weights[start_at(bits, s.tags[0])];
  for (size_t t = 0; t < n; ++t) {
    gold += em[t][s.tags[t]];
    if (t > 0) gold += trans[s.tags[t - 1]][s.tags[t]];
  }
  nll += fixed(log_z - gold);
  // Emission and start gradients: marginal - gold indicator, per position, in fixed point.
  for (size_t t = 0; t < n; ++t) {
    int64_t delta[kTags];
    for (int y = 0; y < kTags; ++y)
      delta[y] = fixed(std::exp(alpha[t][y] + beta[t][y] - log_z) - (s.tags[t] == y ? 1.0 : 0.0));
    for (uint32_t k = s.offsets[t]; k < s.offsets[t + 1]; ++k) {
      int64_t* g = &grad[static_cast<size_t>(s.features[k]) * kTags];
      for (int y = 0; y < kTags; ++y) g[y] += delta[y];
    }
    if (t == 0)
      for (int y = 0; y < kTags; ++y) grad[start_at(bits, y)] += delta[y];
  }
  for (size_t t = 1; t < n; ++t)
    for (int p = 0; p < kTags; ++p)
      for (int y = 0; y < kTags; ++y) {
        const double pair = std::exp(alpha[t - 1][p] + trans[p][y] + em[t][y] + beta[t][y] - log_z);
        const double is_gold = (s.tags[t - 1] == p && s.tags[t] == y) ? 1.0 : 0.0;
        grad[transition_at(bits, p, y)] += fixed(pair - is_gold);
      }
}

std::vector<std::pair<int32_t, int32_t>> spans_of(const std::vector<uint8_t>& tags) {
  std::vector<std::pair<int32_t, int32_t>> spans;
  for (int32_t t = 0; t < static_cast<int32_t>(tags.size()); ++t) {
    if (tags[t] == kOutside) continue;
    const bool continues = tags[t] == kInside && t > 0 && tags[t - 1] != kOutside;
    if (continues)
      spans.back().second = t + 1;
    else
      spans.emplace_back(t, t + 1);
  }
  return spans;
}

void CrfModel::save(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(errno_message("open " + path.string() + " for writing", errno));
  out.write(kMagic, sizeof kMagic);
  {
    cereal::PortableBinaryOutputArchive archive(out);
    archive(kFormatVersion, feature_bits, weights, known);
  }
  out.close();
  if (!out) throw IoError("writing " + path.string() + " failed");
}

CrfModel CrfModel::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(errno_message("open " + path.string(), errno));
  char magic[sizeof kMagic] = {};
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0)
    throw InputError(path.string() + ": not a kerec CRF model (no 'kerec-crf' header)");
  int64_t version = 0;
  CrfModel m;
  try {
    cereal::PortableBinaryInputArchive archive(in);
    archive(version);
    if (version != kFormatVersion)
      throw InputError(path.string() + ": CRF model format version " + std::to_string(version) +
                       ", this build reads " + std::to_string(kFormatVersion));
    archive(m.feature_bits, m.weights, m.known);
  } catch (const cereal::Exception& e) {
    throw InputError(path.string() + ": corrupt CRF model: " + e.what());
  }
  const bool known_ok = m.known.empty() || m.known.size() == (size_t{1} << kVocabBits) / 8;
  if (m.feature_bits > 30 || m.weights.size() != parameter_count(m.feature_bits) || !known_ok)
    throw InputError(path.string() + ": CRF model has " + std::to_string(m.weights.size()) +
                     " weights, expected " + std::to_string(parameter_count(m.feature_bits)));
  return m;
}

}  // namespace kerec::extract
