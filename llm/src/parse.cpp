#include <optiloop/llm/parse.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>

#include <optiloop/llm/edit.hpp>

namespace optiloop::llm {
namespace {

// The answer is fuzzed and comes from a model: every bound below keeps work linear in the input.
constexpr std::size_t k_max_blocks = 256;
constexpr std::size_t k_max_explanation_bytes = 400;
constexpr std::size_t k_max_quote_bytes = 80;
constexpr std::size_t k_max_path_bytes = 255;
constexpr std::size_t k_max_listed_sources = 10;
// Prose lines longer than this are not searched word by word for a file name.
constexpr std::size_t k_max_name_line_bytes = 400;
// A diff header number with more digits than this is treated as absent (no overflow).
constexpr std::size_t k_max_number_digits = 9;

constexpr std::string_view k_no_edit = "the answer holds no code block, SEARCH/REPLACE block or diff";

using Lines = std::vector<std::string_view>;

// ---------------------------------------------------------------------------------------------
// Text helpers. Own character classes: <cctype> is undefined for negative chars.

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim_left(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && is_space(text[i])) ++i;
    return text.substr(i);
}

std::string_view trim_right(std::string_view text) {
    std::size_t n = text.size();
    while (n > 0 && is_space(text[n - 1])) --n;
    return text.substr(0, n);
}

std::string_view trim(std::string_view text) { return trim_right(trim_left(text)); }
bool is_blank(std::string_view text) { return trim_left(text).empty(); }
std::string_view leading_space(std::string_view line) { return line.substr(0, line.size() - trim_left(line).size()); }

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (to_lower(text[i]) != to_lower(prefix[i])) return false;
    return true;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && starts_with_ignoring_case(a, b);
}

// At most `max` bytes, not splitting a UTF-8 sequence (the text goes back to the model).
std::string_view cut(std::string_view text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0U) == 0x80U) --n;
    return text.substr(0, n);
}

std::string quote(std::string_view line) {
    const std::string_view text = trim(line);
    const std::string_view shown = cut(text, k_max_quote_bytes);
    return "`" + std::string(shown) + (shown.size() < text.size() ? "...`" : "`");
}

// Lines without their "\n" or "\r\n"; no empty line after a final newline.
Lines split_lines(std::string_view text) {
    Lines lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
        if (end == std::string_view::npos) end = text.size();
        if (end > start && text[end - 1] == '\r') --end;
        lines.push_back(text.substr(start, end - start));
        start = next;
    }
    return lines;
}

std::string source_list(const std::vector<core::SourceFile>& sources) {
    if (sources.empty()) return "none";
    std::string out;
    for (std::size_t i = 0; i < sources.size() && i < k_max_listed_sources; ++i) out += (i ? ", " : "") + sources[i].path;
    if (sources.size() > k_max_listed_sources) out += ", ...";
    return out;
}

// ---------------------------------------------------------------------------------------------
// File names as models write them: "main.cpp", "`src/x.hpp`:", "**File: a.cpp**", "// a.cpp".

std::string_view without_dot_slash(std::string_view name) {
    while (name.starts_with("./")) name.remove_prefix(2);
    return name;
}

// The source `name` means: its exact path, else the one source whose path and `name` end alike
// at a '/' boundary ("src/main.cpp" for "main.cpp" and the other way round).
std::optional<std::size_t> resolve(std::string_view name, const std::vector<core::SourceFile>& sources) {
    name = without_dot_slash(name);
    if (name.empty()) return std::nullopt;
    for (std::size_t i = 0; i < sources.size(); ++i)
        if (sources[i].path == name) return i;
    auto ends_at_component = [](std::string_view longer, std::string_view shorter) {
        return longer.size() > shorter.size() && longer.ends_with(shorter) && longer[longer.size() - shorter.size() - 1] == '/';
    };
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const std::string_view path = sources[i].path;
        if (path.empty() || !(ends_at_component(path, name) || ends_at_component(name, path))) continue;
        if (found) return std::nullopt;  // two sources fit: the name does not say which
        found = i;
    }
    return found;
}

// A word that reads as a file name: path characters and an extension with a letter in it.
bool looks_like_file_name(std::string_view name) {
    if (name.empty() || name.size() > k_max_path_bytes) return false;
    for (char c : name)
        if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == '+')) return false;
    const std::size_t slash = name.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? name : name.substr(slash + 1);
    const std::size_t dot = last.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == last.size()) return false;
    const std::string_view extension = last.substr(dot + 1);
    if (extension.size() > 10) return false;
    bool has_letter = false;
    for (char c : extension) {
        if (!(is_alpha(c) || is_digit(c) || c == '+')) return false;
        has_letter = has_letter || is_alpha(c);
    }
    return has_letter;
}

// The only names a new file may have: relative, without "." or ".." components.
bool is_new_file_name(std::string_view name) {
    if (!looks_like_file_name(name) || name.front() == '/') return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t slash = name.find('/', start);
        if (slash == std::string_view::npos) slash = name.size();
        const std::string_view component = name.substr(start, slash - start);
        if (component.empty() || component == "." || component == "..") return false;
        start = slash + 1;
    }
    return true;
}

bool is_decoration(char c) { return c == '`' || c == '*' || c == '"' || c == '\''; }

// A line that is nothing but a file name, once headings, comment markers, "File:" labels,
// backticks, bold markers and a trailing colon are taken off.
std::optional<std::string_view> name_on_line(std::string_view line) {
    std::string_view text = trim(line);
    for (int round = 0; round < 8; ++round) {
        const std::string_view before = text;
        while (!text.empty() && text.front() == '#') text.remove_prefix(1);
        if (text.starts_with("//") || text.starts_with("/*")) text.remove_prefix(2);
        if (text.ends_with("*/")) text.remove_suffix(2);
        text = trim(text);
        for (std::string_view label : {"file:", "filename:", "file name:", "path:"}) {
            if (starts_with_ignoring_case(text, label)) {
                text.remove_prefix(label.size());
                break;
            }
        }
        while (!text.empty() && is_decoration(text.front())) text.remove_prefix(1);
        while (!text.empty() && (is_decoration(text.back()) || text.back() == ':')) text.remove_suffix(1);
        text = trim(text);
        if (text.size() == before.size()) break;
    }
    if (text.empty() || std::any_of(text.begin(), text.end(), is_space)) return std::nullopt;
    return text;
}

