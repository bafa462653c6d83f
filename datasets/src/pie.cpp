#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <optiloop/core/files.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/datasets/pie.hpp>
#include <optiloop/datasets/task_folder.hpp>

namespace optiloop::datasets {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view k_test_layout = "input.N.txt with output.N.txt";

// Length of the valid UTF-8 prefix of `s` (s.size() when all of it is valid). Strict as JSON
// parsers are: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t valid_utf8_prefix(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
        if (c < 0x80) extra = 0;
        else if (c >= 0xc2 && c <= 0xdf) extra = 1;
        else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            if (c == 0xe0) lo = 0xa0;
            if (c == 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            if (c == 0xf0) lo = 0x90;
            if (c == 0xf4) hi = 0x8f;
        } else return i;
        if (extra > 0 && i + extra >= s.size()) return i;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80) return i;
        }
        i += extra + 1;
    }
    return s.size();
}

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string replace_invalid_utf8(std::string_view s) {
    std::string out;
    while (!s.empty()) {
        const std::size_t valid = valid_utf8_prefix(s);
        out.append(s.substr(0, valid));
        if (valid == s.size()) break;
        out.append("\xef\xbf\xbd");
        s.remove_prefix(valid + 1);
    }
    return out;
}

// Task ids keep to [A-Za-z0-9._-]; anything else becomes '_'.
std::string sanitise_id(std::string_view text) {
    std::string id(text);
    for (char& c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) c = '_';
    }
    return id;
}

// True when `name` can be one folder below the tests root: not empty, `.` or `..`, and free of
// separators and control characters (which would also break one-line messages).
bool is_folder_name(std::string_view name) {
    if (name == "." || name == "..") return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
}

// The index N of a file named `{prefix}.N.txt`, N in canonical decimal (no sign, no leading zero).
std::optional<std::uint64_t> test_index(const std::string& name, std::string_view prefix) {
    if (name.size() <= prefix.size() + 5 || name.compare(0, prefix.size(), prefix) != 0 ||
        name[prefix.size()] != '.' || !name.ends_with(".txt"))
        return std::nullopt;
    const std::string_view digits = std::string_view(name).substr(prefix.size() + 1, name.size() - prefix.size() - 5);
    if (digits.empty() || digits.size() > 18 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return n;
}

// What one problem's test folder holds; scanned once per problem, shared by its records.
struct ProblemTests {
    bool exists = false;
    std::set<std::uint64_t> inputs;
    std::set<std::uint64_t> outputs;
    // File name -> why it may not be handed to a program (not a regular file inside the tests
    // root, or too large), as the problem's line ends.
    std::map<std::string, std::string> refused;
};

const ProblemTests& scan_problem(std::map<std::string, ProblemTests>& cache, const fs::path& tests_root,
                                 const fs::path& dir, const std::string& problem_id) {
    auto [it, inserted] = cache.try_emplace(problem_id);
    if (!inserted) return it->second;
    ProblemTests& found = it->second;
    std::error_code ec;
    found.exists = fs::is_directory(dir, ec);
    if (!found.exists) return found;
    // Checked with no program running yet: a FIFO is refused here, never opened by a run.
    const auto check = [&](const fs::path& path, std::string_view rule) {
        if (auto file = core::open_file_within(path, tests_root, k_max_test_file_bytes); !file)
            found.refused[path.filename().string()] = file.error().message + "; " + std::string(rule);
    };
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (auto n = test_index(name, "input")) {
            found.inputs.insert(*n);
            check(entry.path(), "test inputs must be regular files inside the test folder");
        } else if (auto m = test_index(name, "output")) {
            found.outputs.insert(*m);
            check(entry.path(), "expected outputs must be regular files inside the test folder");
        }
    }
    return found;
}

std::string file_name(const char* prefix, std::uint64_t index) {
    return std::string(prefix) + "." + std::to_string(index) + ".txt";
}

