#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include <optiloop/runner/build.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/profile.hpp>
#include <optiloop/sandbox/sandbox.hpp>

#include "valgrind.hpp"

namespace optiloop::runner {

const core::TestCase* largest_test(const core::Task& task) {
    const auto& pool = !task.stress.empty() ? task.stress : task.tests;
    const core::TestCase* best = nullptr;
    std::uintmax_t best_size = 0;
    for (const auto& t : pool) {
        std::error_code ec;
        const std::uintmax_t size = std::filesystem::file_size(t.input, ec);
        if (!best || (!ec && size > best_size)) {
            best = &t;
            best_size = ec ? 0 : size;
        }
    }
    return best;
}

namespace {

// "fl=(3) /work/main.cpp" or "fl=(3)": the id, and the name when given.
std::pair<std::string, std::string> compressed(const std::string& value) {
    if (!value.empty() && value[0] == '(') {
        const auto close = value.find(')');
        std::string id = value.substr(0, close + 1);
        std::string name = close + 2 <= value.size() ? value.substr(close + 2) : "";
        return {id, name};
    }
    return {value, value};
}

// The source name a path ends with, or empty.
std::string source_of(const std::string& path, const std::set<std::string>& names) {
    for (const auto& n : names)
        if (path == n || (path.size() > n.size() && path.compare(path.size() - n.size() - 1, n.size() + 1, "/" + n) == 0)) return n;
    return "";
}

}  // namespace

core::LineProfile parse_callgrind(const std::vector<std::string>& outputs, const std::set<std::string>& source_names) {
    std::map<std::pair<std::string, unsigned>, double> costs;
    core::LineProfile profile;
    for (const auto& text : outputs) {
        std::map<std::string, std::string> files;  // id -> name, shared by fl/fi/fe/cfi/cfl
        std::string file, sub_file, call_file;
        long position = 0;
        // Code inlined from a header into a function of the sources is charged to the last line of
        // the sources seen in that function: the call site, as near as the profile knows it.
        std::pair<std::string, unsigned> last_source_line;
        bool next_is_call = false;
        std::istringstream in(text);
        std::string line;
        auto resolve = [&](const std::string& value) {
            auto [id, name] = compressed(value);
            if (!name.empty() && name != id) files[id] = name;
            auto it = files.find(id);
            return it != files.end() ? it->second : name;
        };
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            const auto eq = line.find('=');
            const std::string key = eq == std::string::npos ? "" : line.substr(0, eq);
            if (key == "fl") sub_file = file = resolve(line.substr(eq + 1));
            else if (key == "fi" || key == "fe") sub_file = resolve(line.substr(eq + 1));
            else if (key == "fn") {
                sub_file = file;
                last_source_line = {};
            }
            else if (key == "cfi" || key == "cfl") call_file = resolve(line.substr(eq + 1));
            else if (key == "calls") next_is_call = true;
            else if (line.rfind("summary:", 0) == 0) profile.total += std::atof(line.c_str() + 8);
            else if (std::isdigit(static_cast<unsigned char>(line[0])) || line[0] == '+' || line[0] == '-' || line[0] == '*') {
                std::istringstream parts(line);
                std::string where;
                double cost = 0;
                parts >> where >> cost;
                if (where[0] == '+') position += std::atol(where.c_str() + 1);
                else if (where[0] == '-') position -= std::atol(where.c_str() + 1);
                else if (where[0] != '*') position = std::atol(where.c_str());
                const std::string here = source_of(sub_file, source_names);
                std::pair<std::string, unsigned> charged;
                if (!here.empty()) charged = last_source_line = {here, static_cast<unsigned>(position)};
                else if (!source_of(file, source_names).empty() && last_source_line.second) charged = last_source_line;
                if (next_is_call) {
                    // A call's inclusive cost belongs to the calling line unless the callee's own
                    // lines in the sources already count it.
                    if (charged.second && source_of(call_file, source_names).empty()) costs[charged] += cost;
                    next_is_call = false;
                    call_file.clear();
                } else if (charged.second) {
                    costs[charged] += cost;
                }
            }
        }
    }
    for (const auto& [where, cost] : costs) profile.lines.push_back({where.first, where.second, cost});
    return profile;
}

core::Result<core::LineProfile> profile(const core::Task& task, const std::vector<core::SourceFile>& sources, const core::TestCase& test) {
    if (!probe_counters().valgrind) return core::fail(core::Error::infrastructure("profiles need valgrind (apt-get install valgrind)"));
    BuildRequest request;
    request.sources = sources;
    request.sources.insert(request.sources.end(), task.harness.begin(), task.harness.end());
    request.spec = task.build;
    request.spec.flags.push_back("-g");
    auto built = build(request);
    if (!built) return core::fail(built.error());
    if (!built->ok) return core::fail(core::Error::input("the program does not build: " + built->diagnostics));
    auto spec = valgrind_spec(task, built->binary, test, "callgrind", {"--dump-line=yes"});
    if (!spec) return core::fail(spec.error());
    auto run = sandbox::run(*spec);
    if (!run) return core::fail(run.error());
    if (run->verdict != core::Verdict::ok)
        return core::fail(core::Error::input("the program fails under callgrind on test " + test.name + ": " + counted_run_failure(*run, "callgrind").detail));
    std::set<std::string> names;
    for (const auto& f : request.sources) names.insert(f.path);
    std::vector<std::string> outputs;
    for (const auto& [name, text] : run->private_files) outputs.push_back(text);
    return parse_callgrind(outputs, names);
}

}  // namespace optiloop::runner
