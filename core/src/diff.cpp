#include <algorithm>
#include <limits>
#include <vector>

#include <optiloop/core/diff.hpp>

namespace optiloop::core {

namespace {

// Each line with its '\n': a last line without one differs from the same text with one (a patch
// says "\ No newline at end of file" for it).
std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end + 1 - start));
        start = end + 1;
    }
    return lines;
}

// One line of the edit script: ' ' kept, '-' only in before, '+' only in after.
struct Op {
    char kind;
    std::size_t a, b;  // line indices in before / after (the one that applies)
};

std::vector<Op> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    // The common prefix and suffix first: most edits change a small middle.
    const std::size_t prefix = common_prefix(a, b);
    const std::size_t suffix = common_suffix(a, b, prefix);
    const std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
    std::vector<Op> ops;
    for (std::size_t i = 0; i < prefix; ++i) ops.push_back({' ', i, i});
    constexpr std::size_t k_exact_cells = 4'000'000;
    if (n * m <= k_exact_cells) {
        // lcs[i][j]: the longest common subsequence of a[prefix+i..] and b[prefix+j..].
        std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        std::size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
                ops.push_back({' ', prefix + i++, prefix + j++});
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.push_back({'-', prefix + i++, prefix + j});  // removals before additions, as diff -u shows them
            } else {
                ops.push_back({'+', prefix + i, prefix + j++});
            }
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) ops.push_back({'-', prefix + i, prefix + m});
        for (std::size_t j = 0; j < m; ++j) ops.push_back({'+', prefix + n, prefix + j});
    }
    for (std::size_t i = 0; i < suffix; ++i) ops.push_back({' ', prefix + n + i, prefix + m + i});
    return ops;
}

}  // namespace

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after, std::size_t context, std::size_t max_lines) {
    if (before == after) return "";
    const auto a = split_lines(before), b = split_lines(after);
    const auto ops = edit_script(a, b);
    std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
    std::size_t shown = 0, left_out = 0;
    std::size_t i = 0;
    while (i < ops.size()) {
        if (ops[i].kind == ' ') {
            ++i;
            continue;
        }
        // A hunk: from `context` lines before this change to `context` lines after the last
        // change that is at most 2*context kept lines away from the next.
        const std::size_t begin = i >= context ? i - context : 0;
        std::size_t end = i;
        std::size_t kept_run = 0;
        for (std::size_t j = i; j < ops.size(); ++j) {
            if (ops[j].kind == ' ') {
                if (++kept_run > 2 * context) break;
            } else {
                kept_run = 0;
                end = j;
            }
        }
        end = std::min(ops.size(), end + 1 + context);
        std::size_t a_count = 0, b_count = 0;
        for (std::size_t j = begin; j < end; ++j) {
            if (ops[j].kind != '+') ++a_count;
            if (ops[j].kind != '-') ++b_count;
        }
        const std::size_t a_start = ops[begin].a + (a_count ? 1 : 0), b_start = ops[begin].b + (b_count ? 1 : 0);
        std::string hunk = "@@ -" + std::to_string(a_start) + "," + std::to_string(a_count) + " +" + std::to_string(b_start) + "," + std::to_string(b_count) + " @@\n";
        std::size_t hunk_lines = 1;
        for (std::size_t j = begin; j < end; ++j) {
            const std::string& line = ops[j].kind == '+' ? b[ops[j].b] : a[ops[j].a];
            hunk += ops[j].kind;
            hunk += line;
            if (!line.ends_with('\n')) {
                hunk += "\n\\ No newline at end of file\n";
                ++hunk_lines;
            }
            ++hunk_lines;
        }
        if (shown + hunk_lines <= max_lines) {
            out += hunk;
            shown += hunk_lines;
        } else {
            // As much of it as fits; the rest is counted.
            std::size_t pos = 0;
            for (std::size_t kept = 0; shown < max_lines && pos < hunk.size(); ++kept, ++shown) pos = hunk.find('\n', pos) + 1;
            out += hunk.substr(0, pos);
            left_out += static_cast<std::size_t>(std::count(hunk.begin() + static_cast<long>(pos), hunk.end(), '\n'));
        }
        i = end;
    }
    if (left_out) out += "(" + std::to_string(left_out) + " more lines of changes left out)\n";
    return out;
}

std::string patch_diff(const std::string& path, const std::string& before, const std::string& after) {
    return unified_diff(path, before, after, 3, std::numeric_limits<std::size_t>::max());
}

std::string patch_diff(const std::vector<SourceFile>& before, const std::vector<SourceFile>& after) {
    std::string patch;
    for (const auto& file : after) {
        const auto old = std::find_if(before.begin(), before.end(), [&](const SourceFile& b) { return b.path == file.path; });
        if (old != before.end()) {
            patch += patch_diff(file.path, old->content, file.content);
            continue;
        }
        // A new file: its old side is /dev/null, as `git apply` wants for a file it creates.
        // An empty new file has no line to add, and a unified diff cannot say it exists: left out.
        const std::string added = patch_diff(file.path, "", file.content);
        if (!added.empty()) patch += "--- /dev/null" + added.substr(added.find('\n'));
    }
    return patch;
}

}  // namespace optiloop::core