// Reads one record's fields into `record`; `where` is "FILE:LINE: ".
class RecordReader {
public:
    RecordReader(const json& object, std::string where, PieRecord& record)
        : m_object(object), m_where(std::move(where)), m_record(record) {}

    void problem(const std::string& field, const std::string& what) {
        m_record.problems.push_back(m_where + field + ": " + what);
    }

    // A string field: nullopt when absent (or null) or wrong, with the problem recorded.
    std::optional<std::string> string_field(const std::string& key, bool required) {
        auto it = m_object.find(key);
        if (it == m_object.end() || it->is_null()) {
            if (required) problem(key, "missing (required)");
            return std::nullopt;
        }
        if (!it->is_string()) {
            problem(key, std::string("expected a string, got ") + it->type_name());
            return std::nullopt;
        }
        std::string value = it->get<std::string>();
        // Only reachable through a line that was repaired with U+FFFD (see read_pie).
        if (m_repaired && value.find("\xef\xbf\xbd") != std::string::npos) {
            problem(key, "not valid UTF-8 (PIE code and ids must be UTF-8 text)");
            return std::nullopt;
        }
        return value;
    }

    void set_repaired(bool repaired) { m_repaired = repaired; }

private:
    const json& m_object;
    std::string m_where;
    PieRecord& m_record;
    bool m_repaired = false;
};

void read_tests(RecordReader& reader, const json& object, const fs::path& tests_root, bool check_tests,
                const std::string& problem_id, std::map<std::string, ProblemTests>& cache, core::Task& task) {
    const fs::path dir = tests_root / problem_id;
    // `field` names the record's field that led to test n, for a refused file's problem.
    const auto add = [&](const ProblemTests& found, std::uint64_t n, const std::string& field) {
        bool usable = true;
        for (const std::string& name : {file_name("input", n), file_name("output", n)})
            if (auto refused = found.refused.find(name); refused != found.refused.end()) {
                reader.problem(field, refused->second);
                usable = false;
            }
        if (usable)
            task.tests.push_back({std::to_string(n), fs::absolute(dir / file_name("input", n)),
                                  fs::absolute(dir / file_name("output", n))});
    };

    auto field = object.find("tests");
    const bool selected = field != object.end() && !field->is_null();
    std::vector<std::pair<std::uint64_t, std::size_t>> wanted;  // index, position in `tests`, in that order
    if (selected) {
        if (!field->is_array()) {
            reader.problem("tests", std::string("expected an array of test indices, got ") + field->type_name());
            return;
        }
        if (field->empty()) {
            reader.problem("tests", "empty (expected at least one test index, or leave the field out to use every test)");
            return;
        }
        std::map<std::uint64_t, std::size_t> first_at;
        for (std::size_t i = 0; i < field->size(); ++i) {
            const json& item = (*field)[i];
            const std::string at = "tests[" + std::to_string(i) + "]";
            // nlohmann reads every non-negative integer as unsigned.
            if (!item.is_number_unsigned()) {
                reader.problem(at, "expected a non-negative integer (a test index), got " +
                                       (item.is_number() ? item.dump() : std::string(item.type_name())));
                continue;
            }
            const auto n = item.get<std::uint64_t>();
            auto [seen, fresh] = first_at.try_emplace(n, i);
            if (!fresh) {
                reader.problem(at, "test " + std::to_string(n) + " listed twice (also tests[" + std::to_string(seen->second) + "])");
                continue;
            }
            wanted.emplace_back(n, i);
        }
    }
    if (!check_tests) return;

    const ProblemTests& found = scan_problem(cache, tests_root, dir, problem_id);
    if (!found.exists) {
        reader.problem("problem_id", "no test folder " + dir.string() + " (expected " + std::string(k_test_layout) + " there)");
        return;
    }
    if (selected) {
        // Problems in the order of `tests`, the tests themselves in numeric order.
        std::vector<std::pair<std::uint64_t, std::size_t>> usable;
        for (const auto& [n, i] : wanted) {
            const std::string at = "tests[" + std::to_string(i) + "]";
            if (!found.inputs.count(n)) reader.problem(at, "no " + file_name("input", n) + " for problem " + problem_id);
            else if (!found.outputs.count(n)) reader.problem(at, "no " + file_name("output", n) + " for problem " + problem_id);
            else usable.emplace_back(n, i);
        }
        std::sort(usable.begin(), usable.end());
        for (const auto& [n, i] : usable) add(found, n, "tests[" + std::to_string(i) + "]");
        return;
    }
    for (std::uint64_t n : found.inputs) {
        if (found.outputs.count(n)) add(found, n, "problem_id");
        else reader.problem("problem_id", (dir / file_name("input", n)).string() + ": test input without its expected output " + file_name("output", n));
    }
    for (std::uint64_t n : found.outputs)
        if (!found.inputs.count(n))
            reader.problem("problem_id", (dir / file_name("output", n)).string() + ": expected output without its input " + file_name("input", n));
    if (found.inputs.empty() && found.outputs.empty())
        reader.problem("problem_id", "no test cases in " + dir.string() + " (expected " + std::string(k_test_layout) + ")");
}