// A name a file-name line gives: one of the sources, or a new file (checked by the caller).
std::optional<std::string_view> file_name_of(std::string_view line, const std::vector<core::SourceFile>& sources) {
    auto name = name_on_line(line);
    if (!name) return std::nullopt;
    if (resolve(*name, sources) || looks_like_file_name(without_dot_slash(*name))) return name;
    return std::nullopt;
}

// Prose such as "Changes to `main.cpp`:" names a file only through a word that is one of the
// sources (a new name in prose is too easily a false hit).
std::optional<std::string_view> source_named_in(std::string_view line, const std::vector<core::SourceFile>& sources) {
    if (line.size() > k_max_name_line_bytes) return std::nullopt;
    std::optional<std::string_view> found_word;
    std::optional<std::size_t> found_source;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_space(line[i])) ++i;
        const std::size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        std::string_view word = line.substr(start, i - start);
        auto punctuation = [](char c) { return is_decoration(c) || std::string_view("()[],;:!?").find(c) != std::string_view::npos; };
        while (!word.empty() && punctuation(word.front())) word.remove_prefix(1);
        while (!word.empty() && (punctuation(word.back()) || word.back() == '.')) word.remove_suffix(1);
        const auto source = resolve(word, sources);
        if (!source) continue;
        if (found_source && *found_source != *source) return std::nullopt;
        found_source = source;
        found_word = word;
    }
    return found_word;
}

// ---------------------------------------------------------------------------------------------
// Code fences.

struct FenceMark {
    char fence_char = '`';
    std::size_t run = 0;
    std::size_t indent = 0;
    std::string_view info;
};

// ``` or ~~~ (three or more), indented a little at most (lists indent their fences).
std::optional<FenceMark> fence_mark(std::string_view line) {
    FenceMark mark;
    while (mark.indent < line.size() && mark.indent <= 12 && line[mark.indent] == ' ') ++mark.indent;
    if (mark.indent >= line.size() || mark.indent > 12) return std::nullopt;
    mark.fence_char = line[mark.indent];
    if (mark.fence_char != '`' && mark.fence_char != '~') return std::nullopt;
    while (mark.indent + mark.run < line.size() && line[mark.indent + mark.run] == mark.fence_char) ++mark.run;
    if (mark.run < 3) return std::nullopt;
    mark.info = trim(line.substr(mark.indent + mark.run));
    // "```x```" on one line is inline code, not a fence (CommonMark).
    if (mark.fence_char == '`' && mark.info.find('`') != std::string_view::npos) return std::nullopt;
    return mark;
}

struct Fence {
    std::size_t number = 0;  // 1-based, in answer order
    std::size_t open = 0;    // line of the opening fence
    std::size_t close = 0;   // line of the closing fence; the line count when not closed
    bool closed = false;
    std::size_t indent = 0;
    std::string_view info;
};

// What each answer line is: prose goes into the explanation, the rest is code.
enum class LineRole : unsigned char { prose, search_block, code };

// Fences outside SEARCH/REPLACE blocks (a block's text never opens or closes a fence).
std::vector<Fence> read_fences(const Lines& lines, std::vector<LineRole>& roles) {
    std::vector<Fence> fences;
    std::size_t i = 0;
    while (i < lines.size()) {
        const auto open = roles[i] == LineRole::search_block ? std::nullopt : fence_mark(lines[i]);
        if (!open) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        for (; j < lines.size(); ++j) {
            if (roles[j] == LineRole::search_block) continue;
            const auto mark = fence_mark(lines[j]);
            if (mark && mark->fence_char == open->fence_char && mark->run >= open->run && mark->info.empty()) break;
        }
        Fence fence{fences.size() + 1, i, j, j < lines.size(), open->indent, open->info};
        for (std::size_t k = i; k <= j && k < lines.size(); ++k)
            if (roles[k] == LineRole::prose) roles[k] = LineRole::code;
        fences.push_back(fence);
        i = j + 1;
    }
    return fences;
}

// Output of tools and shells, and diffs that did not parse, are never a source file.
bool holds_no_source(const Fence& fence) {
    std::size_t end = 0;
    while (end < fence.info.size() && !is_space(fence.info[end]) && std::string_view(":{,").find(fence.info[end]) == std::string_view::npos) ++end;
    const std::string_view language = fence.info.substr(0, end);
    for (std::string_view other : {"bash", "sh", "zsh", "shell", "console", "terminal", "cmd", "powershell", "text", "txt",
                                   "plaintext", "output", "log", "json", "yaml", "markdown", "md", "diff", "patch"})
        if (equals_ignoring_case(language, other)) return true;
    return false;
}

// The content of a fence, with the file's line endings and a final newline.
std::string fence_content(const Lines& lines, const Fence& fence, std::string_view eol) {
    std::string content;
    for (std::size_t i = fence.open + 1; i < fence.close && i < lines.size(); ++i) {
        std::string_view line = lines[i];
        std::size_t strip = 0;
        while (strip < fence.indent && strip < line.size() && line[strip] == ' ') ++strip;
        line.remove_prefix(strip);
        content.append(line);
        content.append(eol);
    }
    return content;
}

// "```cpp main.cpp", "```main.cpp", "```cpp:main.cpp", "```cpp title=\"main.cpp\"".
std::optional<std::string_view> name_in_info(std::string_view info, const std::vector<core::SourceFile>& sources) {
    std::size_t i = 0;
    auto separator = [](char c) { return is_space(c) || std::string_view(":={},\"'`").find(c) != std::string_view::npos; };
    while (i < info.size()) {
        while (i < info.size() && separator(info[i])) ++i;
        const std::size_t start = i;
        while (i < info.size() && !separator(info[i])) ++i;
        const std::string_view word = info.substr(start, i - start);
        if (word.empty()) continue;
        if (resolve(word, sources) || looks_like_file_name(without_dot_slash(word))) return word;
    }
    return std::nullopt;
}

