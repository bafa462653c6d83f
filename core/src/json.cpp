#include <cctype>
#include <stdexcept>

#include <optiloop/core/json.hpp>

namespace optiloop::core {
namespace {

using nlohmann::json;

// Thrown only inside this file by the field readers; every public function turns it into Error.
struct FieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

const char* type_name(const json& value) { return value.type_name(); }

const json* member(const json& object, const std::string& path, const std::string& key, bool required) {
    if (!object.is_object()) throw FieldError(path.empty() ? "expected a JSON object" : path + ": expected an object");
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        if (required) throw FieldError(join(path, key) + ": missing (required)");
        return nullptr;
    }
    return &*it;
}

std::string get_string(const json& o, const std::string& path, const std::string& key, bool required,
                       std::string fallback = {}) {
    const json* v = member(o, path, key, required);
    if (!v) return fallback;
    if (!v->is_string())
        throw FieldError(join(path, key) + ": expected a string, got " + type_name(*v));
    return v->get<std::string>();
}

double get_number(const json& o, const std::string& path, const std::string& key, bool required,
                  double fallback = 0) {
    const json* v = member(o, path, key, required);
    if (!v) return fallback;
    if (!v->is_number())
        throw FieldError(join(path, key) + ": expected a number, got " + type_name(*v));
    return v->get<double>();
}

std::int64_t get_integer(const json& o, const std::string& path, const std::string& key, bool required,
                         std::int64_t fallback = 0) {
    const json* v = member(o, path, key, required);
    if (!v) return fallback;
    if (!v->is_number_integer())
        throw FieldError(join(path, key) + ": expected an integer, got " + type_name(*v));
    return v->get<std::int64_t>();
}

bool get_bool(const json& o, const std::string& path, const std::string& key, bool fallback) {
    const json* v = member(o, path, key, false);
    if (!v) return fallback;
    if (!v->is_boolean()) throw FieldError(join(path, key) + ": expected true or false, got " + type_name(*v));
    return v->get<bool>();
}

std::vector<std::string> get_strings(const json& o, const std::string& path, const std::string& key,
                                     std::vector<std::string> fallback = {}) {
    const json* v = member(o, path, key, false);
    if (!v) return fallback;
    if (!v->is_array()) throw FieldError(join(path, key) + ": expected an array of strings, got " + type_name(*v));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v->size(); ++i) {
        if (!(*v)[i].is_string())
            throw FieldError(join(path, key) + "[" + std::to_string(i) + "]: expected a string");
        out.push_back((*v)[i].get<std::string>());
    }
    return out;
}

template <class F>
auto get_array(const json& o, const std::string& path, const std::string& key, F&& read_item) {
    using Item = decltype(read_item(json{}, std::string{}));
    std::vector<Item> out;
    const json* v = member(o, path, key, false);
    if (!v) return out;
    if (!v->is_array()) throw FieldError(join(path, key) + ": expected an array, got " + type_name(*v));
    for (std::size_t i = 0; i < v->size(); ++i)
        out.push_back(read_item((*v)[i], join(path, key) + "[" + std::to_string(i) + "]"));
    return out;
}

template <class T, class F>
Result<T> guarded(F&& read) {
    try {
        return read();
    } catch (const FieldError& error) {
        return fail(Error::input(error.what()));
    } catch (const json::exception& error) {
        return fail(Error::input(error.what()));
    }
}

// --- pieces ---------------------------------------------------------------------------------

json files_json(const std::vector<SourceFile>& files) {
    json out = json::array();
    for (const auto& f : files) out.push_back({{"path", f.path}, {"content", f.content}});
    return out;
}

SourceFile read_file(const json& j, const std::string& path) {
    return {get_string(j, path, "path", true), get_string(j, path, "content", true)};
}

json tests_json(const std::vector<TestCase>& tests) {
    json out = json::array();
    for (const auto& t : tests)
        out.push_back({{"name", t.name}, {"input", t.input.string()}, {"expected", t.expected.string()}});
    return out;
}