// Reads one non-blank line into `record`; true when the record names its slow submission (src_id).
bool read_record(std::string_view line, const std::string& where, const fs::path& tests_root, bool check_tests,
                 const fs::path& jsonl, std::map<std::string, ProblemTests>& cache, PieRecord& record) {
    // A line with bytes that are not UTF-8 cannot be parsed as JSON as it stands; parse it with
    // those bytes replaced so the problem can name the field that holds them.
    const bool repaired = valid_utf8_prefix(line) != line.size();
    const std::string text = repaired ? replace_invalid_utf8(line) : std::string(line);
    auto parsed = core::parse_json(text, where.substr(0, where.size() - 2));
    if (!parsed) {
        record.problems.push_back(parsed.error().message);
        return false;
    }
    if (!parsed->is_object()) {
        record.problems.push_back(where + "expected a JSON object (one PIE record per line), got " + parsed->type_name());
        return false;
    }
    RecordReader reader(*parsed, where, record);
    reader.set_repaired(repaired);

    auto problem_id = reader.string_field("problem_id", true);
    if (problem_id && problem_id->empty()) {
        reader.problem("problem_id", "empty (expected the problem's name, e.g. p00001)");
        problem_id.reset();
    } else if (problem_id && !is_folder_name(*problem_id)) {
        reader.problem("problem_id", json(*problem_id).dump() + " cannot name a test folder (expected a plain name, e.g. p00001)");
        problem_id.reset();
    }
    auto src_code = reader.string_field("src_code", true);
    if (src_code && src_code->empty()) reader.problem("src_code", "empty (expected the slow program)");
    auto tgt_code = reader.string_field("tgt_code", false);
    if (tgt_code && tgt_code->empty()) reader.problem("tgt_code", "empty (expected the faster program, or leave the field out)");
    auto src_id = reader.string_field("src_id", false);
    auto tgt_id = reader.string_field("tgt_id", false);

    core::Task& task = record.task;
    task.language = core::Language::cpp;
    task.kind = core::TaskKind::stdio;
    task.build = core::BuildSpec{};  // g++ -std=c++17 -O3, PIE's setting
    task.checker = core::Checker{};  // tokens
    task.tags = {"pie"};
    task.root = fs::absolute(jsonl).parent_path();
    if (problem_id) {
        task.id = sanitise_id(*problem_id + (src_id && !src_id->empty() ? "-" + *src_id : ""));
        task.description = "PIE problem " + *problem_id;
        if (src_id) task.description += ", slow submission " + *src_id;
        if (tgt_id) task.description += ", faster submission " + *tgt_id;
    }
    if (src_code && !src_code->empty()) task.baseline = {{"main.cpp", *src_code}};
    if (tgt_code && !tgt_code->empty()) task.reference = {{"main.cpp", *tgt_code}};

    if (problem_id) read_tests(reader, *parsed, tests_root, check_tests, *problem_id, cache, task);
    return src_id && !src_id->empty();
}


}  // namespace