// The file named on the lines just above line `at` (blank lines skipped, and fence openers when
// `through_fences`, whose info may name it), looking at most `max_lines` lines up and not above `floor`.
std::optional<std::string_view> name_above(const Lines& lines, std::size_t at, std::size_t floor, std::size_t max_lines,
                                           bool through_fences, const std::vector<core::SourceFile>& sources) {
    for (std::size_t looked = 0; at > floor && looked < max_lines; ++looked) {
        --at;
        const std::string_view line = lines[at];
        if (is_blank(line)) continue;
        if (through_fences) {
            if (const auto mark = fence_mark(line)) {
                if (auto name = name_in_info(mark->info, sources)) return name;
                continue;
            }
        }
        if (auto name = file_name_of(line, sources)) return name;
        return source_named_in(line, sources);
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Locating lines in a file in linear time: every line is interned as a number, exact and with
// its surrounding whitespace trimmed, and a block is searched for with Knuth-Morris-Pratt.

using LineId = std::size_t;
constexpr LineId k_absent = SIZE_MAX;  // a line the file does not have

class FileIndex {
public:
    explicit FileIndex(std::string_view content) : m_content(content) {
        std::size_t start = 0;
        while (start < content.size()) {
            std::size_t end = content.find('\n', start);
            const bool has_newline = end != std::string_view::npos;
            if (!has_newline) end = content.size();
            std::size_t text_end = end;
            if (text_end > start && content[text_end - 1] == '\r') --text_end;
            const std::string_view text = content.substr(start, text_end - start);
            m_starts.push_back(start);
            m_texts.push_back(text);
            m_exact.push_back(intern(m_exact_table, text));
            m_trimmed.push_back(intern(m_trimmed_table, trim(text)));
            start = has_newline ? end + 1 : content.size();
        }
        const std::size_t newline = content.find('\n');
        m_crlf = newline != std::string_view::npos && newline > 0 && content[newline - 1] == '\r';
    }

    [[nodiscard]] std::size_t line_count() const { return m_starts.size(); }
    [[nodiscard]] std::string_view line(std::size_t index) const { return m_texts[index]; }
    // Where line `index` starts; the end of the file for line_count().
    [[nodiscard]] std::size_t offset_of(std::size_t index) const { return index < m_starts.size() ? m_starts[index] : m_content.size(); }
    [[nodiscard]] bool ends_with_newline() const { return m_content.empty() || m_content.back() == '\n'; }
    // New lines keep the file's own line endings.
    [[nodiscard]] std::string_view eol() const { return m_crlf ? "\r\n" : "\n"; }

    [[nodiscard]] const std::vector<LineId>& ids(bool trimmed) const { return trimmed ? m_trimmed : m_exact; }
    [[nodiscard]] std::vector<LineId> ids_of(const Lines& lines, bool trimmed) const {
        const auto& table = trimmed ? m_trimmed_table : m_exact_table;
        std::vector<LineId> out;
        out.reserve(lines.size());
        for (std::string_view line : lines) {
            const auto it = table.find(trimmed ? trim(line) : line);
            out.push_back(it == table.end() ? k_absent : it->second);
        }
        return out;
    }

private:
    static LineId intern(std::unordered_map<std::string_view, LineId>& table, std::string_view text) {
        const LineId next = table.size();
        return table.try_emplace(text, next).first->second;
    }

    std::string_view m_content;
    std::vector<std::size_t> m_starts;
    std::vector<std::string_view> m_texts;
    std::vector<LineId> m_exact;
    std::vector<LineId> m_trimmed;
    std::unordered_map<std::string_view, LineId> m_exact_table;
    std::unordered_map<std::string_view, LineId> m_trimmed_table;
    bool m_crlf = false;
};

// Indexes built on first use: only the files an answer edits are cut into lines.
class FileIndexes {
public:
    explicit FileIndexes(const std::vector<core::SourceFile>& sources) : m_sources(sources), m_indexes(sources.size()) {}
    const FileIndex& of(std::size_t source) {
        if (!m_indexes[source]) m_indexes[source].emplace(m_sources[source].content);
        return *m_indexes[source];
    }

private:
    const std::vector<core::SourceFile>& m_sources;
    std::vector<std::optional<FileIndex>> m_indexes;
};

struct Occurrences {
    std::vector<std::size_t> starts;  // every place the needle occurs, overlapping ones included
    std::size_t longest_prefix = 0;   // most leading needle lines found in a row anywhere
    std::size_t longest_prefix_at = 0;
};

Occurrences find_occurrences(std::span<const LineId> haystack, std::span<const LineId> needle) {
    Occurrences found;
    const std::size_t m = needle.size();
    if (m == 0) return found;
    std::vector<std::size_t> border(m, 0);
    for (std::size_t i = 1, k = 0; i < m; ++i) {
        while (k > 0 && needle[i] != needle[k]) k = border[k - 1];
        if (needle[i] == needle[k]) ++k;
        border[i] = k;
    }
    for (std::size_t i = 0, k = 0; i < haystack.size(); ++i) {
        while (k > 0 && haystack[i] != needle[k]) k = border[k - 1];
        if (haystack[i] == needle[k]) ++k;
        if (k > found.longest_prefix) {
            found.longest_prefix = k;
            found.longest_prefix_at = i + 1 - k;
        }
        if (k == m) {
            found.starts.push_back(i + 1 - m);
            k = border[k - 1];
        }
    }
    return found;
}

struct Location {
    std::size_t line = 0;
    bool trimmed = false;  // found only when ignoring whitespace around each line
};

struct Lookup {
    std::optional<Location> location;
    std::vector<std::size_t> places;  // several when the needle is ambiguous
    Occurrences near_miss;            // the whitespace-tolerant search, for saying what failed
};

// Where `needle` is in `file`: exactly, else ignoring surrounding whitespace, never fuzzier. With
// a `hint` (a diff's stated line), the hinted line wins, then the occurrence nearest to it;
// without one, a needle found in several places is ambiguous.
Lookup locate(const FileIndex& file, const Lines& needle, std::optional<std::size_t> hint) {
    Lookup lookup;
    for (const bool trimmed : {false, true}) {
        const std::vector<LineId> ids = file.ids_of(needle, trimmed);
        const std::vector<LineId>& haystack = file.ids(trimmed);
        if (hint && *hint <= haystack.size() && ids.size() <= haystack.size() - *hint &&
            std::equal(ids.begin(), ids.end(), haystack.begin() + static_cast<std::ptrdiff_t>(*hint))) {
            lookup.location = Location{*hint, trimmed};
            return lookup;
        }
        Occurrences found = find_occurrences(haystack, ids);
        if (found.starts.size() == 1 || (found.starts.size() > 1 && hint)) {
            std::size_t best = found.starts.front();
            if (hint) {
                auto distance = [&](std::size_t line) { return line > *hint ? line - *hint : *hint - line; };
                for (std::size_t start : found.starts)
                    if (distance(start) < distance(best)) best = start;
            }
            lookup.location = Location{best, trimmed};
            return lookup;
        }
        if (found.starts.size() > 1) {
            lookup.places = std::move(found.starts);
            return lookup;
        }
        lookup.near_miss = std::move(found);
    }
    return lookup;
}

// Why a needle was not found, in terms the model can fix.
std::string near_miss_text(const Lookup& lookup, const Lines& needle, const std::string& path) {
    const std::size_t matched = lookup.near_miss.longest_prefix;
    if (matched == 0 || matched >= needle.size())
        return "its first line " + quote(needle.front()) + " is not a line of " + path;
    return "its first " + std::to_string(matched) + (matched == 1 ? " line matches" : " lines match") + " at line " +
           std::to_string(lookup.near_miss.longest_prefix_at + 1) + " of " + path + " but its line " + std::to_string(matched + 1) +
           " " + quote(needle[matched]) + " does not follow";
}

std::string places_text(const std::vector<std::size_t>& places) {
    std::string out;
    for (std::size_t i = 0; i < places.size() && i < 5; ++i) out += (i ? ", " : "") + std::to_string(places[i] + 1);
    if (places.size() > 5) out += ", ...";
    return out;
}

// A block written with other indentation than the file's is shifted by the difference between
// its first non-blank line and the file line that line matched.
struct Reindent {
    std::string_view from;
    std::string_view to;
};

Reindent reindent_for(const FileIndex& file, const Location& location, const Lines& needle) {
    if (!location.trimmed) return {};
    for (std::size_t i = 0; i < needle.size(); ++i)
        if (!is_blank(needle[i])) return {leading_space(needle[i]), leading_space(file.line(location.line + i))};
    return {};
}

void append_reindented(std::string& out, std::string_view line, const Reindent& reindent) {
    if (reindent.from == reindent.to || is_blank(line)) {
        out.append(line);
    } else if (reindent.to.starts_with(reindent.from)) {
        out.append(reindent.to.substr(reindent.from.size()));
        out.append(line);
    } else if (reindent.from.starts_with(reindent.to) && line.starts_with(reindent.from.substr(reindent.to.size()))) {
        out.append(line.substr(reindent.from.size() - reindent.to.size()));
    } else {
        out.append(line);  // tabs against spaces, or a line indented less than the first: keep as written
    }
}

// Replaces lines [first, first + count) of a file, newline included, by `new_lines`.
core::Replacement replace_lines(const std::string& path, const FileIndex& file, std::size_t first, std::size_t count,
                                const Lines& new_lines, const Reindent& reindent) {
    core::Replacement replacement{path, file.offset_of(first), file.offset_of(first + count) - file.offset_of(first), {}};
    for (std::string_view line : new_lines) {
        append_reindented(replacement.text, line, reindent);
        replacement.text.append(file.eol());
    }
    // The file's last line had no newline: neither has the text that replaces it.
    if (first + count == file.line_count() && !file.ends_with_newline() && !replacement.text.empty())
        replacement.text.resize(replacement.text.size() - file.eol().size());
    return replacement;
}

// Inserts `new_lines` before line `at` (at the end for line_count()).
core::Replacement insert_lines(const std::string& path, const FileIndex& file, std::size_t at, const Lines& new_lines) {
    core::Replacement replacement{path, file.offset_of(at), 0, {}};
    if (at >= file.line_count() && !file.ends_with_newline()) replacement.text.append(file.eol());
    for (std::string_view line : new_lines) {
        replacement.text.append(line);
        replacement.text.append(file.eol());
    }
    return replacement;
}

// ---------------------------------------------------------------------------------------------
// Turning located changes into an Edit.

struct Change {
    std::size_t source = 0;
    core::Replacement replacement;
    std::string origin;  // "SEARCH block 2", "hunk 1 of the diff for main.cpp"
    bool appends = false;
    std::size_t order = 0;
};

void add_to_new_file(std::vector<core::SourceFile>& files, const std::string& path, const Lines& lines) {
    auto it = std::find_if(files.begin(), files.end(), [&](const core::SourceFile& f) { return f.path == path; });
    if (it == files.end()) it = files.insert(files.end(), core::SourceFile{path, {}});
    for (std::string_view line : lines) {
        it->content.append(line);
        it->content.push_back('\n');
    }
}

core::Result<core::Edit> finish(core::Edit edit, std::vector<Change> changes, std::vector<core::SourceFile> new_files,
                                const std::vector<core::SourceFile>& sources, std::string_view what) {
    // A block that repeats the file's own text changes nothing; dropping it keeps it out of the overlap check.
    std::erase_if(changes, [&](const Change& change) {
        const auto& r = change.replacement;
        return sources[change.source].content.compare(r.offset, r.length, r.text) == 0;
    });
    // Answer order breaks ties, so an overlap names the earlier block first. (std::sort, not
    // stable_sort: libstdc++ 12's stable_sort warns under Clang 19.)
    for (std::size_t i = 0; i < changes.size(); ++i) changes[i].order = i;
    std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
        if (a.source != b.source) return a.source < b.source;
        if (a.replacement.offset != b.replacement.offset) return a.replacement.offset < b.replacement.offset;
        return a.order < b.order;
    });
    for (std::size_t i = 1; i < changes.size(); ++i) {
        const auto& a = changes[i - 1];
        const auto& b = changes[i];
        if (a.source != b.source) continue;
        const auto& ra = a.replacement;
        const auto& rb = b.replacement;
        if (rb.offset == ra.offset || rb.offset < ra.offset + ra.length)
            return core::fail(core::Error::input(a.origin + " and " + b.origin + " overlap in " + ra.path + "; merge them into one"));
    }
    for (auto& change : changes) edit.replacements.push_back(std::move(change.replacement));
    edit.files = std::move(new_files);
    if (edit.replacements.empty() && edit.files.empty())
        return core::fail(core::Error::input("the answer's " + std::string(what) + " change nothing; each must change the code"));
    // Several replacements can still add up to the original text; the edit must apply and change something.
    if (auto applied = apply_edit(sources, edit); !applied)
        return core::fail(core::Error::input("the answer's " + std::string(what) + " do not apply: " + applied.error().message));
    return edit;
}

