#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include <optiloop/core/text.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/llm/prompt.hpp>

#include "prompts_builtin.hpp"

namespace optiloop::llm {

namespace fs = std::filesystem;

core::Result<PromptTemplates> load_templates(const fs::path& override_dir) {
    PromptTemplates templates = builtin_prompts();
    if (override_dir.empty()) return templates;
    std::error_code ec;
    if (!fs::is_directory(override_dir, ec))
        return core::fail(core::Error::input("--prompt-dir " + override_dir.string() + ": not a directory"));
    for (const auto& entry : fs::directory_iterator(override_dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
        const std::string name = entry.path().stem().string();
        if (!templates.contains(name)) {
            std::string known;
            for (const auto& [k, v] : templates) known += (known.empty() ? "" : ", ") + k + ".md";
            return core::fail(core::Error::input("--prompt-dir: " + entry.path().string() + ": not a template name; expected one of " + known));
        }
        auto text = core::read_file(entry.path());
        if (!text) return core::fail(core::Error::input("--prompt-dir: cannot read " + entry.path().string()));
        templates[name] = *text;
    }
    return templates;
}

std::string render(const std::string& text, const std::map<std::string, std::string>& values) {
    auto value_of = [&](const std::string& name) -> const std::string* {
        auto it = values.find(name);
        return it == values.end() ? nullptr : &it->second;
    };
    std::string out;
    std::size_t i = 0;
    auto skip_newline = [&] {
        if (i < text.size() && text[i] == '\n') ++i;
    };
    while (i < text.size()) {
        const std::size_t open = text.find("{{", i);
        if (open == std::string::npos) {
            out.append(text, i);
            break;
        }
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string::npos) {
            out.append(text, i);
            break;
        }
        out.append(text, i, open - i);
        std::string tag = text.substr(open + 2, close - open - 2);
        i = close + 2;
        if (!tag.empty() && tag[0] == '#') {
            const std::string name = tag.substr(1);
            const std::string* v = value_of(name);
            skip_newline();
            if (!v || v->empty()) {
                const std::string end = "{{/" + name + "}}";
                const std::size_t e = text.find(end, i);
                i = e == std::string::npos ? text.size() : e + end.size();
                skip_newline();
            }
        } else if (!tag.empty() && tag[0] == '/') {
            skip_newline();
        } else if (const std::string* v = value_of(tag)) {
            out += *v;  // values are never scanned for tags: sources may hold "{{"
        } else {
            out += "{{" + tag + "}}";
        }
    }
    return out;
}

namespace {

// Identifiers, numbers and single punctuation characters, counted.
std::unordered_map<std::string, double> token_counts(const std::string& source) {
    std::unordered_map<std::string, double> counts;
    std::size_t i = 0;
    while (i < source.size()) {
        const unsigned char c = static_cast<unsigned char>(source[i]);
        if (std::isspace(c)) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        if (std::isalnum(c) || c == '_')
            while (j < source.size() && (std::isalnum(static_cast<unsigned char>(source[j])) || source[j] == '_')) ++j;
        counts[source.substr(i, j - i)] += 1;
        i = j;
    }
    return counts;
}

// Identifiers that say what a program is about: no keywords, no common standard-library names,
// nothing shorter than 3 characters (loop counters and sizes are in every program).
std::unordered_map<std::string, double> name_counts(const std::string& source) {
    static const std::unordered_map<std::string, int> generic = [] {
        std::unordered_map<std::string, int> g;
        for (const char* w : {"int", "long", "short", "char", "bool", "void", "double", "float", "auto", "const", "static", "return", "for", "while",
                              "else", "break", "continue", "using", "namespace", "std", "include", "main", "unsigned", "signed", "size_t", "struct",
                              "class", "public", "private", "template", "typename", "true", "false", "nullptr", "new", "delete", "sizeof", "vector",
                              "string", "cin", "cout", "endl", "printf", "scanf", "iostream", "cstdio", "bits", "stdc", "define", "typedef",
                              "operator", "push_back", "size", "begin", "end", "uint64_t", "int64_t", "uint32_t", "int32_t", "constexpr", "inline"})
            g.emplace(w, 1);
        return g;
    }();
    std::unordered_map<std::string, double> counts;
    for (const auto& [token, n] : token_counts(source)) {
        const unsigned char first = static_cast<unsigned char>(token[0]);
        if ((std::isalpha(first) || first == '_') && token.size() >= 3 && !generic.contains(token)) counts[token] = n;
    }
    return counts;
}

double cosine(const std::unordered_map<std::string, double>& a, const std::unordered_map<std::string, double>& b) {
    double dot = 0, na = 0, nb = 0;
    for (const auto& [t, n] : a) {
        na += n * n;
        if (auto it = b.find(t); it != b.end()) dot += n * it->second;
    }
    for (const auto& [t, n] : b) nb += n * n;
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

std::string fenced_sources(const std::vector<core::SourceFile>& sources) {
    std::string out;
    for (const auto& f : sources) {
        // A fence longer than any backtick run inside the file keeps the block intact.
        out += f.path + "\n" + core::fenced(f.content, "cpp") + "\n";
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
    return out;
}

}  // namespace

std::vector<Example> retrieve_examples(const std::string& source, const std::vector<Example>& pool, std::size_t count, const std::string& exclude_id,
                                       double min_similarity) {
    if (count == 0 || pool.empty()) return {};
    const auto query = token_counts(source);
    const auto query_names = min_similarity > 0 ? name_counts(source) : std::unordered_map<std::string, double>{};
    std::vector<std::pair<double, const Example*>> scored;
    for (const auto& e : pool) {
        if (e.id == exclude_id || e.slow == source || e.fast == source) continue;
        if (min_similarity > 0 && cosine(query_names, name_counts(e.slow)) < min_similarity) continue;
        scored.emplace_back(cosine(query, token_counts(e.slow)), &e);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<Example> out;
    for (std::size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(*scored[i].second);
    return out;
}

EditFormat resolve_format(EditFormat format, const std::vector<core::SourceFile>& sources) {
    if (format != EditFormat::automatic) return format;
    std::size_t bytes = 0;
    for (const auto& f : sources) bytes += f.content.size();
    return sources.size() == 1 && bytes <= 8 * 1024 ? EditFormat::whole_file : EditFormat::search_replace;
}

std::vector<Message> build_messages(const PromptTemplates& templates, const PromptInputs& inputs) {
    const core::Task empty_task;
    const core::Task& task = inputs.task ? *inputs.task : empty_task;
    std::vector<std::string> examples;
    for (std::size_t i = 0; i < inputs.examples.size(); ++i)
        examples.push_back(render(templates.at("example"), {{"number", std::to_string(i + 1)}, {"slow", inputs.examples[i].slow}, {"fast", inputs.examples[i].fast}}));
    const EditFormat format = resolve_format(inputs.format, inputs.sources);
    const std::map<std::string, std::string> values = {
        {"compiler", task.build.compiler},
        {"flags", join(task.build.flags, " ")},
        {"description", task.description},
        {"function", task.function_name},
        // A kernel whose harness reports the cost is checked before it is built (the runner's
        // harness_check): the model is told the rules it will be held to.
        {"kernel_rules", task.kind == core::TaskKind::cuda_kernel && !task.cost_file.empty() ? templates.at("kernel-rules") : ""},
        {"examples", join(examples, "\n")},
        {"sources", fenced_sources(inputs.sources)},
        {"hints", inputs.hints},
        {"feedback", inputs.feedback},
        {"format", templates.at(format == EditFormat::whole_file ? "format-whole-file" : "format-search-replace")},
    };
    // A CUDA task gets a GPU engineer's rules, not the C++ ones ("no multithreading" would be absurd).
    const std::string& system = task.language == core::Language::cuda ? templates.at("system-cuda") : templates.at("system");
    return {{"system", render(system, values)}, {"user", render(templates.at("user"), values)}};
}

}  // namespace optiloop::llm