fs::path default_pie_tests_root(const fs::path& jsonl) {
    const fs::path beside = jsonl.parent_path();
    std::error_code ec;
    for (const char* name : {"tests", "merged_test_cases"})
        if (fs::is_directory(beside / name, ec)) return beside / name;
    return beside / "tests";
}

bool is_pie_file(const fs::path& path) { return path.extension() == ".jsonl"; }

PieFile read_pie(const fs::path& jsonl, const fs::path& tests_root_arg) {
    PieFile file;
    const std::string origin = jsonl.string();
    std::error_code ec;
    if (!fs::is_regular_file(jsonl, ec)) {
        file.problems.push_back(origin + (fs::exists(jsonl, ec) ? ": not a file (expected a PIE .jsonl file)" : ": no such file"));
        return file;
    }
    // The user named this file, so its symlinks are followed; still it is never blocked on (a
    // FIFO swapped in after the check above) nor read past its size.
    auto opened = core::open_regular_file(jsonl, k_max_pie_file_bytes);
    if (!opened) {
        file.problems.push_back(opened.error().message);
        return file;
    }
    auto text = opened->read();
    if (!text) {
        file.problems.push_back(text.error().message);
        return file;
    }
    const fs::path tests_root = tests_root_arg.empty() ? default_pie_tests_root(jsonl) : tests_root_arg;
    // Without the test folder every record would report it; say it once and check the rest.
    const bool check_tests = fs::is_directory(tests_root, ec);
    if (!check_tests)
        file.problems.push_back(tests_root.string() + ": no test folder (expected PROBLEM_ID/" + std::string(k_test_layout) +
                                ", PIE's test cases, for " + origin + ")");

    std::string_view rest(*text);
    if (rest.starts_with("\xef\xbb\xbf")) rest.remove_prefix(3);
    std::map<std::string, ProblemTests> cache;
    std::map<std::string, std::size_t> id_line;  // task id -> line that first gave it
    for (std::size_t number = 1; !rest.empty(); ++number) {
        const std::size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.find_first_not_of(" \t\r\f\v") == std::string_view::npos) continue;

        PieRecord& record = file.records.emplace_back();
        record.line = number;
        const std::string where = origin + ":" + std::to_string(number) + ": ";
        const bool has_src_id = read_record(line, where, tests_root, check_tests, jsonl, cache, record);
        if (record.task.id.empty()) continue;
        auto [first, fresh] = id_line.try_emplace(record.task.id, number);
        if (!fresh) {
            record.problems.push_back(where + (has_src_id ? "src_id" : "problem_id") + ": task id " + record.task.id +
                                      " already given by line " + std::to_string(first->second) +
                                      " (expected problem_id + src_id unique within the file)");
        }
    }
    if (file.records.empty()) file.problems.push_back(origin + ": no records (expected one JSON object per line)");
    return file;
}

core::Result<std::vector<core::Task>> load_pie(const fs::path& jsonl, const fs::path& tests_root) {
    PieFile file = read_pie(jsonl, tests_root);
    if (!file.problems.empty()) return core::fail(core::Error::input(file.problems.front()));
    std::vector<core::Task> tasks;
    tasks.reserve(file.records.size());
    for (auto& record : file.records) {
        if (!record.problems.empty()) return core::fail(core::Error::input(record.problems.front()));
        tasks.push_back(std::move(record.task));
    }
    return tasks;
}

std::vector<std::string> validate_pie(const fs::path& jsonl, const fs::path& tests_root) {
    PieFile file = read_pie(jsonl, tests_root);
    std::vector<std::string> problems = std::move(file.problems);
    for (auto& record : file.records)
        for (auto& p : record.problems) problems.push_back(std::move(p));
    return problems;
}

}  // namespace optiloop::datasets