// ---------------------------------------------------------------------------------------------
// SEARCH/REPLACE blocks.

enum class Marker { none, search, divider, replace };

// "<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE" with 5 to 9 marker characters.
Marker marker_of(std::string_view line) {
    const std::string_view text = trim(line);
    if (text.empty() || (text.front() != '<' && text.front() != '=' && text.front() != '>')) return Marker::none;
    std::size_t run = 0;
    while (run < text.size() && text[run] == text.front()) ++run;
    if (run < 5 || run > 9) return Marker::none;
    const std::string_view word = trim(text.substr(run));
    switch (text.front()) {
        case '=': return word.empty() ? Marker::divider : Marker::none;
        case '<': return equals_ignoring_case(word, "SEARCH") ? Marker::search : Marker::none;
        default: return equals_ignoring_case(word, "REPLACE") ? Marker::replace : Marker::none;
    }
}

struct SearchBlock {
    std::size_t number = 0;
    std::size_t begin = 0;  // line of the SEARCH marker
    std::size_t end = 0;    // line of the REPLACE marker
    Lines search;
    Lines replace;
};

core::Result<std::vector<SearchBlock>> read_search_blocks(const Lines& lines) {
    std::vector<SearchBlock> blocks;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (marker_of(lines[i]) != Marker::search) continue;
        SearchBlock block;
        block.number = blocks.size() + 1;
        block.begin = i;
        const std::string name = "SEARCH block " + std::to_string(block.number);
        if (block.number > k_max_blocks)
            return core::fail(core::Error::input("the answer has more than " + std::to_string(k_max_blocks) + " SEARCH blocks; send fewer, larger ones"));
        bool divided = false;
        bool finished = false;
        std::size_t j = i + 1;
        for (; j < lines.size(); ++j) {
            const Marker marker = marker_of(lines[j]);
            if (marker == Marker::search)
                return core::fail(core::Error::input(name + " has no " + (divided ? ">>>>>>> REPLACE" : "=======") + " line before the next <<<<<<< SEARCH"));
            if (!divided) {
                if (marker == Marker::replace)
                    return core::fail(core::Error::input(name + " has no ======= line between its SEARCH and REPLACE text"));
                if (marker == Marker::divider) divided = true;
                else block.search.push_back(lines[j]);
            } else {
                if (marker == Marker::replace) {
                    finished = true;
                    break;
                }
                block.replace.push_back(lines[j]);  // a second ======= is replacement text
            }
        }
        if (!finished)
            return core::fail(core::Error::input(name + " has no " + (divided ? ">>>>>>> REPLACE" : "=======") + " line (the answer may be cut off)"));
        block.end = j;
        i = j;
        blocks.push_back(std::move(block));
    }
    return blocks;
}

