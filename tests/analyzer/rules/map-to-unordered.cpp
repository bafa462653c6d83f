// The map-to-unordered rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_map = R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> seen;
    int x, repeats = 0;
    while (std::cin >> x) {
        if (seen.count(x)) ++repeats;
        ++seen[x];
    }
    std::cout << seen.size() << ' ' << repeats << '\n';
}
)";

TEST(MapToUnordered, HashesLookupOnlyMapWithTheSameOutput) {
    expect_rewrite("map-to-unordered", k_map, "std::map<int, int> seen", {{"1 2 1 3 1\n", "3 2\n"}, {"5\n", "1 0\n"}},
                   "#include <unordered_map>\n" + replace_first(k_map, "std::map<int, int>", "std::unordered_map<int, int>"));
}

TEST(MapToUnordered, SilentWhenTheMapIsIteratedInOrder) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> seen;
    int x;
    while (std::cin >> x) ++seen[x];
    for (const auto& [key, times] : seen) std::cout << key << ' ' << times << '\n';
}
)", "map-to-unordered").empty());
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> seen;
    int x;
    while (std::cin >> x) ++seen[x];
    std::cout << seen.begin()->first << '\n';
}
)", "map-to-unordered").empty());
    // One declaration spells the type of both maps: hashing `seen` would reorder `ordered` too.
    for (const char* scope : {"local", "global"}) {
        SCOPED_TRACE(scope);
        const std::string declaration = "std::map<int, int> seen, ordered;\n";
        const std::string local = std::string(scope) == "local" ? "    " + declaration : "";
        const std::string global = std::string(scope) == "global" ? declaration : "";
        EXPECT_TRUE(findings_of("#include <iostream>\n#include <map>\n" + global + "int main() {\n" + local + R"(    int x;
    while (std::cin >> x) {
        ++seen[x];
        ++ordered[x];
    }
    for (const auto& [key, times] : ordered) std::cout << key << ' ' << seen[key] << '\n';
}
)", "map-to-unordered").empty());
    }
}

TEST(MapToUnordered, OneDeclarationOfSeveralOrderFreeMapsChangesOnce) {
    // Both maps of the declaration are only looked up: one finding, one change of the shared type.
    for (const char* scope : {"local", "global"}) {
        SCOPED_TRACE(scope);
        const std::string declaration = "std::map<int, int> parent, size;\n";
        const std::string local = std::string(scope) == "local" ? "    " + declaration : "";
        const std::string global = std::string(scope) == "global" ? declaration : "";
        const auto found = findings_of("#include <iostream>\n#include <map>\n" + global + "int main() {\n" + local + R"(    int x;
    while (std::cin >> x) {
        parent[x] = x;
        ++size[x];
    }
    std::cout << parent.size() << ' ' << size.count(3) << '\n';
}
)", "map-to-unordered");
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].message, "'parent', 'size' are only looked up, never iterated in order; a hash map serves");
        int type_changes = 0;
        for (const auto& r : found[0].fix) type_changes += r.text == "unordered_map";
        EXPECT_EQ(type_changes, 1);
    }
}
