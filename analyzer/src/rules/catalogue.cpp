// The rule catalogue: one line per rule, the only place a rule is registered. Its id names the
// rule's findings, its file (rules/ID.cpp), its test file and its documentation page; the order is
// that of `analyze --list-rules`, `optiloop explain` and SARIF.

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <memory>
#include <vector>

#include "rules.hpp"
#include "rules/rule.hpp"

namespace optiloop::analyzer {

namespace rules {

// Each defined in rules/ID.cpp (the id with '-' for '_').
RuleFactory endl_in_loop, iostream_sync, string_concat_assign, by_value_param, range_for_copy,
    map_to_unordered, container_in_loop, vector_reserve, invariant_call_in_condition, pow_square,
    pow_integer_exponent, substr_compare, unnecessary_copy, string_find_char, post_increment_iterator,
    set_count_then_insert, stream_in_loop, invariant_call_in_loop, map_double_lookup, loop_interchange,
    popcount_loop, vector_as_queue, modulo_in_loop, set_linear_search, at_in_bounds, to_string_digits,
    find_char_table, list_to_vector, branch_to_select;

namespace {

struct CatalogueLine {
    const char* id;
    const char* category;  // io, data-structures, algorithmic, low-level
    RuleFactory* make;
    const char* rationale;
};

const CatalogueLine k_catalogue[] = {
    {"endl-in-loop", "io", endl_in_loop, "std::endl flushes the stream on every iteration; '\\n' writes the same bytes and lets the buffer work"},
    {"iostream-sync", "io", iostream_sync, "iostreams synchronised with C stdio go through it character by character; sync_with_stdio(false) and an untied cin remove that cost when the program does not mix the two"},
    {"string-concat-assign", "io", string_concat_assign, "s = s + t builds a new string and copies s every time; s += t appends in place"},
    {"by-value-param", "data-structures", by_value_param, "a container or string parameter taken by value and only read is copied on every call; const& reads the caller's object"},
    {"range-for-copy", "data-structures", range_for_copy, "a range-for variable of a heavy type copies every element; const auto& reads it in place when the body does not change it"},
    {"map-to-unordered", "data-structures", map_to_unordered, "a std::map keyed by integers or strings that is never iterated in order pays O(log n) comparisons per access; std::unordered_map hashes in O(1)"},
    {"container-in-loop", "data-structures", container_in_loop, "a container created inside a loop allocates and frees its storage every iteration; created once before the loop and cleared, it reuses it"},
    {"vector-reserve", "data-structures", vector_reserve, "push_back in a counted loop grows the vector by repeated reallocation and copying; reserve allocates once"},
    {"invariant-call-in-condition", "low-level", invariant_call_in_condition, "strlen or sqrt of an unchanged value in a loop condition is recomputed on every iteration; hoisted, it is computed once (for a string the loop writes one char at a time, the length is kept and updated at those writes)"},
    {"pow-square", "low-level", pow_square, "pow(x, 2) calls the general power function; x * x is one multiplication with the same result"},
    {"pow-integer-exponent", "low-level", pow_integer_exponent, "pow(x, n) of whole numbers goes through the general logarithm-based power function; while the product stays exact (below 2^53) repeated multiplication gives the same double in a few instructions"},
    {"substr-compare", "low-level", substr_compare, "comparing s.substr(p, n) builds a temporary string; s.compare(p, n, t) compares in place with the same result"},
    {"unnecessary-copy", "data-structures", unnecessary_copy, "a local copy of a container or string that is only read, of an object that does not change, copies every element for nothing; a const& reads the original"},
    {"string-find-char", "low-level", string_find_char, "s.find(\"a\") measures a one-character C string and runs the substring search; s.find('a') scans for the char directly"},
    {"post-increment-iterator", "low-level", post_increment_iterator, "it++ on a class-type iterator copies the iterator to return its old value; ++it does not, and an unused result makes them the same"},
    {"set-count-then-insert", "data-structures", set_count_then_insert, "if (!s.count(x)) { s.insert(x); ... } searches the set for x twice; insert(x).second says whether x was new with one search"},
    {"stream-in-loop", "io", stream_in_loop, "an istringstream built from a string on every iteration constructs its locale and buffers each time; one stream made before the loop and reset with clear() and str(s) reads the same"},
    {"invariant-call-in-loop", "low-level", invariant_call_in_loop, "a math function (exp, log, sqrt, pow, sin, ...) of values the loop never changes is recomputed on every iteration, and the compiler may not hoist it (errno); computed once before the loop it gives the same value"},
    {"map-double-lookup", "data-structures", map_double_lookup, "if (m.count(k)) ... m[k] searches the map for k twice (or more); one find and the iterator it returns search once"},
    {"loop-interchange", "low-level", loop_interchange, "a loop nest whose inner loop walks down the columns of a 2-D array touches a new row on every step and cannot be vectorised; with the loops swapped it walks along the rows, and when no iteration depends on another the results are the same"},
    {"popcount-loop", "low-level", popcount_loop, "a loop that counts set bits one at a time runs once per bit; __builtin_popcount counts them at once, in one instruction where the CPU has popcnt"},
    {"vector-as-queue", "data-structures", vector_as_queue, "v.erase(v.begin()) moves every other element of a vector one place down; a deque removes its front in O(1) and otherwise serves the same calls"},
    {"modulo-in-loop", "low-level", modulo_in_loop, "i % k in a counted loop divides on every iteration (tens of cycles each); walking i in blocks of k makes i % k and i / k counters, and the inner loop over a block can be vectorised"},
    {"set-linear-search", "data-structures", set_linear_search, "std::lower_bound, upper_bound, equal_range, binary_search, find or count over a set's iterators steps through the set node by node (they are not random access), O(n) per call; the set's own member searches its tree in O(log n)"},
    {"at-in-bounds", "low-level", at_in_bounds, "v.at(i) checks i against the size on every access and keeps the loop from being vectorised; where the loop's bounds (and any if around the access) prove i is in range, v[i] reads the same element"},
    {"to-string-digits", "low-level", to_string_digits, "a std::string made by std::to_string and then only read char by char allocates on the heap for a number longer than its inline buffer (15 chars in libstdc++); std::to_chars into a stack buffer, seen through a string_view, gives the same chars without allocating"},
    {"find-char-table", "data-structures", find_char_table, "s.find(c) for a char in a loop that never changes s scans s on every call; a 256-entry table of each char's first position, made once before the loop, answers the same in one load"},
    {"list-to-vector", "data-structures", list_to_vector, "a std::list only appended to and walked forward pays a heap node per element and a pointer chase per step (std::next is O(k)); a vector stores them side by side, when no iterator or reference to an element is alive while it grows"},
    {"branch-to-select", "low-level", branch_to_select, "an if / else-if chain that only chooses a variable's value (and counts how often) is a branch per element; as a conditional expression and a sum of comparisons it has none, and the loop around it can be vectorised"},
};

}  // namespace

}  // namespace rules

const std::vector<RuleInfo>& rule_catalogue() {
    static const std::vector<RuleInfo> infos = [] {
        std::vector<RuleInfo> out;
        for (const rules::CatalogueLine& line : rules::k_catalogue) out.push_back({line.id, line.category, line.rationale});
        return out;
    }();
    return infos;
}

void run_rules(clang::ASTContext& context, const SourceMap& sources, const AnalyzeOptions& options, std::vector<Finding>& out) {
    rules::Emitter emitter(context, sources, options, out);
    const rules::UnitFacts facts = rules::gather_facts(context, sources);
    clang::ast_matchers::MatchFinder finder;
    std::vector<std::unique_ptr<rules::Rule>> made;
    for (const rules::CatalogueLine& line : rules::k_catalogue)
        if (emitter.enabled(line.id)) made.push_back(line.make({line.id, emitter, facts, finder}));
    finder.matchAST(context);
}

}  // namespace optiloop::analyzer