core::Result<core::Edit> edit_from_search_blocks(core::Edit edit, const Lines& lines, const std::vector<SearchBlock>& blocks,
                                                 const std::vector<core::SourceFile>& sources) {
    FileIndexes indexes(sources);
    std::vector<Change> changes;
    std::vector<core::SourceFile> new_files;
    // A block without a file name edits the file of the block before it (as aider reads them).
    std::optional<std::size_t> previous_source;
    std::string previous_new_path;
    std::size_t floor = 0;
    for (const auto& block : blocks) {
        const std::string origin = "SEARCH block " + std::to_string(block.number);
        const auto written = name_above(lines, block.begin, floor, 4, true, sources);
        floor = block.end + 1;
        const bool appends = std::all_of(block.search.begin(), block.search.end(), is_blank);

        std::optional<std::size_t> source;
        std::string new_path;
        if (written) {
            source = resolve(*written, sources);
            if (!source) {
                new_path = std::string(without_dot_slash(*written));
                if (!appends)
                    return core::fail(core::Error::input(origin + " names " + new_path + ", which is not among the sources (" + source_list(sources) +
                                                         "); use one of those names, or an empty SEARCH to create a new file"));
                if (!is_new_file_name(new_path))
                    return core::fail(core::Error::input(origin + " names " + new_path + ", which is not a relative path inside the task"));
            }
        } else if (previous_source || !previous_new_path.empty()) {
            source = previous_source;
            new_path = previous_new_path;
        } else if (sources.size() == 1) {
            source = 0;
        } else {
            return core::fail(core::Error::input(origin + " names no file; put the file name (one of " + source_list(sources) + ") on the line before it"));
        }
        previous_source = source;
        previous_new_path = new_path;

        if (!source) {
            if (!appends)
                return core::fail(core::Error::input(origin + " edits " + new_path + ", which the answer creates; give its whole content in one block with an empty SEARCH"));
            add_to_new_file(new_files, new_path, block.replace);
            continue;
        }
        const std::string& path = sources[*source].path;
        const FileIndex& file = indexes.of(*source);
        if (appends) {
            const core::Replacement tail = insert_lines(path, file, file.line_count(), block.replace);
            auto earlier = std::find_if(changes.begin(), changes.end(), [&](const Change& c) { return c.appends && c.source == *source; });
            if (earlier == changes.end()) {
                changes.push_back({*source, tail, origin, true});
            } else {
                // Appends to one file follow each other in answer order.
                const std::size_t separator = file.ends_with_newline() ? 0 : file.eol().size();
                earlier->replacement.text.append(tail.text, separator);
            }
            continue;
        }
        const Lookup lookup = locate(file, block.search, std::nullopt);
        if (!lookup.places.empty())
            return core::fail(core::Error::input(origin + " matches " + std::to_string(lookup.places.size()) + " places in " + path +
                                                 "; include more lines to make it unique (it matches at lines " + places_text(lookup.places) + ")"));
        if (!lookup.location)
            return core::fail(core::Error::input(origin + " was not found in " + path + ": " + near_miss_text(lookup, block.search, path) +
                                                 "; copy the lines exactly as they are in the file"));
        const Reindent reindent = reindent_for(file, *lookup.location, block.search);
        changes.push_back({*source, replace_lines(path, file, lookup.location->line, block.search.size(), block.replace, reindent), origin, false});
    }
    return finish(std::move(edit), std::move(changes), std::move(new_files), sources, "SEARCH/REPLACE blocks");
}

