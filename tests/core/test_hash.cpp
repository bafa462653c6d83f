#include <gtest/gtest.h>

#include <optiloop/core/hash.hpp>

using optiloop::core::Hasher;
using optiloop::core::hash_hex;

TEST(Hash, StableAndPartSensitive) {
    EXPECT_EQ(hash_hex("abc"), hash_hex("abc"));
    EXPECT_NE(hash_hex("abc"), hash_hex("abd"));
    EXPECT_EQ(hash_hex("abc").size(), 32u);
    EXPECT_NE(Hasher().add("ab").add("c").hex(), Hasher().add("a").add("bc").hex());
    EXPECT_EQ(Hasher().add("ab").add("c").hex(), Hasher().add("ab").add("c").hex());
}
