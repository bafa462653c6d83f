// Function ranges as the source is written: a function that starts with a macro begins where the
// macro is used (not on the macro's #define line), a function a macro defines spans the macro's
// use, and a GoogleTest TEST body is a function named Suite.Name.
#include <gtest/gtest.h>

#include <filesystem>

#include <optiloop/analyzer/analyzer.hpp>

using namespace optiloop;

namespace {

const analyzer::Function* find(const analyzer::Analysis& a, const std::string& name) {
    for (const auto& f : a.functions)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace

TEST(FunctionRanges, AMacroBeforeAFunctionDoesNotMoveItsStart) {
    const std::string source =
        "#define LIB_ALWAYS_INLINE __attribute__((always_inline))\n"  // 1
        "#define DEFINE_GETTER(name, value) int name() { return value; }\n"
        "\n"
        "LIB_ALWAYS_INLINE inline int helper(int x) {\n"  // 4
        "  return x + 1;\n"
        "}\n"  // 6
        "DEFINE_GETTER(answer,\n"  // 7
        "              42)\n"  // 8
        "int other() { return helper(answer()); }\n";  // 9
    auto a = analyzer::analyze({{"lib.cpp", source}}, {});
    ASSERT_TRUE(a) << a.error().message;
    const auto* helper = find(*a, "helper");
    ASSERT_TRUE(helper);
    EXPECT_EQ(helper->begin_line, 4u);
    EXPECT_EQ(helper->end_line, 6u);
    const auto* answer = find(*a, "answer");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->begin_line, 7u);
    EXPECT_EQ(answer->end_line, 8u);
    const auto* other = find(*a, "other");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->begin_line, 9u);
}

TEST(FunctionRanges, AGoogleTestBodyIsAFunctionNamedSuiteDotName) {
    if (!std::filesystem::exists("/usr/include/gtest/gtest.h")) GTEST_SKIP() << "GoogleTest's headers are not installed";
    const std::string source =
        "#include <gtest/gtest.h>\n"
        "#include <string>\n"
        "TEST(Strings, Concat) {\n"  // 3
        "  std::string s;\n"
        "  for (int i = 0; i < 100; ++i) s = s + \"x\";\n"  // 5
        "  EXPECT_EQ(s.size(), 100u);\n"
        "}\n"  // 7
        "struct Fixture : ::testing::Test {};\n"
        "TEST_F(Fixture, Empty) {\n"  // 9
        "}\n";
    auto a = analyzer::analyze({{"t.cpp", source}}, {});
    ASSERT_TRUE(a) << a.error().message;
    const auto* concat = find(*a, "Strings.Concat");
    ASSERT_TRUE(concat);
    EXPECT_EQ(concat->begin_line, 3u);
    EXPECT_EQ(concat->end_line, 7u);
    ASSERT_EQ(concat->loops.size(), 1u);
    EXPECT_EQ(concat->loops[0].line, 5u);
    EXPECT_TRUE(find(*a, "Fixture.Empty"));
    // The constructors the macro writes are not the user's functions.
    for (const auto& f : a->functions) EXPECT_EQ(f.name.find("_Test::"), std::string::npos) << f.name;
    EXPECT_TRUE(analyzer::names_function("Strings.Concat", "Strings.Concat"));
}