TestCase read_test(const json& j, const std::string& path) {
    return {get_string(j, path, "name", true), get_string(j, path, "input", true),
            get_string(j, path, "expected", true)};
}

Language read_language(const json& j, const std::string& path) {
    const std::string text = get_string(j, path, "language", true);
    if (text == "cpp") return Language::cpp;
    if (text == "cuda") return Language::cuda;
    throw FieldError(join(path, "language") + ": expected \"cpp\" or \"cuda\", got \"" + text + "\"");
}

TaskKind read_kind(const json& j, const std::string& path) {
    const std::string text = get_string(j, path, "kind", true);
    for (TaskKind kind : {TaskKind::stdio, TaskKind::function, TaskKind::cuda_kernel, TaskKind::repository})
        if (to_string(kind) == text) return kind;
    throw FieldError(join(path, "kind") +
                     ": expected \"stdio\", \"function\", \"cuda-kernel\" or \"repository\", got \"" + text + "\"");
}

Checker read_checker(const json& j, const std::string& path) {
    Checker checker;
    const json* c = member(j, path, "checker", false);
    if (!c) return checker;
    const std::string p = join(path, "checker");
    const std::string type = get_string(*c, p, "type", false, "tokens");
    bool known = false;
    for (CheckerType t : {CheckerType::exact, CheckerType::tokens, CheckerType::floating, CheckerType::program})
        if (to_string(t) == type) checker.type = t, known = true;
    if (!known)
        throw FieldError(p + ".type: expected \"exact\", \"tokens\", \"float\" or \"program\", got \"" + type + "\"");
    checker.abs_tolerance = get_number(*c, p, "abs", false, 1e-6);
    checker.rel_tolerance = get_number(*c, p, "rel", false, 1e-6);
    if (checker.abs_tolerance < 0 || checker.rel_tolerance < 0)
        throw FieldError(p + ": tolerances must not be negative");
    checker.program = get_string(*c, p, "program", checker.type == CheckerType::program);
    return checker;
}

Verdict read_verdict(const json& j, const std::string& path, const std::string& key) {
    const std::string text = get_string(j, path, key, true);
    auto v = verdict_from_string(text);
    if (!v)
        throw FieldError(join(path, key) + ": expected one of OK, WA, CE, RE, TLE, MLE, OLE, SECURITY, got \"" +
                         text + "\"");
    return *v;
}

Edit read_edit(const json& j, const std::string& path) {
    Edit edit;
    edit.proposer = get_string(j, path, "proposer", false);
    edit.explanation = get_string(j, path, "explanation", false);
    edit.files = get_array(j, path, "files", read_file);
    edit.replacements = get_array(j, path, "replacements", [](const json& r, const std::string& p) {
        const std::int64_t offset = get_integer(r, p, "offset", true);
        const std::int64_t length = get_integer(r, p, "length", true);
        if (offset < 0 || length < 0) throw FieldError(p + ": offset and length must not be negative");
        return Replacement{get_string(r, p, "path", true), static_cast<std::size_t>(offset),
                           static_cast<std::size_t>(length), get_string(r, p, "text", true)};
    });
    edit.problem = get_string(j, path, "problem", false);
    edit.rules = get_array(j, path, "rules", [](const json& r, const std::string& p) {
        if (!r.is_string()) throw FieldError(p + ": expected a string, got " + type_name(r));
        return r.get<std::string>();
    });
    return edit;
}

}  // namespace

// --- writing --------------------------------------------------------------------------------