// ---------------------------------------------------------------------------------------------
// Unified diffs.

struct Hunk {
    std::size_t number = 0;                // 1-based within its file's diff
    std::optional<std::size_t> old_start;  // as the header states it
    std::optional<std::size_t> old_count;
    std::optional<std::size_t> new_count;
    Lines body;                            // lines with their ' ', '-', '+' or '\' prefix
};

struct FileDiff {
    bool has_header = false;
    std::string_view old_name;
    std::string_view new_name;
    std::vector<Hunk> hunks;
};

bool is_file_header(const Lines& lines, std::size_t i) {
    return i + 1 < lines.size() && lines[i].starts_with("--- ") && lines[i + 1].starts_with("+++ ");
}

// "a/src/x.cpp\t2024-01-01 ..." -> "a/src/x.cpp".
std::string_view header_name(std::string_view text) {
    const std::size_t tab = text.find('\t');
    if (tab != std::string_view::npos) text = text.substr(0, tab);
    text = trim(text);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
    return text;
}

std::optional<std::size_t> read_number(std::string_view& text) {
    std::size_t digits = 0;
    std::size_t value = 0;
    while (digits < text.size() && is_digit(text[digits])) {
        if (digits < k_max_number_digits) value = value * 10 + static_cast<std::size_t>(text[digits] - '0');
        ++digits;
    }
    text.remove_prefix(digits);
    if (digits == 0 || digits > k_max_number_digits) return std::nullopt;
    return value;
}

// "@@ -12,5 +12,7 @@ ..."; what is missing or malformed stays unknown.
void read_hunk_header(std::string_view line, Hunk& hunk) {
    std::string_view text = trim_left(line.substr(2));
    if (!text.starts_with('-')) return;
    text.remove_prefix(1);
    const auto old_start = read_number(text);
    if (!old_start) return;
    hunk.old_start = old_start;
    std::optional<std::size_t> old_count = 1;
    if (text.starts_with(',')) {
        text.remove_prefix(1);
        old_count = read_number(text);
    }
    text = trim_left(text);
    if (!old_count || !text.starts_with('+')) return;
    text.remove_prefix(1);
    if (!read_number(text)) return;
    std::optional<std::size_t> new_count = 1;
    if (text.starts_with(',')) {
        text.remove_prefix(1);
        new_count = read_number(text);
    }
    if (!new_count) return;
    hunk.old_count = old_count;
    hunk.new_count = new_count;
}

bool starts_headerless_hunk(std::string_view line) {
    return line.starts_with("@@ -") && line.size() > 4 && is_digit(line[4]);
}

core::Result<std::vector<FileDiff>> read_diffs(const Lines& lines, std::vector<LineRole>& roles) {
    std::vector<FileDiff> diffs;
    std::size_t hunk_count = 0;
    std::size_t i = 0;
    while (i < lines.size()) {
        if (is_file_header(lines, i)) {
            diffs.push_back({true, header_name(lines[i].substr(4)), header_name(lines[i + 1].substr(4)), {}});
            roles[i] = roles[i + 1] = LineRole::code;
            i += 2;
            continue;
        }
        const std::string_view line = lines[i];
        const bool continues = !diffs.empty() && line.starts_with("@@");
        if (!continues && !starts_headerless_hunk(line)) {
            ++i;
            continue;
        }
        if (!continues) diffs.push_back({});
        if (++hunk_count > k_max_blocks)
            return core::fail(core::Error::input("the answer's diff has more than " + std::to_string(k_max_blocks) + " hunks; send fewer, larger ones"));
        Hunk hunk;
        hunk.number = diffs.back().hunks.size() + 1;
        read_hunk_header(line, hunk);
        roles[i] = LineRole::code;
        std::size_t j = i + 1;
        for (; j < lines.size(); ++j) {
            const std::string_view body = lines[j];
            if (body.starts_with("@@") || is_file_header(lines, j)) break;
            // Models drop the space of empty context lines: an empty line is context.
            if (!body.empty() && body[0] != ' ' && body[0] != '-' && body[0] != '+' && body[0] != '\\') break;
            hunk.body.push_back(body);
            roles[j] = LineRole::code;
        }
        while (!hunk.body.empty() && hunk.body.back().empty()) hunk.body.pop_back();
        diffs.back().hunks.push_back(std::move(hunk));
        i = j;
    }
    return diffs;
}

struct HunkSides {
    Lines old_lines;
    Lines new_lines;
};

