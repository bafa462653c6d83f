// The float64 reference against hand-computable cases: it is the oracle of every kernel test.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <optiloop/kernels/attention_reference.hpp>

using namespace optiloop::kernels;

TEST(AttentionReference, OneKeyReturnsItsValue) {
    AttentionShape s{1, 1, 1, 1, 1, 4, false};
    const std::vector<double> q = {1, 2, 3, 4}, k = {0.5, -1, 2, 0}, v = {7, 8, 9, 10};
    std::vector<double> out(4), lse(1);
    attention_reference(s, q.data(), k.data(), v.data(), out.data(), lse.data());
    EXPECT_EQ(out, v);
    EXPECT_NEAR(lse[0], (0.5 - 2 + 6) / 2.0, 1e-12);  // one score: q.k * 1/sqrt(4)
}

TEST(AttentionReference, EqualScoresAverageTheValues) {
    AttentionShape s{1, 1, 1, 1, 3, 2, false};
    const std::vector<double> q = {0, 0}, k = {1, 2, 3, 4, 5, 6}, v = {1, 10, 2, 20, 3, 30};
    std::vector<double> out(2), lse(1);
    attention_reference(s, q.data(), k.data(), v.data(), out.data(), lse.data());
    EXPECT_NEAR(out[0], 2.0, 1e-12);
    EXPECT_NEAR(out[1], 20.0, 1e-12);
    EXPECT_NEAR(lse[0], std::log(3.0), 1e-12);
}

TEST(AttentionReference, CausalFirstQuerySeesOnlyTheFirstKey) {
    AttentionShape s{1, 1, 1, 3, 3, 2, true};
    std::mt19937_64 rng(1);
    std::normal_distribution<double> n;
    std::vector<double> q(6), k(6), v(6), out(6);
    for (auto* x : {&q, &k, &v})
        for (auto& e : *x) e = n(rng);
    attention_reference(s, q.data(), k.data(), v.data(), out.data());
    EXPECT_NEAR(out[0], v[0], 1e-12);
    EXPECT_NEAR(out[1], v[1], 1e-12);
}

TEST(AttentionReference, GroupedQueryHeadsShareTheirKvHead) {
    // Four query heads over two KV heads: heads 0 and 1 read KV head 0, so equal queries give equal outputs.
    AttentionShape s{1, 4, 2, 1, 5, 8, false};
    std::mt19937_64 rng(2);
    std::normal_distribution<double> n;
    std::vector<double> q(s.q_elements()), k(s.kv_elements()), v(s.kv_elements()), out(s.q_elements());
    for (auto& e : k) e = n(rng);
    for (auto& e : v) e = n(rng);
    for (std::size_t x = 0; x < 8; ++x) q[x] = q[8 + x] = q[16 + x] = n(rng);
    attention_reference(s, q.data(), k.data(), v.data(), out.data());
    for (std::size_t x = 0; x < 8; ++x) {
        EXPECT_DOUBLE_EQ(out[x], out[8 + x]);
        EXPECT_NE(out[x], out[16 + x]);  // same query, other KV head
    }
}

TEST(AttentionReference, RelativeError) {
    EXPECT_DOUBLE_EQ(relative_l2_error({1, 2}, {1, 2}), 0);
    EXPECT_NEAR(relative_l2_error({3, 4}, {0, 5}), std::sqrt(9.0 + 1.0) / 5.0, 1e-12);
    EXPECT_TRUE(std::isinf(relative_l2_error({1}, {1, 2})));
}

TEST(AttentionReference, CausalWithFewerKeysThanQueriesLeavesEarlyRowsEmpty) {
    optiloop::kernels::AttentionShape s;
    s.q_len = 4;
    s.kv_len = 2;
    s.head_dim = 2;
    s.causal = true;
    std::vector<double> q(8, 0.5), k(4, 0.25), v = {1, 2, 3, 4}, out(8, -1), lse(4, 0);
    optiloop::kernels::attention_reference(s, q.data(), k.data(), v.data(), out.data(), lse.data());
    // Rows 0 and 1 see no key (end-aligned: row i sees keys j <= i - 2); row 2 sees key 0 only.
    EXPECT_EQ(out[0], 0);
    EXPECT_TRUE(std::isinf(lse[0]) && lse[0] < 0);
    EXPECT_TRUE(std::isinf(lse[1]) && lse[1] < 0);
    EXPECT_DOUBLE_EQ(out[4], 1);
    EXPECT_DOUBLE_EQ(out[5], 2);
    EXPECT_FALSE(std::isinf(lse[2]));
}