nlohmann::json to_json(const Task& task) {
    json j = {
        {"id", task.id},
        {"language", to_string(task.language)},
        {"kind", to_string(task.kind)},
        {"description", task.description},
        {"build", {{"compiler", task.build.compiler}, {"flags", task.build.flags}}},
        {"checker",
         {{"type", to_string(task.checker.type)},
          {"abs", task.checker.abs_tolerance},
          {"rel", task.checker.rel_tolerance}}},
        {"limits",
         {{"time_s", task.limits.time_seconds},
          {"memory_mb", static_cast<double>(task.limits.memory_bytes) / (1 << 20)},
          {"output_mb", static_cast<double>(task.limits.output_bytes) / (1 << 20)}}},
        {"tags", task.tags},
        {"baseline", files_json(task.baseline)},
        {"reference", files_json(task.reference)},
        {"harness", files_json(task.harness)},
        {"tests", tests_json(task.tests)},
        {"stress", tests_json(task.stress)},
        {"root", task.root.string()},
    };
    if (!task.checker.program.empty()) j["checker"]["program"] = task.checker.program;
    if (!task.function_name.empty()) j["function"] = {{"name", task.function_name}};
    if (!task.cost_file.empty()) j["cost_file"] = task.cost_file;
    return j;
}

nlohmann::json to_json(const ProposerUsage& u) {
    return {{"requests", u.requests}, {"retries", u.retries}, {"cached", u.cached}, {"prompt_tokens", u.prompt_tokens}, {"completion_tokens", u.completion_tokens}};
}

nlohmann::json to_json(const Edit& edit) {
    json replacements = json::array();
    for (const auto& r : edit.replacements)
        replacements.push_back({{"path", r.path}, {"offset", r.offset}, {"length", r.length}, {"text", r.text}});
    return {{"proposer", edit.proposer},
            {"explanation", edit.explanation},
            {"files", files_json(edit.files)},
            {"replacements", replacements},
            {"problem", edit.problem},
            {"rules", edit.rules}};
}

nlohmann::json to_json(const Candidate& candidate) {
    return {{"id", candidate.id},
            {"parent", candidate.parent},
            {"sources", files_json(candidate.sources)},
            {"edit", to_json(candidate.edit)}};
}

nlohmann::json to_json(const Measurement& m) {
    json tests = json::array();
    for (const auto& t : m.tests) {
        json tj = {{"name", t.name},
                   {"stress", t.stress},
                   {"verdict", to_string(t.verdict)},
                   {"detail", t.detail},
                   {"wall_median_s", t.wall_median_seconds},
                   {"wall_min_s", t.wall_min_seconds},
                   {"wall_cv", t.wall_cv},
                   {"wall_repeats", t.wall_repeats},
                   {"peak_rss_bytes", t.peak_rss_bytes}};
        if (t.cost) tj["cost"] = *t.cost;
        tests.push_back(std::move(tj));
    }
    json j = {{"verdict", to_string(m.verdict)},
              {"compile_output", m.compile_output},
              {"counter", to_string(m.counter)},
              {"cost_unit", m.cost_unit},
              {"wall_s", m.wall_seconds},
              {"peak_rss_bytes", m.peak_rss_bytes},
              {"tests", tests}};
    if (m.total_cost) j["total_cost"] = *m.total_cost;
    return j;
}

// --- reading --------------------------------------------------------------------------------