HunkSides sides_of(const Lines& body) {
    HunkSides sides;
    for (std::string_view line : body) {
        if (line.empty()) {
            sides.old_lines.push_back(line);
            sides.new_lines.push_back(line);
        } else if (line[0] == ' ') {
            sides.old_lines.push_back(line.substr(1));
            sides.new_lines.push_back(line.substr(1));
        } else if (line[0] == '-') {
            sides.old_lines.push_back(line.substr(1));
        } else if (line[0] == '+') {
            sides.new_lines.push_back(line.substr(1));
        }  // "\ No newline at end of file" belongs to neither side
    }
    return sides;
}

// The body cut where the header's counts say the hunk ends: a bare diff followed by a markdown
// list ("- item") reads as more removed lines otherwise.
Lines counted_body(const Hunk& hunk) {
    if (!hunk.old_count || !hunk.new_count) return hunk.body;
    Lines body;
    std::size_t old_seen = 0;
    std::size_t new_seen = 0;
    for (std::string_view line : hunk.body) {
        if (old_seen >= *hunk.old_count && new_seen >= *hunk.new_count) break;
        const char kind = line.empty() ? ' ' : line[0];
        if (kind != '+' && kind != '\\') ++old_seen;
        if (kind != '-' && kind != '\\') ++new_seen;
        body.push_back(line);
    }
    return body;
}

bool is_dev_null(std::string_view name) { return name == "/dev/null"; }

// The path a diff header means: a source's own path, else the name without git's "a/" or "b/".
std::string diff_path(std::string_view name, const std::vector<core::SourceFile>& sources) {
    if (const auto source = resolve(name, sources)) return sources[*source].path;
    if (name.starts_with("a/") || name.starts_with("b/")) name.remove_prefix(2);
    return std::string(without_dot_slash(name));
}

core::Result<core::Edit> edit_from_diffs(core::Edit edit, const std::vector<FileDiff>& diffs, const std::vector<core::SourceFile>& sources) {
    FileIndexes indexes(sources);
    std::vector<Change> changes;
    std::vector<core::SourceFile> new_files;
    for (const auto& diff : diffs) {
        if (diff.hunks.empty()) continue;
        std::optional<std::size_t> source;
        if (!diff.has_header) {
            if (sources.size() != 1)
                return core::fail(core::Error::input("the diff's hunks name no file; start the diff for each file with --- a/FILE and +++ b/FILE lines (FILE one of " +
                                                     source_list(sources) + ")"));
            source = 0;
        } else if (is_dev_null(diff.new_name)) {
            return core::fail(core::Error::input("the diff deletes " + diff_path(diff.old_name, sources) + "; deleting files is not supported"));
        } else if (is_dev_null(diff.old_name)) {
            const std::string path = diff_path(diff.new_name, sources);
            if (resolve(path, sources))
                return core::fail(core::Error::input("the diff creates " + path + " from /dev/null, but it exists; diff against its current content"));
            if (!is_new_file_name(path))
                return core::fail(core::Error::input("the diff creates " + path + ", which is not a relative path inside the task"));
            for (const auto& hunk : diff.hunks) add_to_new_file(new_files, path, sides_of(hunk.body).new_lines);
            continue;
        } else {
            source = resolve(diff_path(diff.new_name, sources), sources);
            if (!source) source = resolve(diff_path(diff.old_name, sources), sources);
            if (!source)
                return core::fail(core::Error::input("the diff edits " + diff_path(diff.new_name, sources) + ", which is not among the sources (" +
                                                     source_list(sources) + ")"));
        }
        const std::string& path = sources[*source].path;
        const FileIndex& file = indexes.of(*source);
        for (const auto& hunk : diff.hunks) {
            const std::string origin = "hunk " + std::to_string(hunk.number) + " of the diff for " + path;
            HunkSides sides = sides_of(hunk.body);
            if (sides.old_lines.empty()) {
                if (sides.new_lines.empty()) continue;
                if (!hunk.old_start)
                    return core::fail(core::Error::input(origin + " has no context lines and no line number; give it 3 lines of context"));
                // "-5,0" inserts after line 5.
                changes.push_back({*source, insert_lines(path, file, std::min(*hunk.old_start, file.line_count()), sides.new_lines), origin, false});
                continue;
            }
            const std::optional<std::size_t> hint = hunk.old_start ? std::optional<std::size_t>(*hunk.old_start > 0 ? *hunk.old_start - 1 : 0) : std::nullopt;
            Lookup lookup = locate(file, sides.old_lines, hint);
            if (!lookup.location && lookup.places.empty()) {
                if (const Lines counted = counted_body(hunk); counted.size() < hunk.body.size()) {
                    HunkSides shorter = sides_of(counted);
                    if (!shorter.old_lines.empty()) {
                        Lookup retry = locate(file, shorter.old_lines, hint);
                        if (retry.location) {
                            lookup = std::move(retry);
                            sides = std::move(shorter);
                        }
                    }
                }
            }
            if (!lookup.places.empty())
                return core::fail(core::Error::input(origin + " matches " + std::to_string(lookup.places.size()) + " places in " + path +
                                                     "; give its @@ line numbers or more context (it matches at lines " + places_text(lookup.places) + ")"));
            if (!lookup.location)
                return core::fail(core::Error::input(origin + ": its context and removed lines were not found: " + near_miss_text(lookup, sides.old_lines, path) +
                                                     "; copy them exactly as they are in the file"));
            const Reindent reindent = reindent_for(file, *lookup.location, sides.old_lines);
            changes.push_back({*source, replace_lines(path, file, lookup.location->line, sides.old_lines.size(), sides.new_lines, reindent), origin, false});
        }
    }
    return finish(std::move(edit), std::move(changes), std::move(new_files), sources, "diff hunks");
}

// ---------------------------------------------------------------------------------------------
// Whole files in code fences.

// Equal up to trailing whitespace at the end of the file (models drop or add the last newline).
bool same_code(std::string_view a, std::string_view b) { return trim_right(a) == trim_right(b); }