Result<Task> task_from_json(const nlohmann::json& j) {
    return guarded<Task>([&] {
        Task task;
        task.id = get_string(j, "", "id", true);
        if (task.id.empty()) throw FieldError("id: must not be empty");
        for (char c : task.id)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
                throw FieldError("id: expected letters, digits, '-', '_' or '.', got \"" + task.id + "\"");
        task.language = read_language(j, "");
        task.kind = read_kind(j, "");
        task.description = get_string(j, "", "description", false);
        if (const json* b = member(j, "", "build", false)) {
            task.build.compiler = get_string(*b, "build", "compiler", false,
                                             task.language == Language::cuda ? "nvcc" : "g++");
            task.build.flags = get_strings(*b, "build", "flags", task.build.flags);
        } else if (task.language == Language::cuda) {
            task.build.compiler = "nvcc";
        }
        task.checker = read_checker(j, "");
        if (const json* l = member(j, "", "limits", false)) {
            task.limits.time_seconds = get_number(*l, "limits", "time_s", false, task.limits.time_seconds);
            if (!(task.limits.time_seconds > 0)) throw FieldError("limits.time_s: expected a positive number");
            const double mb = get_number(*l, "limits", "memory_mb", false, 1024);
            if (!(mb > 0)) throw FieldError("limits.memory_mb: expected a positive number");
            task.limits.memory_bytes = static_cast<std::int64_t>(mb * (1 << 20));
            const double out_mb = get_number(*l, "limits", "output_mb", false, 64);
            if (!(out_mb > 0)) throw FieldError("limits.output_mb: expected a positive number");
            task.limits.output_bytes = static_cast<std::int64_t>(out_mb * (1 << 20));
        }
        task.tags = get_strings(j, "", "tags");
        task.cost_file = get_string(j, "", "cost_file", false);
        if (task.cost_file.find('/') != std::string::npos || task.cost_file == "..")
            throw FieldError("cost_file: expected a plain file name, got \"" + task.cost_file + "\"");
        if (const json* f = member(j, "", "function", false))
            task.function_name = get_string(*f, "function", "name", true);
        if (task.kind == TaskKind::function && task.function_name.empty())
            throw FieldError("function.name: missing (required for kind \"function\")");
        task.baseline = get_array(j, "", "baseline", read_file);
        task.reference = get_array(j, "", "reference", read_file);
        task.harness = get_array(j, "", "harness", read_file);
        task.tests = get_array(j, "", "tests", read_test);
        task.stress = get_array(j, "", "stress", read_test);
        task.root = get_string(j, "", "root", false);
        return task;
    });
}

Result<Edit> edit_from_json(const nlohmann::json& j) {
    return guarded<Edit>([&] { return read_edit(j, ""); });
}

Result<Candidate> candidate_from_json(const nlohmann::json& j) {
    return guarded<Candidate>([&] {
        Candidate c;
        c.id = get_string(j, "", "id", true);
        c.parent = get_string(j, "", "parent", false);
        c.sources = get_array(j, "", "sources", read_file);
        if (const json* e = member(j, "", "edit", false)) c.edit = read_edit(*e, "edit");
        return c;
    });
}

Result<Measurement> measurement_from_json(const nlohmann::json& j) {
    return guarded<Measurement>([&] {
        Measurement m;
        m.verdict = read_verdict(j, "", "verdict");
        m.compile_output = get_string(j, "", "compile_output", false);
        const std::string counter = get_string(j, "", "counter", false, "none");
        auto kind = counter_from_string(counter);
        if (!kind)
            throw FieldError("counter: expected perf, cachegrind, callgrind, harness or none, got \"" + counter + "\"");
        m.counter = *kind;
        m.cost_unit = get_string(j, "", "cost_unit", false, "instructions");
        if (member(j, "", "total_cost", false)) m.total_cost = get_number(j, "", "total_cost", true);
        m.wall_seconds = get_number(j, "", "wall_s", false);
        m.peak_rss_bytes = get_integer(j, "", "peak_rss_bytes", false);
        m.tests = get_array(j, "", "tests", [](const json& t, const std::string& p) {
            TestMeasurement tm;
            tm.name = get_string(t, p, "name", true);
            tm.stress = get_bool(t, p, "stress", false);
            tm.verdict = read_verdict(t, p, "verdict");
            tm.detail = get_string(t, p, "detail", false);
            if (member(t, p, "cost", false)) tm.cost = get_number(t, p, "cost", true);
            tm.wall_median_seconds = get_number(t, p, "wall_median_s", false);
            tm.wall_min_seconds = get_number(t, p, "wall_min_s", false);
            tm.wall_cv = get_number(t, p, "wall_cv", false);
            tm.wall_repeats = static_cast<int>(get_integer(t, p, "wall_repeats", false));
            tm.peak_rss_bytes = get_integer(t, p, "peak_rss_bytes", false);
            return tm;
        });
        return m;
    });
}

Result<nlohmann::json> parse_json(const std::string& text, const std::string& origin) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
        std::string what = error.what();
        auto pos = what.find("] ");
        if (pos != std::string::npos) what = what.substr(pos + 2);
        return fail(Error::input(origin + ": invalid JSON: " + what));
    }
}

}  // namespace optiloop::core