std::string_view eol_of(std::string_view content) {
    const std::size_t newline = content.find('\n');
    return newline != std::string_view::npos && newline > 0 && content[newline - 1] == '\r' ? "\r\n" : "\n";
}

// The file a fence belongs to: its info string, a first-line comment naming a file, or the line
// above the fence (one blank line may come between).
std::optional<std::string_view> name_of_fence(const Lines& lines, const Fence& fence, std::size_t floor, const std::vector<core::SourceFile>& sources) {
    if (auto name = name_in_info(fence.info, sources)) return name;
    if (fence.open + 1 < fence.close) {
        const std::string_view first = trim(lines[fence.open + 1]);
        if (first.starts_with("//") || first.starts_with("/*"))
            if (auto name = file_name_of(first, sources)) return name;
    }
    return name_above(lines, fence.open, floor, 2, false, sources);
}

core::Result<core::Edit> no_code_error(const std::vector<Fence>& fences, const std::vector<std::string>& identical) {
    if (!identical.empty()) return core::fail(core::Error::input("the answer's code is identical to the current " + identical.front()));
    for (const auto& fence : fences)
        if (!fence.closed)
            return core::fail(core::Error::input("code block " + std::to_string(fence.number) + " is not closed with ``` (the answer may be cut off)"));
    return core::fail(core::Error::input(std::string(k_no_edit)));
}

core::Result<core::Edit> edit_from_fences(core::Edit edit, const Lines& lines, const std::vector<Fence>& fences, const std::vector<core::SourceFile>& sources) {
    std::vector<std::string> identical;
    if (sources.size() == 1) {
        // The largest block that is not the current file: a model often quotes the original first.
        const core::SourceFile& source = sources.front();
        std::optional<std::string> best;
        for (const auto& fence : fences) {
            if (!fence.closed || holds_no_source(fence)) continue;
            std::string content = fence_content(lines, fence, eol_of(source.content));
            if (is_blank(content)) continue;
            if (same_code(content, source.content)) {
                if (identical.empty()) identical.push_back(source.path);
                continue;
            }
            if (!best || content.size() > best->size()) best = std::move(content);
        }
        if (!best) return no_code_error(fences, identical);
        edit.files.push_back({source.path, std::move(*best)});
    } else {
        std::size_t floor = 0;
        for (const auto& fence : fences) {
            const std::size_t fence_floor = floor;
            floor = fence.close + 1;
            if (!fence.closed || holds_no_source(fence)) continue;
            const auto name = name_of_fence(lines, fence, fence_floor, sources);
            if (!name)
                return core::fail(core::Error::input("code block " + std::to_string(fence.number) + " names no file; with several sources (" + source_list(sources) +
                                                     ") put the file name on the line before the fence"));
            std::string path;
            std::string content;
            if (const auto source = resolve(*name, sources)) {
                path = sources[*source].path;
                content = fence_content(lines, fence, eol_of(sources[*source].content));
                if (same_code(content, sources[*source].content)) {
                    identical.push_back(path);
                    continue;
                }
            } else {
                path = std::string(without_dot_slash(*name));
                if (!is_new_file_name(path))
                    return core::fail(core::Error::input("code block " + std::to_string(fence.number) + " names " + path + ", which is not a relative path inside the task"));
                content = fence_content(lines, fence, "\n");
            }
            if (is_blank(content)) continue;
            // A later block for the same file is the model's final word on it.
            auto it = std::find_if(edit.files.begin(), edit.files.end(), [&](const core::SourceFile& f) { return f.path == path; });
            if (it != edit.files.end()) it->content = std::move(content);
            else edit.files.push_back({std::move(path), std::move(content)});
        }
        if (edit.files.empty()) return no_code_error(fences, identical);
    }
    if (auto applied = apply_edit(sources, edit); !applied)
        return core::fail(core::Error::input("the answer's code blocks do not apply: " + applied.error().message));
    return edit;
}

// ---------------------------------------------------------------------------------------------

std::string explanation_of(const Lines& lines, const std::vector<LineRole>& roles) {
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < lines.size() && out.size() <= k_max_explanation_bytes; ++i) {
        if (roles[i] != LineRole::prose) continue;
        for (char c : lines[i]) {
            if (is_space(c)) {
                space = !out.empty();
                continue;
            }
            if (space) out.push_back(' ');
            space = false;
            out.push_back(c);
            if (out.size() > k_max_explanation_bytes) break;
        }
        space = !out.empty();
    }
    if (out.size() > k_max_explanation_bytes) out = std::string(cut(out, k_max_explanation_bytes - 3)) + "...";
    return out;
}

}  // namespace

core::Result<core::Edit> parse_answer(std::string_view answer, const std::vector<core::SourceFile>& sources, const std::string& proposer) {
    if (answer.size() > k_max_answer_bytes)
        return core::fail(core::Error::input("the answer is larger than 1 MiB; send only the changed code"));
    const Lines lines = split_lines(answer);
    std::vector<LineRole> roles(lines.size(), LineRole::prose);
    core::Edit edit;
    edit.proposer = proposer;

    auto blocks = read_search_blocks(lines);
    if (!blocks) return core::fail(blocks.error());
    for (const auto& block : *blocks)
        for (std::size_t i = block.begin; i <= block.end; ++i) roles[i] = LineRole::search_block;
    const std::vector<Fence> fences = read_fences(lines, roles);
    if (!blocks->empty()) {
        edit.explanation = explanation_of(lines, roles);
        return edit_from_search_blocks(std::move(edit), lines, *blocks, sources);
    }

    auto diffs = read_diffs(lines, roles);
    if (!diffs) return core::fail(diffs.error());
    edit.explanation = explanation_of(lines, roles);
    if (std::any_of(diffs->begin(), diffs->end(), [](const FileDiff& d) { return !d.hunks.empty(); }))
        return edit_from_diffs(std::move(edit), *diffs, sources);
    return edit_from_fences(std::move(edit), lines, fences, sources);
}

}  // namespace optiloop::llm
